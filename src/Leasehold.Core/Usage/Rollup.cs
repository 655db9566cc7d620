namespace Leasehold.Core.Usage;

/// <summary>How many events of one outcome and client type an hour had, and when the first and last of them were.</summary>
public sealed record OutcomeCount(DateTimeOffset HourStart, UsageKind Kind, string Code, string Client, int Events, DateTimeOffset First, DateTimeOffset Last);

/// <summary>
/// The hourly summary raw events are folded into once they pass their retention: per hour of the
/// tenant's calendar, the peaks, seat-time and counts of <see cref="BucketStats"/>, and the count of
/// each outcome per client type. Reports over older periods read these instead of the events.
/// </summary>
public static class Rollup
{
    /// <param name="events">The events of <c>[hours[0], hours[^1])</c> plus the admissions of sessions still open at <c>hours[0]</c>.</param>
    /// <param name="openUntil">Where sessions with no end among the events are taken to end.</param>
    /// <param name="hours">The hour boundaries.</param>
    public static List<BucketStats> Hours(IReadOnlyList<UsageEvent> events, DateTimeOffset openUntil, IReadOnlyList<DateTimeOffset> hours)
    {
        var timeline = Concurrency.Timeline(Holdings.From(events, openUntil));
        return Concurrency.WithCounts(Concurrency.Buckets(timeline, hours), events);
    }

    public static List<OutcomeCount> Counts(IEnumerable<UsageEvent> events, IReadOnlyList<DateTimeOffset> hours)
    {
        var counts = new Dictionary<(DateTimeOffset, UsageKind, string, string), (int Events, DateTimeOffset First, DateTimeOffset Last)>();
        foreach (var e in events)
        {
            if (e.At < hours[0] || e.At >= hours[^1])
                continue;
            var i = UpperBound(hours, e.At) - 1;
            var key = (hours[i], e.Kind, e.Code, e.Client);
            var last = e.LastAt ?? e.At;
            counts[key] = counts.TryGetValue(key, out var c)
                ? (c.Events + e.Count, e.At < c.First ? e.At : c.First, last > c.Last ? last : c.Last)
                : (e.Count, e.At, last);
        }
        return [.. counts.Select(c => new OutcomeCount(c.Key.Item1, c.Key.Item2, c.Key.Item3, c.Key.Item4, c.Value.Events, c.Value.First, c.Value.Last))
            .OrderBy(c => c.HourStart).ThenBy(c => c.Kind).ThenBy(c => c.Code, StringComparer.Ordinal).ThenBy(c => c.Client, StringComparer.Ordinal)];
    }

    /// <summary>The index of the first boundary after <paramref name="at"/>.</summary>
    private static int UpperBound(IReadOnlyList<DateTimeOffset> boundaries, DateTimeOffset at)
    {
        int lo = 0, hi = boundaries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (boundaries[mid] <= at)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
}
