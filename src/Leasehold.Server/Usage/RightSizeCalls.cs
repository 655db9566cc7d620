using Leasehold.Core;
using Leasehold.Core.Usage;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Usage;

/// <summary>Right-sizing: the history replayed against another seat count, the smallest count within a refusal target, idle holders.</summary>
internal static class RightSizeCalls
{
    public static async Task<Results<Ok<WhatIfResponse>, ProblemHttpResult>> WhatIfAsync(
        string id, string? seats, string? from, string? to, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await Load(store, id, caller, clock, from, to, ct) is not { } loaded)
            return Problems.NotFound("license");
        var p = loaded.Params;
        if (seats is null)
            p.Errors.Add(new("seats", "Required: the seat count to replay the history against."));
        var proposed = p.Int(seats, "seats", 0, 1_000_000, 0);
        if (p.Errors.Count > 0)
            return Problems.Invalid(p.Errors);
        var (holdings, refusals) = await loaded.HistoryAsync();
        var result = Replay.WhatIf(holdings, refusals, proposed);
        var license = loaded.Reported.License;
        return TypedResults.Ok(new WhatIfResponse(license.Id, loaded.From, loaded.To, proposed, license.Seats, result.Attempts, result.Refusals,
            refusals.Count, Math.Round(result.OverageMinutes, 2), Math.Round(result.OverageSeatMinutes, 2),
            Math.Round(Replay.AssumedLength(holdings).TotalMinutes, 2)));
    }

    public static async Task<Results<Ok<RightSizeResponse>, ProblemHttpResult>> RightSizeAsync(
        string id, string? maxRefusals, string? from, string? to, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await Load(store, id, caller, clock, from, to, ct) is not { } loaded)
            return Problems.NotFound("license");
        var target = loaded.Params.Int(maxRefusals, "maxRefusals", 0, 1_000_000, 0);
        if (loaded.Params.Errors.Count > 0)
            return Problems.Invalid(loaded.Params.Errors);
        var (holdings, refusals) = await loaded.HistoryAsync();
        var license = loaded.Reported.License;
        var sized = Replay.RightSize(holdings, refusals, target);
        var current = Replay.WhatIf(holdings, refusals, license.Seats);
        var idle = IdleHolders.Rank(loaded.Events.Where(e => e.At >= loaded.From), top: 5);
        return TypedResults.Ok(new RightSizeResponse(license.Id, loaded.From, loaded.To, target, sized.RecommendedSeats, license.Seats, sized.PeakDemand,
            sized.AtRecommended.Refusals, Math.Round(sized.AtRecommended.OverageMinutes, 2), current.Refusals,
            Math.Round(sized.AssumedRefusedSessionLength.TotalMinutes, 2), [.. idle.Select(IdleHolderResponse.From)]));
    }

    public static async Task<Results<Ok<IdleHoldersResponse>, ProblemHttpResult>> IdleHoldersAsync(
        string id, string? top, string? from, string? to, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await Load(store, id, caller, clock, from, to, ct) is not { } loaded)
            return Problems.NotFound("license");
        var count = loaded.Params.Int(top, "top", 1, 1000, 10);
        if (loaded.Params.Errors.Count > 0)
            return Problems.Invalid(loaded.Params.Errors);
        await loaded.HistoryAsync();
        var ranked = IdleHolders.Rank(loaded.Events.Where(e => e.At >= loaded.From), count);
        return TypedResults.Ok(new IdleHoldersResponse(loaded.Reported.License.Id, loaded.From, loaded.To, [.. ranked.Select(IdleHolderResponse.From)]));
    }

    private static async Task<Loaded?> Load(ILeaseholdStore store, string id, Caller caller, TimeProvider clock, string? from, string? to, CancellationToken ct)
    {
        if (await UsageReports.FindAsync(store, id, caller.TenantScope, ct) is not { } reported)
            return null;
        var now = clock.Now();
        var p = new UsageParams(reported.TimeZone, now);
        var (start, end) = p.Period(from, to, TimeSpan.FromDays(30));
        return new Loaded(store, reported, caller.TenantScope, p, start, end, now, ct);
    }

    /// <summary>One license's raw history of a period, read once the parameters are known to be good.</summary>
    private sealed class Loaded(ILeaseholdStore store, ReportedLicense reported, string? tenantScope, UsageParams p,
        DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken ct)
    {
        public ReportedLicense Reported => reported;
        public UsageParams Params => p;
        public DateTimeOffset From { get; private set; } = from;
        public DateTimeOffset To => to;
        public IReadOnlyList<UsageEvent> Events { get; private set; } = [];

        /// <summary>The period's sessions (those still open are taken to run until its end, or now) and its refusals for want of a seat.</summary>
        public async Task<(List<Holding> Holdings, List<Refusal> Refusals)> HistoryAsync()
        {
            (From, Events) = await UsageReports.RawHistoryAsync(store, reported, tenantScope, From, to, ct);
            var holdings = Holdings.From(Events, to < now ? to : now);
            var refusals = Events.Where(e => e.Kind == UsageKind.Denied && Codes.IsSeatRefusal(e.Code) && e.At >= From)
                .Select(e => new Refusal(e.At, e.User, e.Client, e.SeatKey ?? "r:" + e.At.ToUnixTimeMilliseconds(), e.Seats)).ToList();
            return (holdings, refusals);
        }
    }
}
