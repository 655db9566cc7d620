namespace Leasehold.Core.Sessions;

/// <summary>Why a session ended. Every end carries one, and the user is told it in the same words.</summary>
public enum EndReason
{
    /// <summary>The client signed off.</summary>
    Released,

    /// <summary>No heartbeat arrived within the client type's TTL.</summary>
    Expired,

    /// <summary>Heartbeats reported no user activity for the idle timeout.</summary>
    Idle,

    /// <summary>An admin stopped it.</summary>
    Stopped,

    /// <summary>Another user sharing its connection signed in and took the session over.</summary>
    TakenOver,

    /// <summary>Its connection's access window closed.</summary>
    WindowClosed,

    /// <summary>The license ended (end date plus grace).</summary>
    LicenseExpired,

    /// <summary>A borrowed seat's time ran out (its <c>borrowedUntil</c>).</summary>
    BorrowEnded,
}
