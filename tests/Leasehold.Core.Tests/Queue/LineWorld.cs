using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tests.Support;

namespace Leasehold.Core.Tests.Queue;

/// <summary>
/// One license and its store in miniature for the waiting line's tests: every decision runs on the ledger read from
/// here, and its changes are written back whole, as the stores do. Time moves only by <see cref="Pass"/>.
/// </summary>
internal sealed class LineWorld
{
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WaitEntry> _entries = new(StringComparer.Ordinal);
    private int _next;

    public LineWorld(int seats, LicensePolicy policy, int held = 0)
    {
        License = Given.License(seats, policy);
        for (var i = 0; i < held; i++)
            Checkout("holder" + i).ShouldBeOfType<CheckoutResult.Admitted>();
    }

    public License License { get; private set; }
    public DateTimeOffset Now { get; private set; } = Given.T0;
    public SeatTurnover? Turnover { get; set; }

    /// <summary>Every change ever written, in order.</summary>
    public List<Changes> Written { get; } = [];

    public IEnumerable<Session> Live => _sessions.Values.Where(s => s.IsActive);
    public IEnumerable<WaitEntry> Open => _entries.Values.Where(e => e.IsOpen).OrderBy(e => e.Sequence);
    public WaitEntry Entry(string id) => _entries[id];
    public Session Session(string id) => _sessions[id];

    /// <summary>The latest entry of <paramref name="user"/>.</summary>
    public WaitEntry EntryOf(string user) => _entries.Values.Where(e => e.User == user).MaxBy(e => e.Sequence)!;

    public LicenseLedger Ledger => new(License, [.. Live]) { Line = [.. Open], Turnover = Turnover };

    public static LicensePolicy Policy(
        WaitingLinePolicy? line = null,
        IReadOnlyList<Reservation>? reservations = null,
        IEnumerable<string>? named = null,
        params ClientTypePolicy[] types)
    {
        var policy = Given.Policy(SeatKey.Session, types.Length == 0 ? [Given.ClientType("desktop"), Given.ClientType("integration", weight: 2)] : types);
        return policy with
        {
            WaitingLine = line ?? WaitingLinePolicy.Default with { Enabled = true },
            Reservations = reservations ?? [],
            NamedUsers = new HashSet<string>(named ?? [], StringComparer.OrdinalIgnoreCase),
        };
    }

    public void Pass(TimeSpan time) => Now += time;

    public T Apply<T>(Decided<T> decided)
    {
        Written.Add(decided.Changes);
        foreach (var session in decided.Changes.Sessions)
            _sessions[session.Id] = session;
        foreach (var entry in decided.Changes.Waits)
            _entries[entry.Id] = entry;
        return decided.Result;
    }

    /// <summary>An ordinary checkout (one that does not wait).</summary>
    public CheckoutResult Checkout(string user, string client = "desktop") =>
        Apply(SeatDecision.Checkout(Ledger, Request(user, client), Now));

    /// <summary>A checkout that may wait up to <paramref name="upTo"/> (10 minutes unless given).</summary>
    public WaitCheckoutResult Wait(string user, string client = "desktop", TimeSpan? upTo = null, string? idempotencyKey = null)
    {
        var request = Request(user, client) with { IdempotencyKey = idempotencyKey };
        return Apply(WaitingLine.Checkout(Ledger, request, new WaitRequest("wait_" + user + "_" + _next, upTo ?? Given.Minutes(10)), Now));
    }

    /// <summary>The entry of <paramref name="user"/> takes the seat offered to it.</summary>
    public CheckoutResult Take(string user)
    {
        var entry = EntryOf(user);
        return Apply(SeatDecision.Checkout(Ledger, entry.Request with { WaitId = entry.Id }, Now));
    }

    public WaitAnswer Heartbeat(string user) => Apply(WaitingLine.Heartbeat(Ledger, EntryOf(user).Id, Now));

    public WaitAnswer Leave(string user) => Apply(WaitingLine.Leave(Ledger, EntryOf(user).Id, Now));

    /// <summary>Every open entry heartbeats (their clients are alive).</summary>
    public void HeartbeatAll()
    {
        foreach (var entry in Open.ToList())
            Apply(WaitingLine.Heartbeat(Ledger, entry.Id, Now));
    }

    /// <summary>The session signs off, and the line's own decision runs after it (as the store does).</summary>
    public LineState SignOff(string sessionId)
    {
        _sessions[sessionId] = _sessions[sessionId].End(EndReason.Released, Now);
        return Advance();
    }

    /// <summary>The user's live session signs off.</summary>
    public LineState SignOffUser(string user) => SignOff(Live.First(s => s.User == user).Id);

    public LineState Advance() => Apply(WaitingLine.Advance(Ledger, Now));

    /// <summary>The operator changes the license's seats, and the line advances.</summary>
    public LineState SetSeats(int seats)
    {
        License = License with { Seats = seats };
        return Advance();
    }

    public int SeatsCounted() => SeatCount.InUse(Live.Concat(Open.Where(e => e.State == WaitState.Offered).Select(e => e.AsHeldSeat())));

    public string State(string user) => EntryOf(user) is { State: WaitState.Ended } ended ? Codes.Of(ended.EndReason!.Value) : EntryOf(user).State.ToString().ToLowerInvariant();

    private CheckoutRequest Request(string user, string client) =>
        new("ses_" + user + "_" + ++_next, user, "pc-" + user, client) { TokenHash = null };
}
