using Leasehold.Core.Sessions;

namespace Leasehold.Core.Usage;

/// <summary>What a usage event records (SPEC rule 16).</summary>
public enum UsageKind
{
    /// <summary>A session was admitted and now holds its seats.</summary>
    Admitted,

    /// <summary>A checkout was refused; <see cref="UsageEvent.Code"/> says why.</summary>
    Denied,

    /// <summary>A pass/fail check ran; <see cref="UsageEvent.Code"/> is <c>pass</c> or the failure code.</summary>
    Checked,

    /// <summary>A session ended; <see cref="UsageEvent.Code"/> is the end reason.</summary>
    Ended,
}

/// <summary>The record of one decision or state change, written in the same transaction as the change.</summary>
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
    public static UsageEvent Ended(Session session, string? actor = null) => new(
        session.TenantId, session.LicenseId, session.Id, session.EndedAt ?? throw new InvalidOperationException("Session has not ended."),
        UsageKind.Ended, Codes.Of(session.EndReason!.Value), session.User, session.Device, session.Client, session.Seats, actor);
}
