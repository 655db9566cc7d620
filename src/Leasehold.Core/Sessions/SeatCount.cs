namespace Leasehold.Core.Sessions;

/// <summary>How many seats a set of live sessions holds: sessions that share a seat key share their seats.</summary>
public static class SeatCount
{
    public static int InUse(IEnumerable<Session> live)
    {
        if (live is HolderSet kept)
            return kept.InUse; // counted as sessions came and went

        // A session keyed by its own id (the default seat key) shares its seat with nobody: it counts
        // without a lookup. Only keys that sessions may share (user, device, connection) are tallied.
        var own = 0;
        Dictionary<string, int>? byKey = null;
        foreach (var session in live)
        {
            if (session.Seats == 0)
                continue;
            if (HolderSet.OwnSeat(session))
            {
                own += session.Seats;
                continue;
            }
            byKey ??= new Dictionary<string, int>(StringComparer.Ordinal);
            byKey[session.SeatKey] = Math.Max(byKey.GetValueOrDefault(session.SeatKey), session.Seats);
        }
        return byKey is null ? own : own + byKey.Values.Sum();
    }

    /// <summary>The seats <paramref name="live"/> takes once <paramref name="session"/> joins it (<see cref="InUse"/> of both, without copying).</summary>
    public static int InUseWith(IEnumerable<Session> live, Session session)
    {
        var held = HeldBy(live, session.SeatKey);
        return InUse(live) - held + Math.Max(held, session.Seats);
    }

    /// <summary>Each seat key's holder (the user of its first session) and the seats it holds.</summary>
    public static IEnumerable<(string User, int Seats)> Holders(IEnumerable<Session> live) =>
        live.Where(s => s.Seats > 0).GroupBy(s => s.SeatKey, StringComparer.Ordinal).Select(g => (g.First().User, g.Max(s => s.Seats)));

    /// <summary>Seats already held under <paramref name="seatKey"/> (0 when none).</summary>
    public static int HeldBy(IEnumerable<Session> live, string seatKey) =>
        live is HolderSet kept ? kept.HeldBy(seatKey) : live.Where(s => s.SeatKey == seatKey).Select(s => s.Seats).DefaultIfEmpty(0).Max();
}
