namespace Leasehold.Core.Usage;

/// <summary>A refusal for want of a seat, as the history shows it: when, who, and what it asked for.</summary>
public sealed record Refusal(DateTimeOffset At, string User, string Client, string SeatKey, int Seats);

/// <summary>What the history would have looked like with another seat count.</summary>
/// <param name="Seats">The proposed seat count.</param>
/// <param name="Attempts">Checkouts that wanted seats: admitted sessions that held any, plus refusals for want of a seat.</param>
/// <param name="Refusals">How many of them a hard limit of <paramref name="Seats"/> would have refused.</param>
/// <param name="OverageMinutes">Minutes during which demand (everyone admitted) was above <paramref name="Seats"/>: how long a soft limit would have been exceeded.</param>
/// <param name="OverageSeatMinutes">Seat-minutes above <paramref name="Seats"/> over that time.</param>
public sealed record WhatIfResult(int Seats, int Attempts, int Refusals, double OverageMinutes, double OverageSeatMinutes);

/// <summary>The smallest seat count that keeps refusals within the target, with its replay.</summary>
public sealed record RightSizeResult(int RecommendedSeats, int PeakDemand, TimeSpan AssumedRefusedSessionLength, WhatIfResult AtRecommended);

/// <summary>
/// Replays a license's history against another seat count (right-sizing: SPEC "beyond what the
/// anchors offer"). Every checkout that wanted seats is replayed in the order it happened against a
/// hard limit: an admitted session holds its seats for the time it really did; a historical refusal
/// that the new count would admit is assumed to hold its seats for the median length of the period's
/// sessions (we cannot know how long it would have stayed). Seat keys are honoured (sessions of one
/// key share seats); reserved seats and named users are not modelled: named users held no seats anyway.
/// </summary>
public static class Replay
{
    public static WhatIfResult WhatIf(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, int seats) =>
        WhatIf(holdings, refusals, seats, AssumedLength(holdings));

    public static RightSizeResult RightSize(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, int maxRefusals)
    {
        var assumed = AssumedLength(holdings);
        var peak = PeakDemand(holdings, refusals, assumed);
        // With the peak of demand every attempt fits, so the search always ends there at the latest.
        for (var seats = 0; seats < peak; seats++)
        {
            var result = WhatIf(holdings, refusals, seats, assumed);
            if (result.Refusals <= maxRefusals)
                return new RightSizeResult(seats, peak, assumed, result);
        }
        return new RightSizeResult(peak, peak, assumed, WhatIf(holdings, refusals, peak, assumed));
    }

    /// <summary>The median length of the sessions that held seats (zero when there were none).</summary>
    public static TimeSpan AssumedLength(IReadOnlyList<Holding> holdings)
    {
        var lengths = holdings.Where(h => h.Seats > 0).Select(h => h.End - h.Start).Order().ToList();
        return lengths.Count == 0 ? TimeSpan.Zero : lengths[(lengths.Count - 1) / 2];
    }

    private static WhatIfResult WhatIf(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, int seats, TimeSpan assumed)
    {
        var attempts = Attempts(holdings, refusals, assumed);
        var live = new List<Holding>();
        var refused = 0;
        foreach (var attempt in attempts)
        {
            live.RemoveAll(h => h.End <= attempt.Start);
            var held = live.Where(h => h.SeatKey == attempt.SeatKey).Select(h => h.Seats).DefaultIfEmpty(0).Max();
            var need = Math.Max(0, attempt.Seats - held);
            if (need > 0 && InUse(live) + need > seats)
                refused++;
            else
                live.Add(attempt);
        }

        var demand = Concurrency.Timeline(attempts);
        double overMinutes = 0, overSeatMinutes = 0;
        for (var i = 0; i + 1 < demand.Count; i++)
        {
            var over = demand[i].Seats - seats;
            if (over <= 0)
                continue;
            var minutes = (demand[i + 1].At - demand[i].At).TotalMinutes;
            overMinutes += minutes;
            overSeatMinutes += over * minutes;
        }
        return new WhatIfResult(seats, attempts.Count, refused, overMinutes, overSeatMinutes);
    }

    private static int PeakDemand(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, TimeSpan assumed)
    {
        var attempts = Attempts(holdings, refusals, assumed);
        var peak = Concurrency.Timeline(attempts).Select(s => s.Seats).DefaultIfEmpty(0).Max();
        // A zero-length attempt shows in no timeline, yet needs its seats at its instant.
        return Math.Max(peak, attempts.Select(a => a.Seats).DefaultIfEmpty(0).Max());
    }

    /// <summary>Every checkout that wanted seats, in the order it happened.</summary>
    private static List<Holding> Attempts(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, TimeSpan assumed)
    {
        var attempts = holdings.Where(h => h.Seats > 0).ToList();
        attempts.AddRange(refusals.Where(r => r.Seats > 0).Select((r, i) =>
            new Holding($"refusal-{i}", r.User, null, r.Client, r.SeatKey, r.Seats, r.At, r.At + assumed)));
        return [.. attempts.OrderBy(a => a.Start)];
    }

    private static int InUse(List<Holding> live) =>
        live.GroupBy(h => h.SeatKey, StringComparer.Ordinal).Sum(g => g.Max(h => h.Seats));
}
