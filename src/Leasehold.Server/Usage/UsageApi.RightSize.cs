using Leasehold.Core;
using Leasehold.Core.Usage;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Usage;

/// <summary>The history replayed against <paramref name="Seats"/> seats.</summary>
/// <param name="AssumedSessionMinutes">How long a past refusal the new count would admit is taken to hold its seat: the median length of the period's sessions.</param>
/// <param name="Waits">Waits in the waiting line that joined in the period, replayed as demand from their join.</param>
/// <param name="LongestWaitMinutes">The longest of them with <paramref name="Seats"/> seats (to its seat, or to when it gave up).</param>
internal sealed record WhatIfResponse(
    string LicenseId, DateTimeOffset From, DateTimeOffset To, int Seats, int CurrentSeats, int Attempts, int Refusals, int RefusalsInHistory,
    double OverageMinutes, double OverageSeatMinutes, double AssumedSessionMinutes, int Waits, double LongestWaitMinutes);

/// <summary>
/// The smallest seat count that would have kept refusals within <paramref name="MaxRefusals"/> (and, when
/// <paramref name="MaxWaitMinutes"/> is asked, every replayed wait within it), and how the current count compares.
/// </summary>
/// <param name="Waits">Waits that joined in the period (replayed as demand from their join; 0: the waits fields are all 0).</param>
/// <param name="LongestWaitMinutesWithOneMore">The longest replayed wait with one seat more than the license has.</param>
/// <param name="WaitsOverMaxWaitAtRecommended">Replayed waits longer than <paramref name="MaxWaitMinutes"/> (null when not asked).</param>
internal sealed record RightSizeResponse(
    string LicenseId, DateTimeOffset From, DateTimeOffset To, int MaxRefusals, int RecommendedSeats, int CurrentSeats, int PeakDemand,
    int RefusalsAtRecommended, double OverageMinutesAtRecommended, int RefusalsAtCurrent, double AssumedSessionMinutes, IdleHolderResponse[] IdleHolders,
    int? MaxWaitMinutes, int Waits, double LongestWaitMinutesAtRecommended, double LongestWaitMinutesAtCurrent, double LongestWaitMinutesWithOneMore,
    int? WaitsOverMaxWaitAtRecommended, int? WaitsOverMaxWaitAtCurrent);

/// <summary>A user who held seats while idle: from the last reported activity of each session to its end.</summary>
internal sealed record IdleHolderResponse(string User, int Sessions, double IdleMinutes, double IdleSeatMinutes, double LongestIdleMinutes)
{
    public static IdleHolderResponse From(IdleHolder h) => new(h.User, h.Sessions, Math.Round(h.IdleTime.TotalMinutes, 2),
        Math.Round(h.IdleSeatTime.TotalMinutes, 2), Math.Round(h.LongestIdle.TotalMinutes, 2));
}

/// <summary>The users who held seats longest while idle over a period.</summary>
internal sealed record IdleHoldersResponse(string LicenseId, DateTimeOffset From, DateTimeOffset To, IdleHolderResponse[] Holders);
/// <summary>Right-sizing: the history replayed against another seat count, the smallest count within a refusal target, idle holders.</summary>
internal static partial class UsageApi
{
    public static async Task<Results<Ok<WhatIfResponse>, ProblemHttpResult>> GetWhatIf(
        string id, string? seats, string? from, string? to, Caller caller, [AsParameters] UsageServices services, CancellationToken ct)
    {
        if (await LoadAsync(services, id, caller, from, to, ct) is not { } loaded)
            return Problems.NotFound("license");
        var p = loaded.Params;
        if (seats is null)
            p.Errors.Add(new("seats", "Required: the seat count to replay the history against."));
        var proposed = p.Int(seats, "seats", 0, 1_000_000, 0);
        if (p.Errors.Count > 0)
            return Problems.Invalid(p.Errors);
        var (holdings, refusals, waits) = await loaded.HistoryAsync();
        var result = Replay.WhatIf(holdings, refusals, waits, proposed, loaded.OpenUntil);
        var license = loaded.Reported.License;
        return TypedResults.Ok(new WhatIfResponse(license.Id, loaded.LocalFrom, loaded.LocalTo, proposed, license.Seats, result.Attempts, result.Refusals,
            refusals.Count, Math.Round(result.OverageMinutes, 2), Math.Round(result.OverageSeatMinutes, 2),
            Math.Round(Replay.AssumedLength(holdings).TotalMinutes, 2), result.Waits.Waits, Minutes(result.Waits.Longest)));
    }

    /// <summary>The longest wait a recommendation may be asked to keep within: a day, the longest a waiting line lets anyone wait.</summary>
    public const int MaxWaitMinutesLimit = 1440;

