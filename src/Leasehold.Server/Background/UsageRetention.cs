using Leasehold.Core.Usage;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Background;

/// <summary>
/// Keeps raw usage events for the retention period (<c>LEASEHOLD_USAGE_RETENTION_DAYS</c>, 400 by
/// default) and folds older ones into hourly rollups of the tenant's calendar, a day at a time, so
/// concurrency, refusal and limit reports over older periods still work. Each day is one transaction:
/// the rollup rows, the deletion of the raw events and the license's mark commit together, so a crash
/// never loses or double-counts an hour.
/// </summary>
internal sealed class UsageRetention(ITenantStore tenants, IUsageStore usage, TimeProvider clock, LeaseholdSettings settings, ILogger<UsageRetention> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.UsageRollupInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var days = await RollUpOnceAsync(stoppingToken);
                if (days > 0)
                    log.LogInformation("Usage retention rolled up {Days} license-days of events", days);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Usage retention pass failed; retrying at the next tick");
            }
        }
    }

    /// <summary>Rolls up every license's events older than the retention period; returns how many license-days it rolled.</summary>
    public async Task<int> RollUpOnceAsync(CancellationToken ct)
    {
        var cutoff = clock.Now() - settings.UsageRetention;
        var rolled = 0;
        foreach (var tenant in await tenants.ListTenantsAsync(null, null, ct))
        {
            foreach (var license in await tenants.ListLicensesAsync(null, tenant.Id, null, ct))
                rolled += await RollUpAsync(tenant.Id, license.Id, tenant.TimeZone, cutoff, ct);
        }
        return rolled;
    }

    private async Task<int> RollUpAsync(string tenantId, string licenseId, string timeZone, DateTimeOffset cutoff, CancellationToken ct)
    {
        var until = TimeBuckets.StartOf(BucketSize.Hour, timeZone, cutoff);
        var from = await usage.UsageRolledUntilAsync(licenseId, null, ct)
            ?? (await usage.OldestUsageEventAsync(licenseId, ct) is { } oldest ? TimeBuckets.StartOf(BucketSize.Hour, timeZone, oldest) : until);
        var days = 0;
        while (from < until)
        {
            var dayEnd = TimeBuckets.Covering(BucketSize.Day, timeZone, from, from.AddTicks(1))[^1];
            var to = dayEnd < until ? dayEnd : until;
            var hours = TimeBuckets.Covering(BucketSize.Hour, timeZone, from, to);
            await usage.RollUpUsageAsync(tenantId, licenseId, from, to,
                events => new UsageRollup(Rollup.Hours(events, to, hours), Rollup.Counts(events, hours)), ct);
            from = to;
            days++;
        }
        return days;
    }
}
