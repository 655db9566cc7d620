using System.Globalization;
using Leasehold.Core.Usage;
using Leasehold.Server.Auth;
using Leasehold.Server.Hosting;
using Leasehold.Server.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.WebConsole;

/// <summary>One license's last 24 hours (the concurrency report, per hour) and its day so far.</summary>
internal sealed record LicenseReport(ConcurrencyResponse Hours, LicenseDay Today);

/// <summary>
/// The overview's reads of the usage reports, through the API's own handlers (no report logic of
/// its own): one concurrency report per license, and the limit-warnings report only for a license
/// that went over its soft limit today, for its warning text.
/// </summary>
internal static class OverviewReports
{
    public static async Task<LicenseReport?> ReadAsync(string licenseId, Caller reader, UsageServices services, CancellationToken ct)
    {
        // bucket=hour defaults to the last 24 hours; its first hour starts at or before the tenant's
        // midnight (a day has at most 25 hours), so the same report also holds all of today.
        if ((await UsageApi.GetConcurrency(licenseId, null, null, "hour", reader, services, ct)).Result is not Ok<ConcurrencyResponse> { Value: { } hours })
            return null;
        var midnight = TimeBuckets.StartOf(BucketSize.Day, hours.TimeZone, services.Clock.Now());
        var today = hours.Buckets.Where(b => b.Start >= midnight).ToList();
        var (refusals, over) = (today.Sum(b => b.Denials), today.Sum(b => b.OverLimit));
        string? warning = null;
        if (over > 0)
        {
            var date = TimeBuckets.ToLocal(midnight, hours.TimeZone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if ((await UsageApi.GetLimitWarnings(licenseId, date, null, reader, services, ct)).Result is Ok<LimitWarningsResponse> { Value: { } warnings })
                warning = warnings.Warning;
        }
        return new LicenseReport(hours, new LicenseDay(refusals, over, warning));
    }
}
