namespace Leasehold.Server.Storage;

/// <summary>
/// The audit trail. Records of a change that goes through the store are appended by the store in the
/// change's own transaction (each write that an admin or operator makes takes its <see cref="AuditEntry"/>
/// list); <see cref="AppendAuditAsync"/> is for what changes nothing else in the store (a console sign-in).
/// </summary>
internal interface IAuditStore
{
    /// <summary>Appends records that stand alone, in one transaction.</summary>
    Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct);

    /// <summary>Records matching <paramref name="filter"/>, newest first (by position), at most <see cref="AuditFilter.Limit"/>.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAuditAsync(AuditFilter filter, CancellationToken ct);
}

/// <summary>Who made a change: the API key (its id, name and role).</summary>
internal sealed record AuditActor(string KeyId, string? KeyName, string Role);

/// <summary>
/// A change to record: who, when, what (an action such as <c>license.seats_changed</c> on a target),
/// and the target before and after (objects serialized as JSON; never a secret or a secret's hash).
/// <see cref="TenantId"/> chooses the chain (null: the chain of records of no tenant).
/// </summary>
internal sealed record AuditEntry(
    AuditActor Actor, DateTimeOffset At, string? TenantId, string Action, string TargetType, string? TargetId, object? Before, object? After);

/// <summary>A stored audit record. <see cref="Before"/> and <see cref="After"/> are JSON texts.</summary>
internal sealed record AuditRecord(
    long Position, string Id, long Sequence, DateTimeOffset At, AuditActor Actor, string? TenantId, string Action,
    string TargetType, string? TargetId, string? Before, string? After, string? PreviousHash, string Hash);

/// <summary>
/// What <see cref="IAuditStore.ListAuditAsync"/> reads: <see cref="TenantScope"/> confines it to one tenant's
/// chain (null: every chain, the operator's view); <see cref="Before"/> is the cursor (positions below it).
/// </summary>
internal sealed record AuditFilter(
    string? TenantScope, string? TenantId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Action = null,
    string? ActorKeyId = null, string? TargetId = null, long? Before = null, int Limit = 100);
