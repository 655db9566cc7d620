using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leasehold.Client.Admin;

/// <summary>Who made a change: the API key's id, its name and its role.</summary>
/// <param name="KeyId">The id of the API key that made the change.</param>
/// <param name="KeyName">The key's name, as it was then; null when it had none.</param>
/// <param name="Role">The key's role: <c>operator</c>, <c>admin</c> or <c>client</c>.</param>
public sealed record AuditActorInfo(string KeyId, string? KeyName, string Role);

/// <summary>What a change was made to (<c>tenant</c>, <c>license</c>, <c>key</c>, <c>connection</c>, <c>session</c>, <c>console</c>) and its id.</summary>
/// <param name="Type">The kind of thing changed.</param>
/// <param name="Id">Its id; null when the change has no single target.</param>
public sealed record AuditTargetInfo(string Type, string? Id);

/// <summary>
/// One record of the audit trail: who, when, what, the target before and after (JSON), and its place in
/// its tenant's hash chain (<see cref="Sequence"/>, <see cref="PreviousHash"/>, <see cref="Hash"/>).
/// </summary>
/// <param name="Id">The record's id.</param>
/// <param name="Sequence">Its place in its tenant's chain: 1, 2, 3, ... without gaps.</param>
/// <param name="At">When the change was made.</param>
/// <param name="Actor">Who made it.</param>
/// <param name="TenantId">The tenant whose chain it is in; null for changes of no tenant (operator keys, tenants themselves).</param>
/// <param name="Action">What was done, e.g. <c>license.seats_changed</c>, <c>session.stopped</c>.</param>
/// <param name="Target">What it was done to.</param>
/// <param name="Before">The target before the change (JSON); null when it was created.</param>
/// <param name="After">The target after the change (JSON); null when it was deleted.</param>
/// <param name="PreviousHash">The hash of the record before it in the chain; null for the first.</param>
/// <param name="Hash">The record's own hash, over its fields and <paramref name="PreviousHash"/>.</param>
public sealed record AuditRecordInfo(
    string Id, long Sequence, DateTimeOffset At, AuditActorInfo Actor, string? TenantId, string Action, AuditTargetInfo Target,
    JsonElement? Before, JsonElement? After, string? PreviousHash, string Hash);

/// <summary>A page of the audit trail, newest first; <see cref="NextCursor"/> continues it (null: the last page). <see cref="Records"/> are the answer's <c>items</c>.</summary>
/// <param name="Records">The records of this page, newest first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next (older) page; null: this was the last.</param>
public sealed record AuditPage([property: JsonPropertyName("items")] IReadOnlyList<AuditRecordInfo> Records, string? NextCursor);

/// <summary>The filters of the audit trail (all optional). Times are ISO 8601 instants.</summary>
public sealed record AuditQuery
{
    /// <summary>Only this tenant's records (operator keys; an admin key sees its own tenant's anyway).</summary>
    public string? TenantId { get; init; }
    /// <summary>Only records at or after this instant (ISO 8601, e.g. <c>2026-03-03T09:00:00Z</c>).</summary>
    public string? From { get; init; }
    /// <summary>Only records before this instant (ISO 8601).</summary>
    public string? To { get; init; }
    /// <summary>Only records of this action (e.g. <c>license.seats_changed</c>).</summary>
    public string? Action { get; init; }
    /// <summary>Only changes made with this API key (its id).</summary>
    public string? ActorKeyId { get; init; }
    /// <summary>Only changes of this target (a license's, key's, session's ... id).</summary>
    public string? TargetId { get; init; }

    internal (string Name, string? Value)[] Parameters() =>
        [("tenantId", TenantId), ("from", From), ("to", To), ("action", Action), ("actorKeyId", ActorKeyId), ("targetId", TargetId)];
}

/// <summary>
/// What <see cref="LeaseholdAdminClient.VerifyAuditAsync"/> found: how many records and chains it
/// checked, the head (newest hash) of each chain, and the first broken record (null: every chain holds).
/// </summary>
/// <param name="Records">How many records were read and checked.</param>
/// <param name="Chains">The head of each chain checked.</param>
/// <param name="Broken">The first broken record; null when every chain holds.</param>
public sealed record AuditVerification(int Records, IReadOnlyList<AuditChainHead> Chains, AuditBrokenRecord? Broken)
{
    /// <summary>True when every chain holds (no <see cref="Broken"/> record).</summary>
    public bool Ok => Broken is null;
}

/// <summary>A chain (a tenant's, or <c>null</c>: the records of no tenant) and its newest record: note its hash to detect a later rewrite.</summary>
/// <param name="TenantId">The chain's tenant; null for the chain of records of no tenant.</param>
/// <param name="Sequence">The newest record's sequence number.</param>
/// <param name="Hash">The newest record's hash.</param>
public sealed record AuditChainHead(string? TenantId, long Sequence, string Hash);

/// <summary>The first record found broken, and why (changed, or a record deleted or inserted before it).</summary>
/// <param name="Id">The record's id.</param>
/// <param name="TenantId">Its chain's tenant; null for the chain of no tenant.</param>
/// <param name="Sequence">Its sequence number.</param>
/// <param name="Reason">What is wrong with it, for people.</param>
public sealed record AuditBrokenRecord(string Id, string? TenantId, long Sequence, string Reason);
