namespace Leasehold.Core.Usage;

/// <summary>One admitted session as the history shows it: who, what it held, and from when to when.</summary>
public sealed record Holding(
    string SessionId, string User, string? Device, string Client, string SeatKey, int Seats, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>How many checkouts this stands for in a replay: 1, or a collapsed refusal's count.</summary>
    public int Tries { get; init; } = 1;

    /// <summary>Live at <paramref name="at"/>: started at or before it and not yet ended (an end at the same instant frees the seat).</summary>
    public bool LiveAt(DateTimeOffset at) => Start <= at && at < End;
}

/// <summary>Turns a license's usage events into holdings: each admitted session paired with its end.</summary>
public static class Holdings
{
    /// <summary>
    /// Pairs every <see cref="UsageKind.Admitted"/> event with its session's <see cref="UsageKind.Ended"/>
    /// event, in any order. A session with no end recorded is taken as live until <paramref name="openUntil"/>
    /// (the end of the period asked about, or now). Ends whose admission is not among the events are ignored.
    /// </summary>
    public static List<Holding> From(IEnumerable<UsageEvent> events, DateTimeOffset openUntil)
    {
        var admitted = new Dictionary<string, UsageEvent>(StringComparer.Ordinal);
        var ends = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.SessionId is not { } id)
                continue;
            if (e.Kind == UsageKind.Admitted)
                admitted[id] = e;
            else if (e.Kind == UsageKind.Ended && (!ends.TryGetValue(id, out var known) || e.At < known))
                ends[id] = e.At;
        }

        var holdings = new List<Holding>(admitted.Count);
        foreach (var (id, a) in admitted)
        {
            var end = ends.TryGetValue(id, out var ended) ? ended : openUntil;
            if (end < a.At)
                end = a.At;
            holdings.Add(new Holding(id, a.User, a.Device, a.Client, a.SeatKey ?? "s:" + id, a.Seats, a.At, end));
        }
        holdings.Sort((x, y) => x.Start != y.Start ? x.Start.CompareTo(y.Start) : string.CompareOrdinal(x.SessionId, y.SessionId));
        return holdings;
    }
}
