namespace Leasehold.Core.Sessions;

/// <summary>How many seats a set of live sessions holds: sessions that share a seat key share their seats.</summary>
public static class SeatCount
{
    public static int InUse(IEnumerable<Session> live)
    {
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var session in live)
        {
            if (session.Seats == 0)
                continue;
            byKey[session.SeatKey] = Math.Max(byKey.GetValueOrDefault(session.SeatKey), session.Seats);
        }
        return byKey.Values.Sum();
    }

    /// <summary>Each seat key's holder (the user of its first session) and the seats it holds.</summary>
    public static IEnumerable<(string User, int Seats)> Holders(IEnumerable<Session> live) =>
        live.Where(s => s.Seats > 0).GroupBy(s => s.SeatKey, StringComparer.Ordinal).Select(g => (g.First().User, g.Max(s => s.Seats)));

    /// <summary>Seats already held under <paramref name="seatKey"/> (0 when none).</summary>
    public static int HeldBy(IEnumerable<Session> live, string seatKey) =>
        live.Where(s => s.SeatKey == seatKey).Select(s => s.Seats).DefaultIfEmpty(0).Max();
}
