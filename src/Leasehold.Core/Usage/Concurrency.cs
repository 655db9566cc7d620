namespace Leasehold.Core.Usage;

/// <summary>From this moment on (until the next step), this many seats and sessions were in use.</summary>
public readonly record struct Step(DateTimeOffset At, int Seats, int Sessions);

/// <summary>
/// What one time bucket (an hour or a day of the tenant's calendar) saw: the peaks of seats and
/// sessions in use, the seat-time used (for utilisation: <see cref="SeatMilliseconds"/> over seat
/// limit x the part of the bucket observed), and how many refusals, failed checks and over-the-limit admissions it had.
/// </summary>
public sealed record BucketStats(DateTimeOffset Start, DateTimeOffset End, int PeakSeats, int PeakSessions, long SeatMilliseconds)
{
    public int Denials { get; init; }
    public int FailedChecks { get; init; }
    public int OverLimit { get; init; }

    /// <summary>
    /// Time-weighted average of seats in use over the part of the bucket that lies in
    /// <c>[observedFrom, observedUntil)</c>: the time in which seats could have been held (after the license
    /// was made, before now). Time not yet passed is not time without use: counting it would show today, or
    /// this hour, as nearly idle however busy it was. Zero when no part of the bucket was observed.
    /// </summary>
    public double AverageSeats(DateTimeOffset observedFrom, DateTimeOffset observedUntil) =>
        Concurrency.AverageSeats([this], observedFrom, observedUntil);
}

/// <summary>
/// Seats and sessions in use over time, from holdings. Sessions that share a seat key share their
/// seats (the largest weight among them counts), exactly as <see cref="Sessions.SeatCount"/> counts
/// live holders at checkout. Intervals are half-open: a session ending at T and one starting at T
/// never overlap.
/// </summary>
public static class Concurrency
{
    /// <summary>The step function of seats and sessions in use: a step wherever either changes; zero before the first.</summary>
    public static List<Step> Timeline(IEnumerable<Holding> holdings)
    {
        var points = new List<(DateTimeOffset At, bool Start, Holding Holding)>();
        foreach (var h in holdings)
        {
            if (h.End <= h.Start)
                continue;
            points.Add((h.Start, true, h));
            points.Add((h.End, false, h));
        }
        points.Sort((x, y) => x.At.CompareTo(y.At));

        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var steps = new List<Step>();
        int seats = 0, sessions = 0;
        for (var i = 0; i < points.Count;)
        {
            var at = points[i].At;
            for (; i < points.Count && points[i].At == at; i++)
            {
                var (_, start, h) = points[i];
                if (!byKey.TryGetValue(h.SeatKey, out var held))
                    byKey[h.SeatKey] = held = [];
                var before = held.Count == 0 ? 0 : held.Max();
                if (start)
                    held.Add(h.Seats);
                else
                    held.Remove(h.Seats);
                seats += (held.Count == 0 ? 0 : held.Max()) - before;
                sessions += start ? 1 : -1;
            }
            var last = steps.Count > 0 ? steps[^1] : new Step(DateTimeOffset.MinValue, 0, 0);
            if (last.Seats != seats || last.Sessions != sessions)
                steps.Add(new Step(at, seats, sessions));
        }
        return steps;
    }

    /// <summary>Peaks and seat-time per bucket <c>[boundaries[i], boundaries[i+1])</c> of a timeline.</summary>
    public static List<BucketStats> Buckets(IReadOnlyList<Step> steps, IReadOnlyList<DateTimeOffset> boundaries)
    {
        var result = new List<BucketStats>(Math.Max(0, boundaries.Count - 1));
        var next = 0; // the first step after the current moment
        var current = new Step(DateTimeOffset.MinValue, 0, 0);
        for (var b = 0; b + 1 < boundaries.Count; b++)
        {
            var (start, end) = (boundaries[b], boundaries[b + 1]);
            while (next < steps.Count && steps[next].At <= start)
                current = steps[next++];
            int peakSeats = current.Seats, peakSessions = current.Sessions;
            long seatMs = 0;
            var from = start;
            while (next < steps.Count && steps[next].At < end)
            {
                seatMs += current.Seats * (long)(steps[next].At - from).TotalMilliseconds;
                current = steps[next++];
                from = current.At;
                peakSeats = Math.Max(peakSeats, current.Seats);
                peakSessions = Math.Max(peakSessions, current.Sessions);
            }
            seatMs += current.Seats * (long)(end - from).TotalMilliseconds;
            result.Add(new BucketStats(start, end, peakSeats, peakSessions, seatMs));
        }
        return result;
    }

