using Leasehold.Core.Sessions;

namespace Leasehold.Core.Usage;

/// <summary>What a usage event records (every admission, refusal, check and end, so admins can see who used what and when).</summary>
public enum UsageKind
{
    /// <summary>A session was admitted and now holds its seats; <see cref="UsageEvent.Code"/> is <c>admitted</c> or <c>admitted_over_limit</c>.</summary>
    Admitted,

    /// <summary>A checkout was refused; <see cref="UsageEvent.Code"/> says why.</summary>
    Denied,

    /// <summary>A pass/fail check ran; <see cref="UsageEvent.Code"/> is <c>pass</c>, <c>pass_over_limit</c> or the failure code.</summary>
    Checked,

    /// <summary>A session ended; <see cref="UsageEvent.Code"/> is the end reason.</summary>
    Ended,
}

/// <summary>
/// The record of one decision or state change, written in the same transaction as the change.
/// <see cref="Seats"/> is what the session holds (or, for a refusal, what it asked for: the client
/// type's weight); an <see cref="UsageKind.Ended"/> event is dated when the end was due, not when it
/// was noticed, so reports built from events need not care when the reaper ran.
/// </summary>
public sealed record UsageEvent(
    string TenantId,
    string LicenseId,
    string? SessionId,
    DateTimeOffset At,
    UsageKind Kind,
    string Code,
    string User,
    string? Device,
    string Client,
    int Seats,
    string? Actor = null)
{
    /// <summary>The seat key an admitted session holds under: sessions with equal keys share their seats.</summary>
    public string? SeatKey { get; init; }

    /// <summary>Seats in use on the license right after the decision (admitted, denied, checked); null for ends.</summary>
    public int? SeatsInUse { get; init; }

    /// <summary>The license's seat limit when the decision was made; null for ends.</summary>
    public int? SeatLimit { get; init; }

    /// <summary>For an end: the session's last reported user activity (the time from it to the end is idle holding).</summary>
    public DateTimeOffset? LastActivityAt { get; init; }

    /// <summary>For an admission that borrowed its seat: until when it is borrowed (null otherwise).</summary>
    public DateTimeOffset? BorrowedUntil { get; init; }

    /// <summary>
    /// How many decisions this event stands for: 1, or for a refusal, the repeats the store folded into it
    /// (<see cref="RefusalCollapse"/>); every report counts an event this many times.
    /// </summary>
    public int Count { get; init; } = 1;

    /// <summary>When the last of the <see cref="Count"/> decisions was made (null: <see cref="At"/>, the only one).</summary>
    public DateTimeOffset? LastAt { get; init; }

    public static UsageEvent Ended(Session session, string? actor = null) => new(
        session.TenantId, session.LicenseId, session.Id, session.EndedAt ?? throw new InvalidOperationException("Session has not ended."),
        UsageKind.Ended, Codes.Of(session.EndReason!.Value), session.User, session.Device, session.Client, session.Seats, actor)
    {
        SeatKey = session.SeatKey,
        LastActivityAt = session.LastActivityAt < session.EndedAt ? session.LastActivityAt : session.EndedAt,
    };
}
