using Leasehold.Core.Licenses;
using Leasehold.Core.Usage;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Usage;

/// <summary>A license a usage report is about, with its tenant's time zone.</summary>
internal sealed record ReportedLicense(License License, string TimeZone);

/// <summary>
/// The reads reports share. Hours before the license's rollup mark come from the hourly rollups;
/// the rest is computed from raw events by the pure functions of Leasehold.Core.Usage.
/// </summary>
internal static class UsageReports
{
    public static async Task<ReportedLicense?> FindAsync(ITenantStore tenants, string licenseId, string? tenantScope, CancellationToken ct)
    {
        if (await tenants.GetLicenseAsync(licenseId, tenantScope, ct) is not { } license)
            return null;
        var tenant = await tenants.GetTenantAsync(license.TenantId, tenantScope, ct);
        return new ReportedLicense(license, tenant?.TimeZone ?? "UTC");
    }

    /// <summary>Stats per bucket <c>[boundaries[i], boundaries[i+1])</c>; each bucket must start and end on a full hour of the tenant's calendar.</summary>
    public static async Task<List<BucketStats>> BucketsAsync(IUsageStore store, ReportedLicense reported, string? tenantScope,
        IReadOnlyList<DateTimeOffset> boundaries, DateTimeOffset now, CancellationToken ct)
    {
        var license = reported.License;
        var hours = TimeBuckets.Covering(BucketSize.Hour, reported.TimeZone, boundaries[0], boundaries[^1]);
        var mark = await store.UsageRolledUntilAsync(license.Id, tenantScope, ct);
        var stats = new List<BucketStats>();
        if (mark is { } rolled && rolled > hours[0])
            stats.AddRange(await store.ReadUsageHoursAsync(license.Id, tenantScope, hours[0], rolled < hours[^1] ? rolled : hours[^1], ct));
        var raw = hours.Where(h => mark is null || h >= mark).ToList();
        if (raw.Count >= 2)
        {
            var events = await store.ReadLicenseHistoryAsync(license.Id, tenantScope, raw[0], raw[^1], ct);
            stats.AddRange(Rollup.Hours(events, raw[^1] < now ? raw[^1] : now, raw));
        }
        return Concurrency.Combine(stats, boundaries);
    }

    /// <summary>The raw history of a period (right-sizing works on sessions, which rollups no longer have): the period starts no earlier than the rollup mark.</summary>
    public static async Task<(DateTimeOffset From, IReadOnlyList<UsageEvent> Events)> RawHistoryAsync(IUsageStore store, ReportedLicense reported,
        string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (await store.UsageRolledUntilAsync(reported.License.Id, tenantScope, ct) is { } mark && mark > from)
            from = mark < to ? mark : to;
        return (from, await store.ReadLicenseHistoryAsync(reported.License.Id, tenantScope, from, to, ct));
    }

    public static DateTimeOffset Local(DateTimeOffset at, ReportedLicense reported) => TimeBuckets.ToLocal(at, reported.TimeZone);
}