    public static async Task<Results<Ok<RightSizeResponse>, ProblemHttpResult>> GetRightSize(
        string id, string? maxRefusals, string? maxWaitMinutes, string? from, string? to, Caller caller, [AsParameters] UsageServices services, CancellationToken ct)
    {
        if (await LoadAsync(services, id, caller, from, to, ct) is not { } loaded)
            return Problems.NotFound("license");
        var target = loaded.Params.Int(maxRefusals, "maxRefusals", 0, 1_000_000, 0);
        int? waitTarget = maxWaitMinutes is null ? null : loaded.Params.Int(maxWaitMinutes, "maxWaitMinutes", 0, MaxWaitMinutesLimit, 0);
        if (loaded.Params.Errors.Count > 0)
            return Problems.Invalid(loaded.Params.Errors);
        var (holdings, refusals, waits) = await loaded.HistoryAsync();
        var license = loaded.Reported.License;
        TimeSpan? maxWait = waitTarget is { } minutes ? TimeSpan.FromMinutes(minutes) : null;
        var sized = Replay.RightSize(holdings, refusals, waits, target, maxWait, loaded.OpenUntil);
        var current = Replay.WhatIf(holdings, refusals, waits, license.Seats, loaded.OpenUntil, maxWait);
        var oneMore = waits.Count == 0 ? current : Replay.WhatIf(holdings, refusals, waits, license.Seats + 1, loaded.OpenUntil);
        var idle = IdleHolders.Rank(loaded.Events.Where(e => e.At >= loaded.From), top: 5);
        return TypedResults.Ok(new RightSizeResponse(license.Id, loaded.LocalFrom, loaded.LocalTo, target, sized.RecommendedSeats, license.Seats, sized.PeakDemand,
            sized.AtRecommended.Refusals, Math.Round(sized.AtRecommended.OverageMinutes, 2), current.Refusals,
            Math.Round(sized.AssumedRefusedSessionLength.TotalMinutes, 2), [.. idle.Select(IdleHolderResponse.From)],
            waitTarget, waits.Count, Minutes(sized.AtRecommended.Waits.Longest), Minutes(current.Waits.Longest), Minutes(oneMore.Waits.Longest),
            waitTarget is null ? null : sized.AtRecommended.Waits.OverThreshold, waitTarget is null ? null : current.Waits.OverThreshold));
    }

    private static double Minutes(TimeSpan t) => Math.Round(t.TotalMinutes, 2);

    public static async Task<Results<Ok<IdleHoldersResponse>, ProblemHttpResult>> GetIdleHolders(
        string id, string? top, string? from, string? to, Caller caller, [AsParameters] UsageServices services, CancellationToken ct)
    {
        if (await LoadAsync(services, id, caller, from, to, ct) is not { } loaded)
            return Problems.NotFound("license");
        var count = loaded.Params.Int(top, "top", 1, 1000, 10);
        if (loaded.Params.Errors.Count > 0)
            return Problems.Invalid(loaded.Params.Errors);
        await loaded.HistoryAsync();
        var ranked = IdleHolders.Rank(loaded.Events.Where(e => e.At >= loaded.From), count);
        return TypedResults.Ok(new IdleHoldersResponse(loaded.Reported.License.Id, loaded.LocalFrom, loaded.LocalTo, [.. ranked.Select(IdleHolderResponse.From)]));
    }

    private static async Task<Loaded?> LoadAsync(UsageServices services, string id, Caller caller, string? from, string? to, CancellationToken ct)
    {
        if (await UsageReports.FindAsync(services.Tenants, id, caller.TenantScope, ct) is not { } reported)
            return null;
        var now = services.Clock.Now();
        var p = new UsageParams(reported.TimeZone, now);
        var (start, end) = p.Period(from, to, TimeSpan.FromDays(30));
        return new Loaded(services.Usage, reported, caller.TenantScope, p, start, end, now, ct);
    }

    /// <summary>One license's raw history of a period, read once the parameters are known to be good.</summary>
    private sealed class Loaded(IUsageStore store, ReportedLicense reported, string? tenantScope, UsageParams p,
        DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken ct)
    {
        public ReportedLicense Reported => reported;
        public UsageParams Params => p;
        public DateTimeOffset From { get; private set; } = from;
        public DateTimeOffset To => to;
        public IReadOnlyList<UsageEvent> Events { get; private set; } = [];

        /// <summary>The period as answers show it: with the tenant's UTC offset, like every report's times.</summary>
        public DateTimeOffset LocalFrom => UsageReports.Local(From, reported);

        public DateTimeOffset LocalTo => UsageReports.Local(to, reported);

        /// <summary>Where what is still open is taken to end: the period's end, or now.</summary>
        public DateTimeOffset OpenUntil => to < now ? to : now;

        /// <summary>
        /// The period's sessions (those still open are taken to run until its end, or now), its refusals for want of a seat,
        /// and the waits that joined in it (read from the same start: the rollup mark moves it for all three).
        /// </summary>
        public async Task<(List<Holding> Holdings, List<Refusal> Refusals, List<PastWait> Waits)> HistoryAsync()
        {
            (From, Events) = await UsageReports.RawHistoryAsync(store, reported, tenantScope, From, to, ct);
            var holdings = Holdings.From(Events, OpenUntil);
            var refusals = Events.Where(e => Outcomes.Of(e).ForWantOfSeat && e.At >= From)
                .Select(e => new Refusal(e.At, e.User, e.Client, e.SeatKey ?? "r:" + e.At.ToUnixTimeMilliseconds(), e.Seats, e.Count)).ToList();
            var waits = LineHistory.From(await store.ReadWaitEventsAsync(reported.License.Id, tenantScope, From, to, ct));
            return (holdings, refusals, waits);
        }
    }
}
