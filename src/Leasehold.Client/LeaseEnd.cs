namespace Leasehold.Client;

/// <summary>Why a lease ended. The server's reasons, and two of the client's own.</summary>
public enum LeaseEndReason
{
    /// <summary>The application signed off (disposed the lease).</summary>
    Released,

    /// <summary>No heartbeat reached the server within the client type's TTL.</summary>
    Expired,

    /// <summary>The user showed no activity for the idle timeout.</summary>
    Idle,

    /// <summary>An administrator stopped the session.</summary>
    Stopped,

    /// <summary>Another user sharing the connection signed in and took the session over.</summary>
    TakenOver,

    /// <summary>The connection's access window closed.</summary>
    WindowClosed,

    /// <summary>The license ended.</summary>
    LicenseExpired,

    /// <summary>The server could not be reached for longer than <see cref="LeaseholdClientOptions.OfflineGrace"/>.</summary>
    OfflineGraceExpired,

    /// <summary>The server no longer accepts the session or the key (unknown session, revoked key): <see cref="LeaseEnd.Code"/> says which.</summary>
    Rejected,

    /// <summary>A borrowed seat's time ran out.</summary>
    BorrowEnded,
}

/// <summary>How a lease ended: the reason, the server's code for it, and a message for the user.</summary>
/// <param name="Reason">Why, as an enum to branch on.</param>
/// <param name="Code">The server's code for it (<c>released</c>, <c>expired</c>, <c>idle</c>, <c>stopped</c>, <c>taken_over</c>, <c>window_closed</c>, <c>license_expired</c>, <c>borrow_ended</c>), or the client's own (<c>offline_grace_expired</c>, or the refusal's code for <see cref="LeaseEndReason.Rejected"/>).</param>
/// <param name="Message">The text for the user (the server's, or the client's own for an end it noticed itself).</param>
/// <param name="EndedAt">When the session ended: the server's time when the server told it (the push channel, a heartbeat's answer, a 410), the client's clock for an end it noticed itself (offline grace, sign-off); null when the server did not say.</param>
public sealed record LeaseEnd(LeaseEndReason Reason, string Code, string Message, DateTimeOffset? EndedAt)
{
    internal static LeaseEndReason ReasonOf(string? code) => code switch
    {
        "released" => LeaseEndReason.Released,
        "expired" => LeaseEndReason.Expired,
        "idle" => LeaseEndReason.Idle,
        "stopped" => LeaseEndReason.Stopped,
        "taken_over" => LeaseEndReason.TakenOver,
        "window_closed" => LeaseEndReason.WindowClosed,
        "license_expired" => LeaseEndReason.LicenseExpired,
        "borrow_ended" => LeaseEndReason.BorrowEnded,
        _ => LeaseEndReason.Rejected,
    };

    internal static LeaseEnd FromServer(string? reason, string? message, DateTimeOffset? endedAt) =>
        new(ReasonOf(reason), reason ?? "ended", message ?? "The session has ended.", endedAt);
}

/// <summary>Raised once when the session ends for any reason but the application's own sign-off.</summary>
public sealed class LeaseEndedEventArgs(LeaseEnd end) : EventArgs
{
    /// <summary>How the session ended; the same as <see cref="Lease.End"/>.</summary>
    public LeaseEnd End { get; } = end;
}

/// <summary>Raised when the warnings to show on the home screen change.</summary>
public sealed class LeaseWarningsEventArgs(IReadOnlyList<LeaseWarning> warnings) : EventArgs
{
    /// <summary>The warnings to show now (all of them, not a difference): the same as <see cref="Lease.Warnings"/>.</summary>
    public IReadOnlyList<LeaseWarning> Warnings { get; } = warnings;
}

/// <summary>Raised when the lease loses or regains the server.</summary>
public sealed class LeaseConnectivityEventArgs(bool online, DateTimeOffset? offlineSince, DateTimeOffset? graceEndsAt) : EventArgs
{
    /// <summary>True when the lease reached the server again, false when it lost it.</summary>
    public bool Online { get; } = online;

    /// <summary>When the first request failed (null when online).</summary>
    public DateTimeOffset? OfflineSince { get; } = offlineSince;

    /// <summary>When the lease ends unless the server answers before (null when online).</summary>
    public DateTimeOffset? GraceEndsAt { get; } = graceEndsAt;
}