    /// <summary>Adds the counts of refusals, failed checks and over-limit admissions among <paramref name="events"/> to their buckets (an event counts <see cref="UsageEvent.Count"/> times, in the bucket of its first).</summary>
    public static List<BucketStats> WithCounts(IReadOnlyList<BucketStats> buckets, IEnumerable<UsageEvent> events)
    {
        var counts = new (int Denials, int FailedChecks, int OverLimit)[buckets.Count];
        foreach (var e in events)
        {
            var i = IndexOf(buckets, e.At);
            if (i < 0)
                continue;
            var outcome = Outcomes.Of(e);
            counts[i].Denials += outcome.Denial ? e.Count : 0;
            counts[i].FailedChecks += outcome.FailedCheck ? e.Count : 0;
            counts[i].OverLimit += outcome.OverLimit ? e.Count : 0;
        }
        return [.. buckets.Select((s, i) => s with
        {
            Denials = s.Denials + counts[i].Denials,
            FailedChecks = s.FailedChecks + counts[i].FailedChecks,
            OverLimit = s.OverLimit + counts[i].OverLimit,
        })];
    }

    /// <summary>
    /// Folds small buckets (hours) into larger ones (days): peaks are the largest, seat-time and counts add up.
    /// A small bucket belongs to the large one its start falls in; large buckets with none are all zero.
    /// </summary>
    public static List<BucketStats> Combine(IEnumerable<BucketStats> small, IReadOnlyList<DateTimeOffset> boundaries)
    {
        var result = new List<BucketStats>();
        for (var b = 0; b + 1 < boundaries.Count; b++)
            result.Add(new BucketStats(boundaries[b], boundaries[b + 1], 0, 0, 0));
        foreach (var s in small)
        {
            var i = IndexOf(result, s.Start);
            if (i < 0)
                continue;
            var r = result[i];
            result[i] = r with
            {
                PeakSeats = Math.Max(r.PeakSeats, s.PeakSeats),
                PeakSessions = Math.Max(r.PeakSessions, s.PeakSessions),
                SeatMilliseconds = r.SeatMilliseconds + s.SeatMilliseconds,
                Denials = r.Denials + s.Denials,
                FailedChecks = r.FailedChecks + s.FailedChecks,
                OverLimit = r.OverLimit + s.OverLimit,
            };
        }
        return result;
    }

    /// <summary>
    /// Time-weighted average of seats in use over <paramref name="buckets"/> (adjacent or not), counting only
    /// the time inside <c>[observedFrom, observedUntil)</c> (see <see cref="BucketStats.AverageSeats"/>). Seat-time
    /// outside it is zero by construction (no session before the license, none held past now), so only the divisor changes.
    /// </summary>
    public static double AverageSeats(IEnumerable<BucketStats> buckets, DateTimeOffset observedFrom, DateTimeOffset observedUntil)
    {
        double seatMs = 0, observedMs = 0;
        foreach (var b in buckets)
        {
            seatMs += b.SeatMilliseconds;
            var (from, until) = (b.Start > observedFrom ? b.Start : observedFrom, b.End < observedUntil ? b.End : observedUntil);
            if (until > from)
                observedMs += (until - from).TotalMilliseconds;
        }
        return observedMs > 0 ? seatMs / observedMs : 0;
    }

    /// <summary>The holdings live at <paramref name="at"/>, longest held first.</summary>
    public static List<Holding> LiveAt(IEnumerable<Holding> holdings, DateTimeOffset at) =>
        [.. holdings.Where(h => h.LiveAt(at)).OrderBy(h => h.Start).ThenBy(h => h.SessionId, StringComparer.Ordinal)];

    /// <summary>Seats in use at <paramref name="at"/>: sessions sharing a seat key count once, with the largest weight.</summary>
    public static int SeatsAt(IEnumerable<Holding> holdings, DateTimeOffset at) =>
        holdings.Where(h => h.LiveAt(at)).GroupBy(h => h.SeatKey, StringComparer.Ordinal).Sum(g => g.Max(h => h.Seats));

    private static int IndexOf(IReadOnlyList<BucketStats> buckets, DateTimeOffset at)
    {
        int lo = 0, hi = buckets.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (at < buckets[mid].Start)
                hi = mid - 1;
            else if (at >= buckets[mid].End)
                lo = mid + 1;
            else
                return mid;
        }
        return -1;
    }
}
