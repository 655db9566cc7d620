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

    public bool IsActive => EndedAt is null;

    /// <summary>When the session ends unless a heartbeat arrives.</summary>
    public DateTimeOffset ExpiresAt => LastHeartbeatAt + Ttl;

    /// <summary>When the session ends unless the user shows activity; null when it never idles out.</summary>
    public DateTimeOffset? IdleAt => IdleTimeout is { } idle ? LastActivityAt + idle : null;

    /// <summary>The earliest moment the session ends by itself: the reaper's index key.</summary>
    public DateTimeOffset Deadline => IdleAt is { } idleAt && idleAt < ExpiresAt ? idleAt : ExpiresAt;

    /// <summary>
    /// The end this session has reached by <paramref name="now"/>, if any, dated when it was due
    /// (not when someone noticed), so history shows the seat free from the right moment.
    /// </summary>
    public (EndReason Reason, DateTimeOffset At)? DueEnd(DateTimeOffset now)
    {
        if (!IsActive || now < Deadline)
            return null;
        return IdleAt is { } idleAt && idleAt < ExpiresAt
            ? (Sessions.EndReason.Idle, idleAt)
            : (Sessions.EndReason.Expired, ExpiresAt);
    }

    public Session End(EndReason reason, DateTimeOffset at) => this with { EndedAt = at, EndReason = reason };
}
