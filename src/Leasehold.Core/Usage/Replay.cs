namespace Leasehold.Core.Usage;

/// <summary>
/// A refusal for want of a seat, as the history shows it: when, who, and what it asked for;
/// <paramref name="Count"/> is how many times it was asked (a collapsed event's count: one user retrying).
/// </summary>
public sealed record Refusal(DateTimeOffset At, string User, string Client, string SeatKey, int Seats, int Count = 1);

/// <summary>What the history would have looked like with another seat count.</summary>
/// <param name="Seats">The proposed seat count.</param>
/// <param name="Attempts">Checkouts that wanted seats: admitted sessions that held any, plus refusals for want of a seat, plus waits.</param>
/// <param name="Refusals">How many of them a hard limit of <paramref name="Seats"/> would have refused (a wait that gave up without a seat in the replay counts as one).</param>
/// <param name="OverageMinutes">Minutes during which demand (everyone admitted) was above <paramref name="Seats"/>: how long a soft limit would have been exceeded.</param>
/// <param name="OverageSeatMinutes">Seat-minutes above <paramref name="Seats"/> over that time.</param>
public sealed record WhatIfResult(int Seats, int Attempts, int Refusals, double OverageMinutes, double OverageSeatMinutes)
{
    /// <summary>The waits of the history as the replay had them wait (all zero without waits).</summary>
    public WaitReplay Waits { get; init; } = WaitReplay.None;
}

/// <summary>The waits of a history replayed against a seat count.</summary>
/// <param name="Waits">Waits replayed (those that joined in the period).</param>
/// <param name="Served">How many of them got a seat in the replay.</param>
/// <param name="Longest">The longest replayed wait: to its seat, or to when it gave up without one.</param>
/// <param name="OverThreshold">How many replayed waits were longer than the threshold asked about (0 when none was).</param>
public sealed record WaitReplay(int Waits, int Served, TimeSpan Longest, int OverThreshold)
{
    public static readonly WaitReplay None = new(0, 0, TimeSpan.Zero, 0);
}

/// <summary>The smallest seat count that keeps refusals (and, when asked, every wait) within the target, with its replay.</summary>
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
/// <para>
/// Waits (<see cref="PastWait"/>) are demand from the moment they joined, replayed with the line's rule: first come,
/// first served, strictly (a head that needs more seats than are free is not passed), and a checkout that did
/// not wait is refused while anyone waits. A seat is taken the moment it is offered. A granted wait holds
/// its seats for as long as its session really did, and waits as long as the replay makes it (it did wait);
/// a wait that gave up (left, expired, timed out, offer lapsed) waits no longer than it really did: served by
/// then, it holds its seats for the median session length; not, it gave up without a seat and counts as a
/// refusal. A wait still open at the period's end waits until then and is no refusal.
/// </para>
/// </summary>
public static class Replay
{
    public static WhatIfResult WhatIf(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, int seats) =>
        WhatIf(holdings, refusals, [], seats);

    /// <param name="waits">The period's waits (<see cref="LineHistory.From"/>); a granted wait's session is replayed as the wait, from its join.</param>
    /// <param name="until">Where the period ends: an open wait waits until then (default: the last moment of the history).</param>
    /// <param name="threshold">Count the replayed waits longer than this (<see cref="WaitReplay.OverThreshold"/>).</param>
    public static WhatIfResult WhatIf(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, IReadOnlyList<PastWait> waits, int seats,
        DateTimeOffset? until = null, TimeSpan? threshold = null)
    {
        var assumed = AssumedLength(holdings);
        return WhatIf(Attempts(holdings, refusals, waits, assumed, until), seats, threshold);
    }

    public static RightSizeResult RightSize(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, int maxRefusals) =>
        RightSize(holdings, refusals, [], maxRefusals);

