using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leasehold.Client.Admin;

/// <summary>Who made a change: the API key's id, its name and its role.</summary>
public sealed record AuditActorInfo(string KeyId, string? KeyName, string Role);

/// <summary>What a change was made to (<c>tenant</c>, <c>license</c>, <c>key</c>, <c>connection</c>, <c>session</c>, <c>console</c>) and its id.</summary>
public sealed record AuditTargetInfo(string Type, string? Id);

/// <summary>
/// One record of the audit trail: who, when, what, the target before and after (JSON), and its place in
/// its tenant's hash chain (<see cref="Sequence"/>, <see cref="PreviousHash"/>, <see cref="Hash"/>).
/// </summary>
public sealed record AuditRecordInfo(
    string Id, long Sequence, DateTimeOffset At, AuditActorInfo Actor, string? TenantId, string Action, AuditTargetInfo Target,
    JsonElement? Before, JsonElement? After, string? PreviousHash, string Hash);

/// <summary>A page of the audit trail, newest first; <see cref="NextCursor"/> continues it (null: the last page). <see cref="Records"/> are the answer's <c>items</c>.</summary>
public sealed record AuditPage([property: JsonPropertyName("items")] IReadOnlyList<AuditRecordInfo> Records, string? NextCursor);

/// <summary>The filters of the audit trail (all optional). Times are ISO 8601 instants.</summary>
public sealed record AuditQuery
{
    public string? TenantId { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public string? Action { get; init; }
    public string? ActorKeyId { get; init; }
    public string? TargetId { get; init; }

    internal (string Name, string? Value)[] Parameters() =>
        [("tenantId", TenantId), ("from", From), ("to", To), ("action", Action), ("actorKeyId", ActorKeyId), ("targetId", TargetId)];
}

/// <summary>
/// What <see cref="LeaseholdAdminClient.VerifyAuditAsync"/> found: how many records and chains it
/// checked, the head (newest hash) of each chain, and the first broken record (null: every chain holds).
/// </summary>
public sealed record AuditVerification(int Records, IReadOnlyList<AuditChainHead> Chains, AuditBrokenRecord? Broken)
{
    public bool Ok => Broken is null;
}

/// <summary>A chain (a tenant's, or <c>null</c>: the records of no tenant) and its newest record: note its hash to detect a later rewrite.</summary>
public sealed record AuditChainHead(string? TenantId, long Sequence, string Hash);

/// <summary>The first record found broken, and why (changed, or a record deleted or inserted before it).</summary>
public sealed record AuditBrokenRecord(string Id, string? TenantId, long Sequence, string Reason);
