using NodaTime;
using NodaTime.Text;

namespace Leasehold.Core.Usage;

/// <summary>
/// Times an admin writes in a report query: an instant with its offset (<c>2026-03-03T09:00:00Z</c>,
/// <c>2026-03-03T10:00:00+01:00</c>), or a local date or date-time without one (<c>2026-03-03</c>,
/// <c>2026-03-03T10:00</c>), read in the tenant's time zone. A local time that a DST change skips
/// is moved forward by the gap; one it repeats is the earlier of the two.
/// </summary>
public static class ReportTime
{
    private static readonly OffsetDateTimePattern WithOffset = OffsetDateTimePattern.ExtendedIso;
    private static readonly OffsetDateTimePattern WithZ = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFF'Z'");
    private static readonly LocalDateTimePattern Local = LocalDateTimePattern.ExtendedIso;
    private static readonly LocalDateTimePattern LocalMinutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    private static readonly ZonedDateTimePattern Written =
        ZonedDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm '(UTC'o<+HH:mm>', 'z')'", DateTimeZoneProviders.Tzdb);

    /// <summary>
    /// <paramref name="at"/> as a person reads it in a report's text: the tenant's local time with its offset
    /// and zone (<c>2026-03-03 09:55 (UTC+01:00, Europe/Berlin)</c>), so an admin never converts from UTC
    /// and the hour a DST change repeats is never ambiguous.
    /// </summary>
    public static string Describe(DateTimeOffset at, string timeZone) =>
        Written.Format(Instant.FromDateTimeOffset(at).InZone(DateTimeZoneProviders.Tzdb[timeZone]));

    /// <returns>The time, or null when it is not one (also one outside what a <see cref="DateTimeOffset"/> holds: year 1 in a zone east of UTC, year 10000).</returns>
    public static DateTimeOffset? Parse(string text, string timeZone)
    {
        try
        {
            return ParseOrThrow(text.Trim(), timeZone);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException or OverflowException)
        {
            return null; // a time at the very edge of the calendar, which .NET's DateTimeOffset cannot hold
        }
    }

    private static DateTimeOffset? ParseOrThrow(string text, string timeZone)
    {
        if (WithOffset.Parse(text) is { Success: true } offset)
            return offset.Value.ToDateTimeOffset();
        if (WithZ.Parse(text) is { Success: true } utc)
            return utc.Value.ToDateTimeOffset();
        var zone = DateTimeZoneProviders.Tzdb[timeZone];
        if (Local.Parse(text) is { Success: true } local)
            return zone.AtLeniently(local.Value).ToDateTimeOffset();
        if (LocalMinutes.Parse(text) is { Success: true } minutes)
            return zone.AtLeniently(minutes.Value).ToDateTimeOffset();
        if (Date.Parse(text) is { Success: true } date)
            return zone.AtStartOfDay(date.Value).ToDateTimeOffset();
        return null;
    }
}
