using Leasehold.Core.Sessions;

namespace Leasehold.Core.Queue;

/// <summary>Where an entry of the waiting line is in its life (docs/waiting-line.md, "An entry's life").</summary>
public enum WaitState
{
    /// <summary>In the line, waiting for a seat it fits.</summary>
    Waiting,

    /// <summary>A seat is held for it until <see cref="WaitEntry.OfferExpiresAt"/>; nobody else may take that seat meanwhile.</summary>
    Offered,

    /// <summary>Out of the line for good (<see cref="WaitEntry.EndReason"/> says why).</summary>
    Ended,
}

/// <summary>Why an entry left the line.</summary>
public enum WaitEnd
{
    /// <summary>It took its offer: the seat is now a session (<see cref="WaitEntry.SessionId"/>).</summary>
    Granted,

    /// <summary>Its client left the line (cancelled, closed).</summary>
    Left,

    /// <summary>No heartbeat for its client type's TTL: the client is gone.</summary>
    Expired,

    /// <summary>It waited as long as it asked to (or the policy's longest wait) without a seat.</summary>
    TimedOut,

    /// <summary>It was offered a seat and did not take it within the policy's offer hold; the seat passed on.</summary>
    OfferLapsed,
}

/// <summary>
/// One checkout waiting for a seat of one license. It carries the checkout it stands for (<see cref="Request"/>:
/// user, device, client, the session id it will get, its connection), so taking the offer is that same checkout,
/// decided by <see cref="SeatDecision.Checkout"/> like any other.
/// </summary>
public sealed record WaitEntry
{
    public required string Id { get; init; }
    public required string TenantId { get; init; }
    public required string LicenseId { get; init; }

    /// <summary>The checkout this entry waits to make; its <see cref="CheckoutRequest.SessionId"/> is the session it becomes.</summary>
    public required CheckoutRequest Request { get; init; }

    /// <summary>The client type's name (resolved at join).</summary>
    public required string Client { get; init; }

    /// <summary>The seat key the session will hold under (as <see cref="SeatDecision.SeatKeyFor"/> makes it).</summary>
    public required string SeatKey { get; init; }

    /// <summary>Seats the session will hold (the client type's weight).</summary>
    public required int Seats { get; init; }

    /// <summary>Join order on the license: higher than every open entry's when it joined. The line is ordered by it.</summary>
    public required long Sequence { get; init; }

    public required DateTimeOffset JoinedAt { get; init; }
    public required DateTimeOffset LastHeartbeatAt { get; init; }

    /// <summary>Liveness: no heartbeat for this long ends the entry as <see cref="WaitEnd.Expired"/> (its client type's TTL).</summary>
    public required TimeSpan Ttl { get; init; }

    /// <summary>The end of the wait the checkout asked for, cut to the policy's longest wait.</summary>
    public required DateTimeOffset WaitUntil { get; init; }

    public WaitState State { get; init; } = WaitState.Waiting;
    public DateTimeOffset? OfferedAt { get; init; }
    public DateTimeOffset? OfferExpiresAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public WaitEnd? EndReason { get; init; }

    /// <summary>The session the entry became (granted).</summary>
    public string? SessionId { get; init; }

    /// <summary>The SHA-256 of the secret its client proves itself with (as a session's token), made by the caller.</summary>
    public string? TokenHash { get; init; }

    public string User => Request.User;

    public bool IsOpen => State != WaitState.Ended;

    /// <summary>When the entry ends by itself unless something happens first, and why.</summary>
    public (WaitEnd Reason, DateTimeOffset At) NextEnd
    {
        get
        {
            var next = (Reason: WaitEnd.Expired, At: LastHeartbeatAt + Ttl);
            // An offered entry keeps its offer for the whole hold, even past the end of its wait.
            if (State == WaitState.Offered && OfferExpiresAt is { } lapses && lapses < next.At)
                next = (WaitEnd.OfferLapsed, lapses);
            else if (State == WaitState.Waiting && WaitUntil < next.At)
                next = (WaitEnd.TimedOut, WaitUntil);
            return next;
        }
    }

    /// <summary>The end the entry has reached by <paramref name="now"/>, dated when it was due; null when none.</summary>
    public (WaitEnd Reason, DateTimeOffset At)? DueEnd(DateTimeOffset now)
    {
        if (!IsOpen)
            return null;
        var next = NextEnd;
        return now < next.At ? null : next;
    }

    public WaitEntry End(WaitEnd reason, DateTimeOffset at) => this with { State = WaitState.Ended, EndReason = reason, EndedAt = at };

    /// <summary>The seats an offer holds, as a session the seat count can count (never stored as one).</summary>
    public Session AsHeldSeat() => new()
    {
        Id = Id,
        TenantId = TenantId,
        LicenseId = LicenseId,
        User = Request.User,
        Device = Request.Device,
        Client = Client,
        Consumption = Policies.Consumption.Seat,
        Seats = Seats,
        SeatKey = SeatKey,
        Ttl = Ttl,
        IdleTimeout = null,
        StartedAt = OfferedAt ?? JoinedAt,
        LastHeartbeatAt = LastHeartbeatAt,
        LastActivityAt = LastHeartbeatAt,
    };
}

/// <summary>What happened to an entry, for the usage history and the right-sizing report.</summary>
public enum WaitEventKind
{
    Joined,
    Offered,
    Granted,
    Left,
    Expired,
    TimedOut,
    OfferLapsed,
}

/// <summary>
/// The record of one step of an entry's life. <paramref name="Waited"/> is the time from joining to this step
/// (the wait a right-sizing report counts); <paramref name="Position"/> the entry's place in line when it joined.
/// </summary>
public sealed record WaitEvent(
    string TenantId,
    string LicenseId,
    string EntryId,
    DateTimeOffset At,
    WaitEventKind Kind,
    string User,
    string Device,
    string Client,
    int Seats,
    TimeSpan Waited)
{
    public int? Position { get; init; }

    public string? SessionId { get; init; }

    public static WaitEvent Of(WaitEntry entry, WaitEventKind kind, DateTimeOffset at) =>
        new(entry.TenantId, entry.LicenseId, entry.Id, at, kind, entry.Request.User, entry.Request.Device, entry.Client, entry.Seats,
            at > entry.JoinedAt ? at - entry.JoinedAt : TimeSpan.Zero) { SessionId = entry.SessionId };

    public static WaitEventKind KindOf(WaitEnd end) => end switch
    {
        WaitEnd.Granted => WaitEventKind.Granted,
        WaitEnd.Left => WaitEventKind.Left,
        WaitEnd.Expired => WaitEventKind.Expired,
        WaitEnd.TimedOut => WaitEventKind.TimedOut,
        WaitEnd.OfferLapsed => WaitEventKind.OfferLapsed,
        _ => throw new ArgumentOutOfRangeException(nameof(end), end, null),
    };
}
