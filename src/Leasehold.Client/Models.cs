using System.Text.Json;

namespace Leasehold.Client;

/// <summary>What to check out a seat for. <see cref="LicenseId"/> and <see cref="Client"/> default to the options'.</summary>
public sealed record CheckoutRequest
{
    public required string User { get; init; }
    public required string Device { get; init; }
    public string? LicenseId { get; init; }
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
public sealed record LeaseWarning(string Code, string Message);

/// <summary>The session a checkout took over on a shared connection.</summary>
public sealed record TakeoverInfo(string SessionId, string User);

/// <summary>A session as the server shows it.</summary>
public sealed record SessionInfo
{
    public string Id { get; init; } = "";
    public string TenantId { get; init; } = "";
    public string LicenseId { get; init; } = "";
    public string User { get; init; } = "";
    public string Device { get; init; } = "";
    public string Client { get; init; } = "";
    public int Seats { get; init; }

    /// <summary><c>active</c> or <c>ended</c>.</summary>
    public string Status { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset LastHeartbeatAt { get; init; }
    public DateTimeOffset LastActivityAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? IdleAt { get; init; }

    /// <summary>How often the server advises to heartbeat (a third of the TTL).</summary>
    public int HeartbeatIntervalSeconds { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndReason { get; init; }
    public string? Connection { get; init; }
    public bool Named { get; init; }
    public int PolicyVersion { get; init; }

    /// <summary>Checkout and heartbeat answers: what to show the user now.</summary>
    public IReadOnlyList<LeaseWarning>? Warnings { get; init; }

    /// <summary>Checkout answers: the session this one took over.</summary>
    public TakeoverInfo? TookOver { get; init; }

    /// <summary>Checkout answers after a takeover: the state the taken-over session had saved.</summary>
    public JsonElement? State { get; init; }
    public int? SeatsInUse { get; init; }
    public int? SeatLimit { get; init; }

    /// <summary>Until when the seat is borrowed (held without heartbeats); null when it is not.</summary>
    public DateTimeOffset? BorrowedUntil { get; init; }

    /// <summary>A borrowing checkout's answer: the signed lease (see <see cref="BorrowedLease"/>).</summary>
    public string? Lease { get; init; }

    /// <summary>A stop's answer, when the stop began a cool-down: until when the user's checkouts on the license are refused.</summary>
    public DateTimeOffset? CoolDownUntil { get; init; }

    public bool IsActive => Status == "active";
}

/// <summary>The answer of a pass/fail check: <see cref="Pass"/>, or why not in the client type's own words.</summary>
public sealed record CheckResult
{
    public bool Pass { get; init; }
    public string Code { get; init; } = "";
    public string Message { get; init; } = "";
    public int SeatsInUse { get; init; }
    public int SeatLimit { get; init; }
    public IReadOnlyList<LeaseWarning> Warnings { get; init; } = [];
}
