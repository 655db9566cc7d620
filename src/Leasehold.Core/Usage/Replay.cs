namespace Leasehold.Core.Usage;

/// <summary>
/// A refusal for want of a seat, as the history shows it: when, who, and what it asked for;
/// <paramref name="Count"/> is how many times it was asked (a collapsed event's count: one user retrying).
/// </summary>
public sealed record Refusal(DateTimeOffset At, string User, string Client, string SeatKey, int Seats, int Count = 1);

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
/// Replays a license's history against another seat count (right-sizing: how many seats
/// a tenant really needs). Every checkout that wanted seats is replayed in the order it happened against a
/// hard limit: an admitted session holds its seats for the time it really did; a historical refusal
/// that the new count would admit is assumed to hold its seats for the median length of the period's
/// sessions (we cannot know how long it would have stayed). Seat keys are honoured (sessions of one
/// key share seats); reserved seats and named users are not modelled: named users held no seats anyway.
/// A refusal repeated <see cref="Refusal.Count"/> times (the store folds one user's retries into one
/// event) is replayed once, at its first time: refused, it counts every repeat; admitted, none (the
/// retries would not have been needed). Attempts count every repeat.
/// </summary>
public static class Replay
{
    public static WhatIfResult WhatIf(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, int seats) =>
        WhatIf(holdings, refusals, seats, AssumedLength(holdings));

    /// <summary>
    /// Binary search over seat counts from 0 to the peak of demand (where every attempt fits). It
    /// takes refusals to fall as seats rise, which holds for first-come-first-served replay of
    /// sessions of one seat each; with weighted sessions a count just below the answer may
    /// occasionally also meet the target.
    /// </summary>
    public static RightSizeResult RightSize(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, int maxRefusals)
    {
        var assumed = AssumedLength(holdings);
        var attempts = Attempts(holdings, refusals, assumed);
        var peak = PeakDemand(attempts);
        int lo = 0, hi = peak;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (Refused(attempts, mid) <= maxRefusals)
                hi = mid;
            else
                lo = mid + 1;
        }
        return new RightSizeResult(lo, peak, assumed, WhatIf(holdings, refusals, lo, assumed));
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
        return new WhatIfResult(seats, attempts.Sum(a => a.Tries), Refused(attempts, seats), overMinutes, overSeatMinutes);
    }

    /// <summary>How many of the attempts (in order) a hard limit of <paramref name="seats"/> refuses: O(n log n).</summary>
    private static int Refused(List<Holding> attempts, int seats)
    {
        var live = new PriorityQueue<Holding, DateTimeOffset>();
        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        int inUse = 0, refused = 0;
        foreach (var attempt in attempts)
        {
            while (live.TryPeek(out var first, out var end) && end <= attempt.Start)
            {
                live.Dequeue();
                var held = byKey[first.SeatKey];
                var before = held.Max();
                held.Remove(first.Seats);
                inUse -= before - (held.Count == 0 ? 0 : held.Max());
            }
            if (!byKey.TryGetValue(attempt.SeatKey, out var key))
                byKey[attempt.SeatKey] = key = [];
            var heldNow = key.Count == 0 ? 0 : key.Max();
            var need = Math.Max(0, attempt.Seats - heldNow);
            if (need > 0 && inUse + need > seats)
            {
                refused += attempt.Tries;
                continue;
            }
            key.Add(attempt.Seats);
            inUse += need;
            live.Enqueue(attempt, attempt.End);
        }
        return refused;
    }

    /// <summary>The most seats everyone would have held at once: with that many, every attempt fits.</summary>
    private static int PeakDemand(List<Holding> attempts)
    {
        var timeline = Concurrency.Timeline(attempts);
        var peak = timeline.Select(s => s.Seats).DefaultIfEmpty(0).Max();
        // A zero-length attempt shows in no timeline, yet needs its seats on top of those held at its instant.
        foreach (var instant in attempts.Where(a => a.End <= a.Start))
        {
            var at = timeline.FindLastIndex(s => s.At <= instant.Start);
            peak = Math.Max(peak, (at < 0 ? 0 : timeline[at].Seats) + instant.Seats);
        }
        return peak;
    }

    /// <summary>Every checkout that wanted seats, in the order it happened.</summary>
    private static List<Holding> Attempts(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, TimeSpan assumed)
    {
        var attempts = holdings.Where(h => h.Seats > 0).ToList();
        attempts.AddRange(refusals.Where(r => r.Seats > 0).Select((r, i) =>
            new Holding($"refusal-{i}", r.User, null, r.Client, r.SeatKey, r.Seats, r.At, r.At + assumed) { Tries = r.Count }));
        return [.. attempts.OrderBy(a => a.Start)];
    }
}
