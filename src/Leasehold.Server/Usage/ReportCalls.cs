using Leasehold.Core;
using Leasehold.Core.Policies;
using Leasehold.Core.Usage;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Usage;

/// <summary>Reports on one license: concurrency per hour or day, and who held seats at a moment.</summary>
internal static class ReportCalls
{
    /// <summary>Hour buckets are for looking closely: at most this many days of them.</summary>
    public static readonly TimeSpan MaxHourlyPeriod = TimeSpan.FromDays(31);

    public static async Task<Results<Ok<ConcurrencyResponse>, ProblemHttpResult>> ConcurrencyAsync(
        string id, string? from, string? to, string? bucket, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await UsageReports.FindAsync(store, id, caller.TenantScope, ct) is not { } reported)
            return Problems.NotFound("license");
        var now = clock.Now();
        var p = new UsageParams(reported.TimeZone, now);
        var size = p.Choice(bucket, "bucket", BucketSize.Day);
        var period = p.Period(from, to, TimeSpan.FromDays(size == BucketSize.Day ? 30 : 1), size == BucketSize.Hour ? MaxHourlyPeriod : null);
        if (p.Errors.Count > 0)
            return Problems.Invalid(p.Errors);
        var boundaries = TimeBuckets.Covering(size, reported.TimeZone, period.From, period.To);
        var buckets = await UsageReports.BucketsAsync(store, reported, caller.TenantScope, boundaries, now, ct);
        return TypedResults.Ok(ConcurrencyResponse.Of(reported, size, buckets));
    }

    public static async Task<Results<Ok<HoldersResponse>, ProblemHttpResult>> HoldersAsync(
        string id, string? at, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await UsageReports.FindAsync(store, id, caller.TenantScope, ct) is not { } reported)
            return Problems.NotFound("license");
        var now = clock.Now();
        var p = new UsageParams(reported.TimeZone, now);
        var moment = p.Time(at, "at") ?? now;
        if (p.Errors.Count > 0)
            return Problems.Invalid(p.Errors);
        var (_, events) = await UsageReports.RawHistoryAsync(store, reported, caller.TenantScope, moment, moment.AddMilliseconds(1), ct);
        var holdings = Holdings.From(events, moment.AddMilliseconds(1));
        var live = Concurrency.LiveAt(holdings, moment);
        var seats = Concurrency.SeatsAt(live, moment);
        return TypedResults.Ok(new HoldersResponse(reported.License.Id, UsageReports.Local(moment, reported), seats, reported.License.Seats,
            [.. live.Select(h => new HolderResponse(h.SessionId, h.User, h.Device, h.Client, h.Seats, h.Start))]));
    }
}
