using System.Collections;

namespace Leasehold.Core.Sessions;

/// <summary>
/// A license's live sessions with their seat count kept as they come and go, so a decision reads the
/// seats in use, and whether any holder is past its end, without going over every holder. The SQLite
/// writer keeps one per license in memory and hands it to the decision as the ledger's holders; the
/// decision only reads it (<see cref="SeatCount"/> and <see cref="SeatDecision.Sweep"/> take the short
/// way when given one). Sessions are kept compactly (<see cref="HeldSession"/>): <see cref="Find"/> and
/// enumerating give back sessions equal to those set, made anew each time. Not thread-safe: its owner
/// changes it between decisions, never during one.
/// </summary>
public sealed class HolderSet : IReadOnlyCollection<Session>
{
    private readonly HolderIndex _index;

    /// <summary>The holders in the order they came, as a list through each <see cref="HeldSession"/> (no table of their own: the index finds them by id).</summary>
    private HeldSession? _first, _last;

    /// <summary>Sessions under keys they may share (user, device, connection), by key; keys of their own (the default) are not in it.</summary>
    private Dictionary<string, List<HeldSession>>? _shared;

    /// <summary>No holder's end is earlier than this (UTC ticks): a bound, made exact again by <see cref="AnyDue"/> once passed.</summary>
    private long _noEndBefore = long.MaxValue;

    /// <summary>The client type names the holders use, each kept once however many sessions name it.</summary>
    private readonly List<string> _clients = [];

    /// <summary>A set with an index of its own.</summary>
    public HolderSet()
        : this(new HolderIndex())
    {
    }

    public HolderSet(IEnumerable<Session> live)
        : this()
    {
        foreach (var session in live)
            Set(session);
    }

    /// <summary>A license's set in an index shared with other licenses' sets.</summary>
    /// <param name="tenantId">The license's tenant and id, which its plain sessions are kept without (null: the first session's).</param>
    public HolderSet(HolderIndex index, string? tenantId = null, string? licenseId = null)
    {
        _index = index;
        TenantId = tenantId;
        LicenseId = licenseId;
    }

    public string? TenantId { get; private set; }

    public string? LicenseId { get; private set; }

    /// <summary>The seats the holders take: one count per seat key, the most any session under it holds (as <see cref="SeatCount.InUse"/>).</summary>
    public int InUse { get; private set; }

    public int Count { get; private set; }

    public Session? Find(string id) => Held(id)?.ToSession();

    /// <summary>Whether the live session <paramref name="id"/> is held here (without making it).</summary>
    public bool Holds(string id) => Held(id) is not null;

    /// <summary>Adds a live session, or replaces the state of one already held (in its place among the holders).</summary>
    public void Set(Session session)
    {
        var number = HeldSession.NumberOf(session.Id); // read once: the look-up and the held session both use it
        var previous = _index.Get(number, session.Id);
        if (previous is not null && previous.Owner != this)
        {
            previous.Owner.Unlink(previous); // held by another set of a shared index: it moves here
            previous = null;
        }
        TenantId ??= session.TenantId;
        LicenseId ??= session.LicenseId;
        var held = HeldSession.Of(session, number, this, ClientName(session.Client), previous);
        _index.Put(held);
        if (previous is null)
        {
            Link(held, after: _last);
        }
        else
        {
            var after = previous.Previous;
            Unlink(previous);
            Link(held, after);
        }
    }

    /// <summary>Takes a session out (ended); nothing when it is not held here.</summary>
    public bool Remove(string id)
    {
        if (Held(id) is not { } held)
            return false;
        _index.Remove(held);
        Unlink(held);
        return true;
    }

    /// <summary>Seats already held under <paramref name="seatKey"/> (as <see cref="SeatCount.HeldBy"/>).</summary>
    public int HeldBy(string seatKey)
    {
        if (_shared is not null && _shared.TryGetValue(seatKey, out var sharers))
            return MaxSeats(sharers);
        return Held(seatKey) is { SharedKey: null } own ? own.Seats : 0;
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
        for (var held = _first; held is not null; held = held.Next)
            earliest = Math.Min(earliest, held.Deadline);
        _noEndBefore = earliest;
        return at >= earliest;
    }

    /// <summary>Whether the session holds a seat of its own: its seat key is its id (<see cref="SeatDecision.SeatKeyFor"/>).</summary>
    internal static bool OwnSeat(Session session) =>
        ReferenceEquals(session.SeatKey, session.Id) || string.Equals(session.SeatKey, session.Id, StringComparison.Ordinal);

    private HeldSession? Held(string id) => _index.Get(id) is { } held && held.Owner == this ? held : null;

    private void Link(HeldSession held, HeldSession? after)
    {
        held.Previous = after;
        held.Next = after is null ? _first : after.Next;
        if (held.Next is not null)
            held.Next.Previous = held;
        else
            _last = held;
        if (after is not null)
            after.Next = held;
        else
            _first = held;
        Count++;
        if (held.SharedKey is not { } key)
        {
            InUse += held.Seats;
        }
        else
        {
            _shared ??= new Dictionary<string, List<HeldSession>>(StringComparer.Ordinal);
            if (!_shared.TryGetValue(key, out var sharers))
                _shared[key] = sharers = [];
            var before = MaxSeats(sharers);
            sharers.Add(held);
            InUse += MaxSeats(sharers) - before;
        }
        if (held.Deadline < _noEndBefore)
            _noEndBefore = held.Deadline;
    }

    private void Unlink(HeldSession held)
    {
        if (held.Previous is not null)
            held.Previous.Next = held.Next;
        else
            _first = held.Next;
        if (held.Next is not null)
            held.Next.Previous = held.Previous;
        else
            _last = held.Previous;
        held.Previous = held.Next = null;
        Count--;
        if (held.SharedKey is not { } key)
        {
            InUse -= held.Seats;
            return;
        }
        var sharers = _shared![key];
        var before = MaxSeats(sharers);
        sharers.Remove(held);
        InUse += MaxSeats(sharers) - before;
        if (sharers.Count == 0)
            _shared.Remove(key);
    }

    private string ClientName(string client)
    {
        foreach (var known in _clients)
        {
            if (string.Equals(known, client, StringComparison.Ordinal))
                return known;
        }
        if (_clients.Count < 16 && client is not null)
            _clients.Add(client);
        return client!;
    }

    private static int MaxSeats(List<HeldSession> sharers)
    {
        var max = 0;
        foreach (var s in sharers)
            max = Math.Max(max, s.Seats);
        return max;
    }

    public IEnumerator<Session> GetEnumerator()
    {
        for (var held = _first; held is not null; held = held.Next)
            yield return held.ToSession();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