    /// <summary>
    /// Binary search over seat counts from 0 to the peak of demand (where every attempt fits at once, and nobody
    /// waits). It takes refusals (and waits) to fall as seats rise, which holds for first-come-first-served replay of
    /// sessions of one seat each; with weighted sessions a count just below the answer may occasionally also meet the target.
    /// </summary>
    /// <param name="maxWait">When given, the recommended count also keeps every replayed wait within it.</param>
    public static RightSizeResult RightSize(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, IReadOnlyList<PastWait> waits, int maxRefusals,
        TimeSpan? maxWait = null, DateTimeOffset? until = null)
    {
        var assumed = AssumedLength(holdings);
        var attempts = Attempts(holdings, refusals, waits, assumed, until);
        var peak = PeakDemand([.. attempts.Select(a => a.Holding)]);
        int lo = 0, hi = peak;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            var run = Run(attempts, mid, maxWait);
            if (run.Refused <= maxRefusals && (maxWait is null || run.Longest <= maxWait))
                hi = mid;
            else
                lo = mid + 1;
        }
        return new RightSizeResult(lo, peak, assumed, WhatIf(attempts, lo, maxWait));
    }

    /// <summary>The median length of the sessions that held seats (zero when there were none).</summary>
    public static TimeSpan AssumedLength(IReadOnlyList<Holding> holdings)
    {
        var lengths = holdings.Where(h => h.Seats > 0).Select(h => h.End - h.Start).Order().ToList();
        return lengths.Count == 0 ? TimeSpan.Zero : lengths[(lengths.Count - 1) / 2];
    }

    private static WhatIfResult WhatIf(List<Attempt> attempts, int seats, TimeSpan? threshold)
    {
        var demand = Concurrency.Timeline(attempts.Select(a => a.Holding));
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
        var run = Run(attempts, seats, threshold);
        var waits = attempts.Count(a => a.Wait);
        return new WhatIfResult(seats, attempts.Sum(a => a.Holding.Tries), run.Refused, overMinutes, overSeatMinutes)
        {
            Waits = waits == 0 ? WaitReplay.None : new WaitReplay(waits, run.Served, run.Longest, run.Over),
        };
    }

    /// <summary>
    /// One attempt of the replay. <see cref="Holding"/> is the demand as if admitted on arrival (its start is the
    /// arrival, its length what it would hold); a wait may start later, and gives up at <see cref="GiveUpAt"/> (null: never).
    /// </summary>
    private sealed record Attempt(Holding Holding, bool Wait, DateTimeOffset? GiveUpAt, bool Open);

    private readonly record struct RunResult(int Refused, int Served, TimeSpan Longest, int Over);

    /// <summary>
    /// The attempts (in order) against a hard limit of <paramref name="seats"/>, with the line's rule for waits:
    /// O(n log n) plus the line's length at each change.
    /// </summary>
    private static RunResult Run(List<Attempt> attempts, int seats, TimeSpan? threshold)
    {
        var live = new PriorityQueue<Holding, DateTimeOffset>();
        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var line = new LinkedList<Attempt>();
        var giveUps = new PriorityQueue<LinkedListNode<Attempt>, DateTimeOffset>();
        int inUse = 0, refused = 0, served = 0, over = 0;
        var longest = TimeSpan.Zero;

        int Need(Holding h)
        {
            var held = byKey.TryGetValue(h.SeatKey, out var key) && key.Count > 0 ? key.Max() : 0;
            return Math.Max(0, h.Seats - held);
        }
        void Admit(Holding h, DateTimeOffset at)
        {
            inUse += Need(h);
            if (!byKey.TryGetValue(h.SeatKey, out var key))
                byKey[h.SeatKey] = key = [];
            key.Add(h.Seats);
            live.Enqueue(h, at + (h.End - h.Start));
        }
        void Waited(TimeSpan waited)
        {
            longest = waited > longest ? waited : longest;
            over += threshold is { } t && waited > t ? 1 : 0;
        }
        void Serve(DateTimeOffset at)
        {
            while (line.First is { } head && Need(head.Value.Holding) is var need && (need == 0 || inUse + need <= seats))
            {
                line.RemoveFirst();
                Admit(head.Value.Holding, at);
                served++;
                Waited(at - head.Value.Holding.Start);
            }
        }
        void AdvanceTo(DateTimeOffset to)
        {
            while (true)
            {
                while (giveUps.TryPeek(out var node, out _) && node.List is null)
                    giveUps.Dequeue(); // served already
                var hasEnd = live.TryPeek(out _, out var endAt) && endAt <= to;
                var hasGiveUp = giveUps.TryPeek(out var quitter, out var quitAt) && quitAt <= to;
                if (hasGiveUp && (!hasEnd || quitAt <= endAt))
                {
                    // At its time it is gone: a seat freeing at the same instant is not its.
                    giveUps.Dequeue();
                    line.Remove(quitter!);
                    Waited(quitAt - quitter!.Value.Holding.Start);
                    refused += quitter.Value.Open ? 0 : quitter.Value.Holding.Tries;
                    Serve(quitAt);
                }
                else if (hasEnd)
                {
                    while (live.TryPeek(out var first, out var at) && at == endAt)
                    {
                        live.Dequeue();
                        var held = byKey[first.SeatKey];
                        var before = held.Max();
                        held.Remove(first.Seats);
                        inUse -= before - (held.Count == 0 ? 0 : held.Max());
                    }
                    Serve(endAt);
                }
                else
                    return;
            }
        }

        foreach (var attempt in attempts)
        {
            AdvanceTo(attempt.Holding.Start);
            if (attempt.Wait)
            {
                var node = line.AddLast(attempt);
                if (attempt.GiveUpAt is { } quit)
                    giveUps.Enqueue(node, quit);
                Serve(attempt.Holding.Start);
                continue;
            }
            var need = Need(attempt.Holding);
            if (need > 0 && (line.Count > 0 || inUse + need > seats))
            {
                refused += attempt.Holding.Tries;
                continue;
            }
            Admit(attempt.Holding, attempt.Holding.Start);
        }
        AdvanceTo(DateTimeOffset.MaxValue);
        // Left in line with every session ended: granted waits that need more seats than there are, which never get one.
        foreach (var never in line)
        {
            refused += never.Holding.Tries;
            over += threshold is null ? 0 : 1;
        }
        return new RunResult(refused, served, longest, over);
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

    /// <summary>
    /// Every checkout that wanted seats, in the order it happened: sessions (but those a wait was granted, which are
    /// replayed as their wait), refusals, and waits from their join.
    /// </summary>
    private static List<Attempt> Attempts(IReadOnlyList<Holding> holdings, IReadOnlyList<Refusal> refusals, IReadOnlyList<PastWait> waits,
        TimeSpan assumed, DateTimeOffset? until)
    {
        var granted = waits.Where(w => w.Granted && w.SessionId is not null).Select(w => w.SessionId!).ToHashSet(StringComparer.Ordinal);
        var byId = holdings.Where(h => granted.Contains(h.SessionId)).ToDictionary(h => h.SessionId, StringComparer.Ordinal);
        var attempts = holdings.Where(h => h.Seats > 0 && !granted.Contains(h.SessionId)).Select(h => new Attempt(h, false, null, false)).ToList();
        attempts.AddRange(refusals.Where(r => r.Seats > 0).Select((r, i) => new Attempt(
            new Holding($"refusal-{i}", r.User, null, r.Client, r.SeatKey, r.Seats, r.At, r.At + assumed) { Tries = r.Count }, false, null, false)));
        var last = until ?? attempts.Select(a => a.Holding.End).Concat(waits.Select(w => w.EndedAt ?? w.JoinedAt)).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        foreach (var w in waits.Where(w => w.Seats > 0))
        {
            if (w.Granted && w.SessionId is { } id && byId.TryGetValue(id, out var session))
            {
                // Its session as it really was, wanted from the join: it waits as long as the replay makes it.
                attempts.Add(new Attempt(session with { Start = w.JoinedAt, End = w.JoinedAt + (session.End - session.Start) }, true, null, false));
                continue;
            }
            // Gave up (or still waits, or its session is not in the period): waits as long as it did, then holds the median length.
            var quit = w.Granted ? (DateTimeOffset?)null : w.EndedAt ?? (last > w.JoinedAt ? last : w.JoinedAt);
            attempts.Add(new Attempt(new Holding($"wait-{w.EntryId}", w.User, null, w.Client, "w:" + w.EntryId, w.Seats, w.JoinedAt, w.JoinedAt + assumed),
                true, quit, w.EndedAt is null));
        }
        return [.. attempts.OrderBy(a => a.Holding.Start)];
    }
}
