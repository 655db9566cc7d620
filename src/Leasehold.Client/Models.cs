using System.Text.Json;

namespace Leasehold.Client;

/// <summary>What to check out a seat for. <see cref="LicenseId"/> and <see cref="Client"/> default to the options'.</summary>
public sealed record CheckoutRequest
{
    /// <summary>The user the seat is for, as the application names them (a login name, an e-mail): the server counts seats, cool-downs and usage per user.</summary>
    public required string User { get; init; }
    /// <summary>The machine the user works on (e.g. <see cref="Environment.MachineName"/>): shown to admins beside the user in the list of who holds seats.</summary>
    public required string Device { get; init; }
    /// <summary>The license to take the seat from (<c>lic_...</c>); null: <see cref="LeaseholdClientOptions.LicenseId"/>.</summary>
    public string? LicenseId { get; init; }
    /// <summary>The client type whose policy applies (TTL, idle timeout, seats, messages); null: <see cref="LeaseholdClientOptions.ClientType"/>.</summary>
    public string? Client { get; init; }

    /// <summary>The connection (shared access credential) the user signs in through, where the license uses connections.</summary>
    public string? Connection { get; init; }

    /// <summary>The e-mail the user signed in with (users share a connection only when they share its e-mail).</summary>
    public string? Email { get; init; }

    /// <summary>True for a single sign-on user (never shares a connection).</summary>
    public bool? Sso { get; init; }

    /// <summary>
    /// Makes the checkout exactly-once: a retry with the same key gets the same session, never a
    /// second seat. Left empty, the client makes one per <see cref="LeaseholdClient.CheckoutAsync(CheckoutRequest, CancellationToken)"/> call and reuses it for its retries.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>A message the application shows its user on its home screen, with a stable code (<c>over_limit</c>, <c>license_expiring</c>, ...).</summary>
/// <param name="Code">The stable code to branch on: <c>over_limit</c>, <c>license_expiring</c>, <c>license_in_grace</c>, <c>access_window_closed</c>, ...</param>
/// <param name="Message">The text for the user, as the license's policy words it.</param>
public sealed record LeaseWarning(string Code, string Message);

/// <summary>The session a checkout took over on a shared connection.</summary>
/// <param name="SessionId">The id of the session that was taken over (it ended as <c>taken_over</c>).</param>
/// <param name="User">The user whose session it was.</param>
public sealed record TakeoverInfo(string SessionId, string User);

/// <summary>A session as the server shows it.</summary>
public sealed record SessionInfo
{
    /// <summary>The session's id (<c>ses_...</c>).</summary>
    public string Id { get; init; } = "";
    /// <summary>The tenant the session's license belongs to.</summary>
    public string TenantId { get; init; } = "";
    /// <summary>The license the seat was taken from.</summary>
    public string LicenseId { get; init; } = "";
    /// <summary>The user the seat is held for.</summary>
    public string User { get; init; } = "";
    /// <summary>The device the checkout named.</summary>
    public string Device { get; init; } = "";
    /// <summary>The client type the session runs under (<c>desktop</c>, <c>web</c>, ...).</summary>
    public string Client { get; init; } = "";
    /// <summary>How many seats the session holds (the client type's <c>seats</c>, usually 1).</summary>
    public int Seats { get; init; }

    /// <summary><c>active</c> or <c>ended</c>.</summary>
    public string Status { get; init; } = "";
    /// <summary>When the seat was checked out (server time, UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }
    /// <summary>When the server last heard from the session (checkout or heartbeat).</summary>
    public DateTimeOffset LastHeartbeatAt { get; init; }
    /// <summary>When a heartbeat last reported the user active (the idle timeout counts from here).</summary>
    public DateTimeOffset LastActivityAt { get; init; }
    /// <summary>When the session expires unless a heartbeat comes first: the last heartbeat plus the client type's TTL.</summary>
    public DateTimeOffset ExpiresAt { get; init; }
    /// <summary>When the session ends as idle without reported activity; null when the client type has no idle timeout.</summary>
    public DateTimeOffset? IdleAt { get; init; }

    /// <summary>How often the server advises to heartbeat (a third of the TTL).</summary>
    public int HeartbeatIntervalSeconds { get; init; }
    /// <summary>When the session ended (server time); null while it is active.</summary>
    public DateTimeOffset? EndedAt { get; init; }
    /// <summary>Why the session ended (<c>released</c>, <c>expired</c>, <c>idle</c>, <c>stopped</c>, <c>taken_over</c>, ...; see <see cref="LeaseEndReason"/>); null while it is active.</summary>
    public string? EndReason { get; init; }
    /// <summary>The connection the session signed in through, if any.</summary>
    public string? Connection { get; init; }
    /// <summary>True when the seat is the user's named seat (a policy's named users), which is not counted against the concurrent limit.</summary>
    public bool Named { get; init; }
    /// <summary>The version of the license's policy the session was admitted under.</summary>
    public int PolicyVersion { get; init; }

    /// <summary>Checkout and heartbeat answers: what to show the user now.</summary>
    public IReadOnlyList<LeaseWarning>? Warnings { get; init; }

    /// <summary>Checkout answers: the session this one took over.</summary>
    public TakeoverInfo? TookOver { get; init; }

    /// <summary>Checkout answers after a takeover: the state the taken-over session had saved.</summary>
    public JsonElement? State { get; init; }
    /// <summary>Checkout answers: the seats in use on the license, this one included.</summary>
    public int? SeatsInUse { get; init; }
    /// <summary>Checkout answers: the license's seat limit.</summary>
    public int? SeatLimit { get; init; }

    /// <summary>Until when the seat is borrowed (held without heartbeats); null when it is not.</summary>
    public DateTimeOffset? BorrowedUntil { get; init; }

    /// <summary>A borrowing checkout's answer: the signed lease (see <see cref="BorrowedLease"/>).</summary>
    public string? Lease { get; init; }

    /// <summary>A stop's answer, when the stop began a cool-down: until when the user's checkouts on the license are refused.</summary>
    public DateTimeOffset? CoolDownUntil { get; init; }

    /// <summary>True while the session holds its seat (<see cref="Status"/> is <c>active</c>).</summary>
    public bool IsActive => Status == "active";
}

/// <summary>The answer of a pass/fail check: <see cref="Pass"/>, or why not in the client type's own words.</summary>
public sealed record CheckResult
{
    /// <summary>True when a seat is free for the user now (the check holds nothing).</summary>
    public bool Pass { get; init; }
    /// <summary>The outcome's stable code: the refusal's (<c>no_seat_available</c>, <c>license_expired</c>, ...) when it fails.</summary>
    public string Code { get; init; } = "";
    /// <summary>The client type's text for the user when it fails.</summary>
    public string Message { get; init; } = "";
    /// <summary>The seats in use on the license now.</summary>
    public int SeatsInUse { get; init; }
    /// <summary>The license's seat limit.</summary>
    public int SeatLimit { get; init; }
    /// <summary>What a checkout now would show on the home screen (<c>over_limit</c> in soft mode, <c>license_expiring</c>, ...).</summary>
    public IReadOnlyList<LeaseWarning> Warnings { get; init; } = [];
}
