using NodaTime;

namespace Leasehold.Core.Tenants;

/// <summary>IANA time zones, from NodaTime's bundled tz database (so every machine agrees, whatever its OS data).</summary>
public static class TimeZones
{
    public static bool IsKnown(string id) => DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is not null;
}
