using System.Globalization;
using Leasehold.Core.Access;
using Leasehold.Core.Installations;
using Leasehold.Core.Policies;
using Leasehold.Server.Installations;
using Leasehold.Server.Licenses;

namespace Leasehold.Server.WebConsole;

/// <summary>One thing on the overview that needs someone's attention, about one license.</summary>
/// <param name="Kind">What it is: <c>over-limit</c>, <c>refusals</c>, <c>expiring</c> or <c>not-renewed</c> (tests and styles read it).</param>
internal sealed record AttentionItem(string LicenseId, string Product, string Kind, string Text);

/// <summary>What the usage reports say about one license's day so far (in its tenant's calendar).</summary>
/// <param name="Refusals">Refused checkouts today, as the denials report counts them.</param>
/// <param name="OverLimit">Admissions above a soft limit today.</param>
/// <param name="Warning">The limit-warnings report's text for today (the "warning on the home screen" of seeds/000), when it has one.</param>
internal sealed record LicenseDay(int Refusals, int OverLimit, string? Warning);

/// <summary>
/// The overview's rules for what needs attention: pure, on what the API's handlers answer, so the
/// same facts read the same in the console and over the API. docs/console.md states these rules.
/// </summary>
internal static class Attention
{
    /// <summary>A license ending within this many days (or its policy's <c>warnDays</c>, if longer) is "expiring soon": time to order a renewal.</summary>
    public const int ExpiringDays = 30;

    public static IEnumerable<AttentionItem> For(LicenseResponse license, LicenseDay day, IEnumerable<InstallationResponse> installations,
        DateTimeOffset now, string timeZone)
    {
        AttentionItem Item(string kind, string text) => new(license.Id, license.Product, kind, text);

        if (day.OverLimit > 0)
            yield return Item("over-limit", $"Over its soft limit of {license.Seats} seats today. {day.Warning}".TrimEnd());
        if (day.Refusals > 0)
            yield return Item("refusals", $"Refusals today: {day.Refusals}.");
        if (Expiring(license, now, timeZone) is { } expiring)
            yield return Item("expiring", expiring);
        var renewDays = license.Policy.Expiry?.RenewDaysBefore ?? ExpiryPolicy.Default.RenewDaysBefore;
        foreach (var installation in installations.Where(i => i.LicenseId == license.Id))
        {
            if (NotRenewed(installation, renewDays, now, timeZone) is { } text)
                yield return Item("not-renewed", text);
        }
    }

    private static string? Expiring(LicenseResponse license, DateTimeOffset now, string timeZone)
    {
        if (license.EndsAt is not { } ends)
            return null;
        var window = Math.Max(ExpiringDays, license.Policy.Expiry?.WarnDays ?? 0);
        if (ends <= now)
            return $"Ended on {Date(ends, timeZone)}.";
        var days = (int)Math.Ceiling((ends - now).TotalDays);
        return days <= window ? $"Expiring soon: ends on {Date(ends, timeZone)}, in {days} day(s)." : null;
    }

    /// <summary>
    /// An installation that has not renewed: (1) one the issuer has not heard from for longer than an
    /// online installation waits between files (it fetches by itself once its file's refresh-by date is
    /// <paramref name="renewDays"/> away, so after <c>30 − renewDays</c> days, at least one), or (2) one
    /// still holding seats of a larger, older file because it has not taken the file of its lowered share.
    /// An installation given no file yet has nothing to renew.
    /// </summary>
    internal static string? NotRenewed(InstallationResponse i, int renewDays, DateTimeOffset now, string timeZone)
    {
        if (i.LatestSerial is null)
            return null;
        var silence = TimeSpan.FromDays(Math.Max(1, InstallationDecisions.RefreshPeriod.TotalDays - renewDays));
        if (i.LastContactAt is { } contact && now - contact > silence)
            return $"Installation {i.Name} ({i.Id}) has not renewed: no contact since {Date(contact, timeZone)}; its latest file is usable until {Date(i.FileUsableUntil!.Value, timeZone)}.";
        if (i.SeatsInForce > i.Seats)
            return $"Installation {i.Name} ({i.Id}) has not renewed onto its lowered share: it may still use {i.SeatsInForce} seats, not {i.Seats}, until it takes file {i.LatestSerial}.";
        return null;
    }

    private static string Date(DateTimeOffset at, string timeZone) =>
        AccessSchedule.ToLocalOffset(at, timeZone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
