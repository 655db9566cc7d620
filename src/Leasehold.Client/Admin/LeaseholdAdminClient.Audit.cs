using Leasehold.Core.Audit;

namespace Leasehold.Client.Admin;

/// <summary>The audit trail: read it (filtered, paged) and verify its hash chains.</summary>
public sealed partial class LeaseholdAdminClient
{
    /// <summary>One page of the audit trail, newest first (an operator key reads every tenant's; an admin key its tenant's).</summary>
    /// <param name="query">The filters; null: every record the key may see.</param>
    /// <param name="cursor">The <see cref="AuditPage.NextCursor"/> of the previous page (null: the first, newest).</param>
    /// <param name="limit">Records per page, 1-1000 (the server's default: 100).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault (a bad time or cursor); 403 for a client key.</exception>
    public Task<AuditPage> ListAuditAsync(AuditQuery? query = null, string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        Send<AuditPage>(HttpMethod.Get, "v1/audit" + Query([.. (query ?? new AuditQuery()).Parameters(), ("cursor", cursor), ("limit", Number(limit))]), null, ct);

    /// <summary>
    /// Reads every record this key may see (optionally of one tenant) and checks each chain here, not on the
    /// server: each record's hash against its fields, the sequence without gaps, each record naming the hash of
    /// the one before. A changed record, a deleted one (but the newest: compare the heads with ones noted
    /// earlier) or an inserted one is reported as the first broken record.
    /// </summary>
    /// <param name="tenantId">Only this tenant's chain; null: every chain the key may see.</param>
    /// <param name="ct">Cancels the reading.</param>
    /// <returns>What it checked, each chain's head, and the first broken record (null: all hold).</returns>
    /// <exception cref="LeaseholdException">The server refused a page (403 for a client key) or stayed unreachable.</exception>
    public async Task<AuditVerification> VerifyAuditAsync(string? tenantId = null, CancellationToken ct = default)
    {
        var all = new List<AuditRecordInfo>();
        string? cursor = null;
        do
        {
            var page = await ListAuditAsync(new AuditQuery { TenantId = tenantId }, cursor, 1000, ct).ConfigureAwait(false);
            all.AddRange(page.Records);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var heads = new List<AuditChainHead>();
        AuditBrokenRecord? broken = null;
        foreach (var chain in all.GroupBy(r => r.TenantId ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = chain.OrderBy(r => r.Sequence).ToList();
            var last = ordered[ordered.Count - 1];
            heads.Add(new AuditChainHead(last.TenantId, last.Sequence, last.Hash));
            if (broken is null && AuditChain.Verify(ordered.Select(r => (Link(r), r.Hash))) is { } found)
                broken = new AuditBrokenRecord(found.RecordId, found.TenantId, found.Sequence, found.Reason);
        }
        return new AuditVerification(all.Count, heads, broken);
    }

    private static AuditLink Link(AuditRecordInfo r) =>
        new(r.Id, r.Sequence, r.At.ToUnixTimeMilliseconds(), r.Actor.KeyId, r.Actor.KeyName, r.Actor.Role, r.TenantId, r.Action,
            r.Target.Type, r.Target.Id, Document(r.Before), Document(r.After), r.PreviousHash);

    private static string? Document(System.Text.Json.JsonElement? element) =>
        element is { ValueKind: not System.Text.Json.JsonValueKind.Null and not System.Text.Json.JsonValueKind.Undefined } e ? e.GetRawText() : null;
}
