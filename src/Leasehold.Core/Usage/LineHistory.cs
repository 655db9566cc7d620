using Leasehold.Core.Queue;

namespace Leasehold.Core.Usage;

/// <summary>
/// One wait in the waiting line as the history shows it: who joined when, and how it ended (null: still open at the
/// end of what was read). <paramref name="SessionId"/> is the session a granted wait became.
/// </summary>
public sealed record PastWait(
    string EntryId, string User, string Client, int Seats, DateTimeOffset JoinedAt, DateTimeOffset? EndedAt, WaitEventKind? End, string? SessionId)
{
    public bool Granted => End == WaitEventKind.Granted;
}

/// <summary>The spread of how long granted waits lasted, from join to grant: the median, the 95th percentile (nearest rank) and the longest.</summary>
public sealed record WaitDurations(TimeSpan P50, TimeSpan P95, TimeSpan Max);

/// <summary>
/// What one time bucket (or a whole period) saw of the waiting line: waits that started in it, and the waits that ended
/// in it by how they ended. <see cref="Durations"/> are of the waits granted in it (null: none was).
/// </summary>
public sealed record WaitStats(
    DateTimeOffset Start, DateTimeOffset End, int Started, int Granted, int Left, int Expired, int TimedOut, int OfferLapsed, WaitDurations? Durations)
{
    /// <summary>Waits that ended without a seat: left, expired, timed out or whose offer lapsed.</summary>
    public int GivenUp => Left + Expired + TimedOut + OfferLapsed;
}

/// <summary>
/// The waiting line's history in reports (docs/waiting-line.md, "Usage events and right-sizing"): each event counts
/// in the bucket it happened in (a join where it joined, an end where it ended), as refusals count where they were
/// refused; the durations of a bucket are those of the waits granted in it.
/// </summary>
public static class LineHistory
{
    /// <summary>Counts and durations over <c>[start, end)</c>: the events outside it are ignored.</summary>
    public static WaitStats Summarize(IEnumerable<WaitEvent> events, DateTimeOffset start, DateTimeOffset end) =>
        Buckets(events, [start, end])[0];

    /// <summary>Counts and durations per bucket <c>[boundaries[i], boundaries[i+1])</c>.</summary>
    public static List<WaitStats> Buckets(IEnumerable<WaitEvent> events, IReadOnlyList<DateTimeOffset> boundaries)
    {
        var count = Math.Max(0, boundaries.Count - 1);
        var counts = new int[count, 5];
        var waited = new List<TimeSpan>[count];
        foreach (var e in events)
        {
            var i = IndexOf(boundaries, e.At);
            if (i < 0)
                continue;
            var column = e.Kind switch
            {
                WaitEventKind.Joined => 0,
                WaitEventKind.Left => 1,
                WaitEventKind.Expired => 2,
                WaitEventKind.TimedOut => 3,
                WaitEventKind.OfferLapsed => 4,
                _ => -1,
            };
            if (column >= 0)
                counts[i, column]++;
            if (e.Kind == WaitEventKind.Granted)
                (waited[i] ??= []).Add(e.Waited);
        }
        var result = new List<WaitStats>(count);
        for (var i = 0; i < count; i++)
            result.Add(new WaitStats(boundaries[i], boundaries[i + 1], counts[i, 0], waited[i]?.Count ?? 0,
                counts[i, 1], counts[i, 2], counts[i, 3], counts[i, 4], Durations(waited[i] ?? [])));
        return result;
    }

    /// <summary>The median, 95th percentile and longest of <paramref name="waited"/> by nearest rank (a time that really was waited, never an interpolation); null when empty.</summary>
    public static WaitDurations? Durations(IEnumerable<TimeSpan> waited)
    {
        var sorted = waited.Order().ToList();
        if (sorted.Count == 0)
            return null;
        TimeSpan Rank(int percent) => sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1)];
        return new WaitDurations(Rank(50), Rank(95), sorted[^1]);
    }

    /// <summary>
    /// The waits that joined among <paramref name="events"/>, each paired with its end (the first end of its entry
    /// among the events; none: still open), in join order. Ends whose join is not among the events are ignored.
    /// </summary>
    public static List<PastWait> From(IEnumerable<WaitEvent> events)
    {
        var joined = new Dictionary<string, WaitEvent>(StringComparer.Ordinal);
        var ends = new Dictionary<string, WaitEvent>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Kind == WaitEventKind.Joined)
                joined.TryAdd(e.EntryId, e);
            else if (e.Kind != WaitEventKind.Offered && (!ends.TryGetValue(e.EntryId, out var known) || e.At < known.At))
                ends[e.EntryId] = e;
        }
        var waits = new List<PastWait>(joined.Count);
        foreach (var (id, j) in joined)
        {
            var end = ends.GetValueOrDefault(id);
            waits.Add(new PastWait(id, j.User, j.Client, j.Seats, j.At, end?.At, end?.Kind, end?.SessionId));
        }
        waits.Sort((x, y) => x.JoinedAt != y.JoinedAt ? x.JoinedAt.CompareTo(y.JoinedAt) : string.CompareOrdinal(x.EntryId, y.EntryId));
        return waits;
    }

    private static int IndexOf(IReadOnlyList<DateTimeOffset> boundaries, DateTimeOffset at)
    {
        int lo = 0, hi = boundaries.Count - 2;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (at < boundaries[mid])
                hi = mid - 1;
            else if (at >= boundaries[mid + 1])
                lo = mid + 1;
            else
                return mid;
        }
        return -1;
    }
}
