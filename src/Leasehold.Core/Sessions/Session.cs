using Leasehold.Core.Policies;

namespace Leasehold.Core.Sessions;

/// <summary>
/// One active connection of one client instance. The client type's TTL, idle timeout and weight
/// are copied in at checkout, so a later policy change never alters a session that is already open.
/// </summary>
public sealed record Session
{
    public required string Id { get; init; }
    public required string TenantId { get; init; }
    public required string LicenseId { get; init; }
    public required string User { get; init; }
    public required string Device { get; init; }
    public required string Client { get; init; }
    public required Consumption Consumption { get; init; }

    /// <summary>Seats this session draws from the pool (0 for check and none consumption).</summary>
    public required int Seats { get; init; }

    /// <summary>Sessions with equal seat keys share their seats (see <see cref="SeatKey"/>).</summary>
    public required string SeatKey { get; init; }

    public required TimeSpan Ttl { get; init; }
    public required TimeSpan? IdleTimeout { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset LastHeartbeatAt { get; init; }
    public required DateTimeOffset LastActivityAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public EndReason? EndReason { get; init; }
    public string? IdempotencyKey { get; init; }

    /// <summary>The connection (shared access credential) the session signed in through, if any.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>The e-mail the user signed in with: users may share a connection only when they share one.</summary>
    public string? Email { get; init; }

    /// <summary>Signed in through single sign-on: such a user may never share a connection.</summary>
    public bool Sso { get; init; }

    /// <summary>A named user's session: always admitted, holds no seat from the pool.</summary>
    public bool Named { get; init; }

    public int PolicyVersion { get; init; } = 1;

    /// <summary>When the connection's access window closes (null: it does not, or no connection).</summary>
    public DateTimeOffset? WindowClosesAt { get; init; }

    /// <summary>Whether the session ends when the window closes (else it is only warned).</summary>
    public bool EndsAtWindowClose { get; init; }

    /// <summary>When the license stops admitting (end date plus grace): open sessions end then.</summary>
    public DateTimeOffset? LicenseEndsAt { get; init; }

    /// <summary>
    /// A borrowed seat: held until this moment without heartbeats (the client runs off the network
    /// on a signed lease), unless returned first. Null for an ordinary session.
    /// </summary>
    public DateTimeOffset? BorrowedUntil { get; init; }

    /// <summary>
    /// The SHA-256 (hex) of the secret the checkout answered for this session: its holder proves
    /// itself with the secret. Null for sessions written before session tokens existed.
    /// </summary>
    public string? TokenHash { get; init; }

    public bool IsActive => EndedAt is null;

    /// <summary>When the session ends unless a heartbeat arrives; a borrowed seat's end, which no heartbeat moves.</summary>
    public DateTimeOffset ExpiresAt => BorrowedUntil ?? LastHeartbeatAt + Ttl;

    /// <summary>How often the client should heartbeat to keep it (<see cref="ClientTypePolicy.HeartbeatIntervalFor"/>).</summary>
    public TimeSpan HeartbeatInterval => ClientTypePolicy.HeartbeatIntervalFor(Ttl);

    /// <summary>When the session ends unless the user shows activity; null when it never idles out.</summary>
    public DateTimeOffset? IdleAt => IdleTimeout is { } idle ? LastActivityAt + idle : null;

    /// <summary>The earliest moment the session ends by itself, and why: the reaper's index key.</summary>
    public (EndReason Reason, DateTimeOffset At) NextEnd
    {
        get
        {
            var next = BorrowedUntil is { } borrowedUntil
                ? (Reason: Sessions.EndReason.BorrowEnded, At: borrowedUntil)
                : (Reason: Sessions.EndReason.Expired, At: ExpiresAt);
            if (IdleAt is { } idleAt && idleAt < next.At)
                next = (Sessions.EndReason.Idle, idleAt);
            if (EndsAtWindowClose && WindowClosesAt is { } closes && closes < next.At)
                next = (Sessions.EndReason.WindowClosed, closes);
            // A license cut short ends the session no earlier than its last sign of life.
            if (LicenseEndsAt is { } licenseEnds && licenseEnds < next.At)
                next = (Sessions.EndReason.LicenseExpired, licenseEnds > LastHeartbeatAt ? licenseEnds : LastHeartbeatAt);
            return next;
        }
    }

    public DateTimeOffset Deadline => NextEnd.At;

    /// <summary>
    /// The end this session has reached by <paramref name="now"/>, if any, dated when it was due
    /// (not when someone noticed), so history shows the seat free from the right moment.
    /// </summary>
    public (EndReason Reason, DateTimeOffset At)? DueEnd(DateTimeOffset now)
    {
        if (!IsActive)
            return null;
        var next = NextEnd;
        return now < next.At ? null : next;
    }

    public Session End(EndReason reason, DateTimeOffset at) => this with { EndedAt = at, EndReason = reason };
}
