using System.Globalization;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;

namespace Leasehold.Core.Sessions;

/// <summary>Something an admitted client should show its user (on the home screen), with a stable code.</summary>
public sealed record Warning(string Code, string Message);

/// <summary>The warnings an answer carries about the license's end date.</summary>
public static class LicenseWarnings
{
    public static IEnumerable<Warning> At(License license, DateTimeOffset now)
    {
        if (license.EndsAt is not { } ends)
            yield break;
        var day = ends.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (now >= ends)
        {
            var until = license.RefusesFrom!.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            yield return new Warning(Codes.LicenseInGrace,
                $"The license ended on {day}. It keeps working until {until}; ask your administrator to renew it.");
        }
        else if (ends - now <= TimeSpan.FromDays(license.Policy.Expiry.WarnDays))
        {
            var days = (int)Math.Ceiling((ends - now).TotalDays);
            yield return new Warning(Codes.LicenseExpiring,
                $"The license ends on {day} (in {days} day{(days == 1 ? "" : "s")}). Ask your administrator to renew it.");
        }
    }
}
