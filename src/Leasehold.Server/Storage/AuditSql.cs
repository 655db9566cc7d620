using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Leasehold.Core.Audit;

namespace Leasehold.Server.Storage;

/// <summary>
/// The audit trail's statements, both stores: appending to a chain (inside the caller's transaction,
/// after the change it records) and reading records back.
/// </summary>
internal static class AuditSql
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Appends each entry to its tenant's chain in <paramref name="tx"/>: reads the chain's head
    /// (on PostgreSQL after a transaction-scoped advisory lock on the chain, so that nodes append to one
    /// chain one at a time and it cannot fork), and inserts the record with the next sequence and its hash.
    /// </summary>
    public static async Task AppendAsync(DbConnection db, DbTransaction tx, SqlDialect dialect, IReadOnlyList<AuditEntry> entries)
    {
        foreach (var entry in entries)
        {
            var chain = entry.TenantId ?? "";
            if (dialect.ChainLock is { } chainLock)
                await db.ExecuteAsync(chainLock, new { key = LockKey(chain) }, tx);
            var head = await db.QuerySingleOrDefaultAsync<ChainHead>(
                "SELECT sequence, hash FROM audit_records WHERE chain = @chain ORDER BY sequence DESC LIMIT 1", new { chain }, tx);
            var link = new AuditLink(Ids.NewRandom("aud"), (head?.Sequence ?? 0) + 1, entry.At.ToUnixTimeMilliseconds(),
                entry.Actor.KeyId, entry.Actor.KeyName, entry.Actor.Role, entry.TenantId, entry.Action, entry.TargetType, entry.TargetId,
                Document(entry.Before), Document(entry.After), head?.Hash);
            await db.ExecuteAsync(
                """
                INSERT INTO audit_records (id, chain, sequence, at, actor_key_id, actor_key_name, actor_role, tenant_id, action,
                    target_type, target_id, before_json, after_json, previous_hash, hash)
                VALUES (@Id, @chain, @Sequence, @AtUnixMilliseconds, @ActorKeyId, @ActorKeyName, @ActorRole, @TenantId, @Action,
                    @TargetType, @TargetId, @Before, @After, @PreviousHash, @hash)
                """,
                new
                {
                    link.Id, chain, link.Sequence, link.AtUnixMilliseconds, link.ActorKeyId, link.ActorKeyName, link.ActorRole,
                    link.TenantId, link.Action, link.TargetType, link.TargetId, link.Before, link.After, link.PreviousHash,
                    hash = AuditChain.Hash(link),
                }, tx);
        }
    }

    public static async Task<IReadOnlyList<AuditRecord>> ListAsync(DbConnection db, AuditFilter f) =>
        (await db.QueryAsync<AuditRow>(
            """
            SELECT * FROM audit_records
            WHERE (@TenantScope IS NULL OR chain = @TenantScope)
              AND (@TenantId IS NULL OR chain = @TenantId)
              AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
              AND (@Action IS NULL OR action = @Action)
              AND (@ActorKeyId IS NULL OR actor_key_id = @ActorKeyId)
              AND (@TargetId IS NULL OR target_id = @TargetId)
              AND (@Before IS NULL OR position < @Before)
            ORDER BY position DESC
            LIMIT @Limit
            """,
            new
            {
                f.TenantScope, f.TenantId, from = f.From?.ToUnixTimeMilliseconds(), to = f.To?.ToUnixTimeMilliseconds(),
                f.Action, f.ActorKeyId, f.TargetId, f.Before, f.Limit,
            })).Select(r => r.ToRecord()).ToList();

    /// <summary>The JSON text an entry's before or after is stored as, normalized as its hash reads it.</summary>
    private static string? Document(object? value) =>
        value is null ? null : AuditChain.Normalize(JsonSerializer.Serialize(value, value.GetType(), Json));

    /// <summary>The chain's advisory lock key: 64 bits of its SHA-256, so chains seldom share a lock (and sharing one only serializes them).</summary>
    private static long LockKey(string chain) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("leasehold-audit:" + chain)), 0);

    private sealed class ChainHead
    {
        public long Sequence { get; set; }
        public string Hash { get; set; } = "";
    }

    private sealed class AuditRow
    {
        public long Position { get; set; }
        public string Id { get; set; } = "";
        public long Sequence { get; set; }
        public long At { get; set; }
        public string ActorKeyId { get; set; } = "";
        public string? ActorKeyName { get; set; }
        public string ActorRole { get; set; } = "";
        public string? TenantId { get; set; }
        public string Action { get; set; } = "";
        public string TargetType { get; set; } = "";
        public string? TargetId { get; set; }
        public string? BeforeJson { get; set; }
        public string? AfterJson { get; set; }
        public string? PreviousHash { get; set; }
        public string Hash { get; set; } = "";

        public AuditRecord ToRecord() => new(Position, Id, Sequence, DateTimeOffset.FromUnixTimeMilliseconds(At),
            new AuditActor(ActorKeyId, ActorKeyName, ActorRole), TenantId, Action, TargetType, TargetId, BeforeJson, AfterJson, PreviousHash, Hash);
    }
}
