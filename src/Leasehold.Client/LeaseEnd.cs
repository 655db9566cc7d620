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
    public LeaseEnd End { get; } = end;
}

/// <summary>Raised when the warnings to show on the home screen change.</summary>
public sealed class LeaseWarningsEventArgs(IReadOnlyList<LeaseWarning> warnings) : EventArgs
{
    public IReadOnlyList<LeaseWarning> Warnings { get; } = warnings;
}

/// <summary>Raised when the lease loses or regains the server.</summary>
public sealed class LeaseConnectivityEventArgs(bool online, DateTimeOffset? offlineSince, DateTimeOffset? graceEndsAt) : EventArgs
{
    public bool Online { get; } = online;

    /// <summary>When the first request failed (null when online).</summary>
    public DateTimeOffset? OfflineSince { get; } = offlineSince;

    /// <summary>When the lease ends unless the server answers before (null when online).</summary>
    public DateTimeOffset? GraceEndsAt { get; } = graceEndsAt;
}
