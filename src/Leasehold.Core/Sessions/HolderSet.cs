using System.Collections;

namespace Leasehold.Core.Sessions;

/// <summary>
/// A license's live sessions with their seat count kept as they come and go, so a decision reads the
/// seats in use, and whether any holder is past its end, without going over every holder. The SQLite
/// writer keeps one per license in memory and hands it to the decision as the ledger's holders; the
/// decision only reads it (<see cref="SeatCount"/> and <see cref="SeatDecision.Sweep"/> take the short
/// way when given one). Not thread-safe: its owner changes it between decisions, never during one.
/// </summary>
public sealed class HolderSet : IReadOnlyCollection<Session>
{
    private readonly Dictionary<string, Session> _byId = new(StringComparer.Ordinal);

    /// <summary>Sessions under keys they may share (user, device, connection), by key; keys of their own (the default) are not in it.</summary>
    private Dictionary<string, List<Session>>? _shared;

    /// <summary>No holder's end is earlier than this (UTC ticks): a bound, made exact again by <see cref="AnyDue"/> once passed.</summary>
    private long _noEndBefore = long.MaxValue;

    public HolderSet()
    {
    }

    public HolderSet(IEnumerable<Session> live)
    {
        foreach (var session in live)
            Set(session);
    }

    /// <summary>The seats the holders take: one count per seat key, the most any session under it holds (as <see cref="SeatCount.InUse"/>).</summary>
    public int InUse { get; private set; }

    public int Count => _byId.Count;

    public Session? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Adds a live session, or replaces the state of one already held.</summary>
    public void Set(Session session)
    {
        Remove(session.Id);
        _byId[session.Id] = session;
        if (OwnSeat(session))
        {
            InUse += session.Seats;
        }
        else
        {
            _shared ??= new Dictionary<string, List<Session>>(StringComparer.Ordinal);
            if (!_shared.TryGetValue(session.SeatKey, out var sharers))
                _shared[session.SeatKey] = sharers = [];
            var before = MaxSeats(sharers);
            sharers.Add(session);
            InUse += MaxSeats(sharers) - before;
        }
        var end = session.Deadline.UtcTicks;
        if (end < _noEndBefore)
            _noEndBefore = end;
    }

    /// <summary>Takes a session out (ended); nothing when it is not held.</summary>
    public bool Remove(string id)
    {
        if (!_byId.Remove(id, out var session))
            return false;
        if (OwnSeat(session))
        {
            InUse -= session.Seats;
            return true;
        }
        var sharers = _shared![session.SeatKey];
        var before = MaxSeats(sharers);
        sharers.RemoveAll(s => s.Id == id);
        InUse += MaxSeats(sharers) - before;
        if (sharers.Count == 0)
            _shared.Remove(session.SeatKey);
        return true;
    }

    /// <summary>Seats already held under <paramref name="seatKey"/> (as <see cref="SeatCount.HeldBy"/>).</summary>
    public int HeldBy(string seatKey)
    {
        if (_shared is not null && _shared.TryGetValue(seatKey, out var sharers))
            return MaxSeats(sharers);
        return _byId.TryGetValue(seatKey, out var own) && OwnSeat(own) ? own.Seats : 0;
    }

    /// <summary>
    /// Whether any holder's end has come by <paramref name="now"/>. Answered from the bound while it lies
    /// ahead; once passed, the holders are looked over once and the bound made exact again.
    /// </summary>
    public bool AnyDue(DateTimeOffset now)
    {
        var at = now.UtcTicks;
        if (at < _noEndBefore)
            return false;
        var earliest = long.MaxValue;
        foreach (var session in _byId.Values)
            earliest = Math.Min(earliest, session.Deadline.UtcTicks);
        _noEndBefore = earliest;
        return at >= earliest;
    }

    /// <summary>Whether the session holds a seat of its own: its seat key is its id (<see cref="SeatDecision.SeatKeyFor"/>).</summary>
    internal static bool OwnSeat(Session session) =>
        ReferenceEquals(session.SeatKey, session.Id) || string.Equals(session.SeatKey, session.Id, StringComparison.Ordinal);

    private static int MaxSeats(List<Session> sharers)
    {
        var max = 0;
        foreach (var s in sharers)
            max = Math.Max(max, s.Seats);
        return max;
    }

    public IEnumerator<Session> GetEnumerator() => _byId.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
