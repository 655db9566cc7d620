using Leasehold.Core;
using Leasehold.Core.Policies;
using Leasehold.Core.Usage;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Usage;

/// <summary>Reports on one license: concurrency per hour or day, who held seats at a moment, refusals, limit warnings.</summary>
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

    public static async Task<Results<Ok<DenialsResponse>, ProblemHttpResult>> DenialsAsync(
        string id, string? from, string? to, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await UsageReports.FindAsync(store, id, caller.TenantScope, ct) is not { } reported)
            return Problems.NotFound("license");
        var p = new UsageParams(reported.TimeZone, clock.Now());
        var (start, end) = p.Period(from, to, TimeSpan.FromDays(30));
        if (p.Errors.Count > 0)
            return Problems.Invalid(p.Errors);
        var outcomes = await store.CountOutcomesAsync(reported.License.Id, caller.TenantScope, start, end, ct);
        var denied = outcomes.Where(o => o.Kind == UsageKind.Denied).ToList();
        var failedChecks = outcomes.Where(o => o.Kind == UsageKind.Checked && o.Code is not (Codes.Pass or Codes.PassOverLimit)).ToList();
        return TypedResults.Ok(new DenialsResponse(reported.License.Id, UsageReports.Local(start, reported), UsageReports.Local(end, reported),
            denied.Sum(o => o.Events), failedChecks.Sum(o => o.Events),
            Totals(denied, o => o.Client), Totals(denied, o => o.Code),
            [.. denied.Concat(failedChecks).OrderByDescending(o => o.Events).ThenBy(o => o.Client, StringComparer.Ordinal)
                .Select(o => new OutcomeResponse(o.Client, o.Code, o.Events, o.First, o.Last))]));
    }

    public static async Task<Results<Ok<LimitWarningsResponse>, ProblemHttpResult>> LimitWarningsAsync(
        string id, string? from, string? to, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await UsageReports.FindAsync(store, id, caller.TenantScope, ct) is not { } reported)
            return Problems.NotFound("license");
        var p = new UsageParams(reported.TimeZone, clock.Now());
        var (start, end) = p.Period(from, to, TimeSpan.FromDays(30));
        if (p.Errors.Count > 0)
            return Problems.Invalid(p.Errors);
        var outcomes = await store.CountOutcomesAsync(reported.License.Id, caller.TenantScope, start, end, ct);
        var over = Occur(outcomes.Where(o => o.Code is Codes.AdmittedOverLimit or Codes.PassOverLimit));
        var refusals = Occur(outcomes.Where(o => (o.Kind == UsageKind.Denied && Codes.IsSeatRefusal(o.Code))
            || (o.Kind == UsageKind.Checked && o.Code is not (Codes.Pass or Codes.PassOverLimit) && Codes.IsSeatRefusal(o.Code))));
        var license = reported.License;
        var soft = license.Policy.Limit.Mode == LimitMode.Soft;
        return TypedResults.Ok(new LimitWarningsResponse(license.Id, soft ? "soft" : "hard", license.Seats,
            UsageReports.Local(start, reported), UsageReports.Local(end, reported), over.Count > 0, refusals.Count > 0, over, refusals,
            Warning(license.Seats, over, refusals)));
    }

    private static string? Warning(int seats, Occurrences over, Occurrences refusals) => (over.Count, refusals.Count) switch
    {
        (0, 0) => null,
        (_, 0) => $"The license went over its {seats} seats {over.Count} time(s) in this period (last {over.Last:yyyy-MM-dd HH:mm} UTC). Consider more seats.",
        (0, _) => $"Users were refused a seat {refusals.Count} time(s) in this period (last {refusals.Last:yyyy-MM-dd HH:mm} UTC). Consider more seats.",
        _ => $"The license went over its {seats} seats {over.Count} time(s) and refused {refusals.Count} time(s) in this period. Consider more seats.",
    };

    private static Occurrences Occur(IEnumerable<OutcomeTotal> outcomes)
    {
        var list = outcomes.ToList();
        return list.Count == 0 ? new Occurrences(0, null, null) : new Occurrences(list.Sum(o => o.Events), list.Min(o => o.First), list.Max(o => o.Last));
    }

    private static Dictionary<string, int> Totals(IEnumerable<OutcomeTotal> outcomes, Func<OutcomeTotal, string> key) =>
        outcomes.GroupBy(key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(o => o.Events), StringComparer.Ordinal);
}
