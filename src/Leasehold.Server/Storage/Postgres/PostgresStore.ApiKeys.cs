using Leasehold.Server.Audit;

namespace Leasehold.Server.Storage.Postgres;

/// <summary>API keys on PostgreSQL (<see cref="ApiKeySql"/> holds the SQL).</summary>
internal sealed partial class PostgresStore
{
    public Task CreateApiKeyAsync(ApiKey key, IReadOnlyList<AuditEntry> audit, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            await ApiKeySql.InsertAsync(db, tx, key);
            await AuditSql.AppendAsync(db, tx, Dialect, audit);
            return 0;
        }, ct);

    public Task<bool> CreateApiKeyWithinQuotaAsync(ApiKey key, int quota, IReadOnlyList<AuditEntry> audit, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            if (!await ApiKeySql.InsertWithinQuotaAsync(db, tx, Dialect, key, quota))
                return false;
            await AuditSql.AppendAsync(db, tx, Dialect, audit);
            return true;
        }, ct);

    public Task<ApiKey?> FindApiKeyAsync(string secretHash, CancellationToken ct) =>
        ReadAsync(db => ApiKeySql.FindAsync(db, secretHash), ct);

    public Task<ApiKey?> GetApiKeyAsync(string id, CancellationToken ct) =>
        ReadAsync(db => ApiKeySql.GetAsync(db, id), ct);

    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string? tenantScope, string? tenantId, PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => ApiKeySql.ListAsync(db, Dialect, tenantScope, tenantId, page), ct);

    public Task<ApiKey?> RevokeApiKeyAsync(string id, string? tenantScope, DateTimeOffset at, AuditActor? actor, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            var key = await ApiKeySql.RevokeAsync(db, tx, id, tenantScope, at);
            if (actor is not null && key?.RevokedAt == at)
                await AuditSql.AppendAsync(db, tx, Dialect, [AuditViews.KeyRevocation(actor, key)]);
            return key;
        }, ct);

    public Task<IReadOnlyList<ApiKey>> ListSlowHashedApiKeysAsync(CancellationToken ct) =>
        ReadAsync(ApiKeySql.ListSlowHashedAsync, ct);

    public Task<bool> ReplaceSecretHashAsync(string id, string oldHash, string newHash, CancellationToken ct) =>
        WriteAsync((db, tx) => ApiKeySql.ReplaceSecretHashAsync(db, tx, id, oldHash, newHash), ct);

    public Task<bool> AnyOperatorKeyAsync(CancellationToken ct) =>
        ReadAsync(ApiKeySql.AnyOperatorAsync, ct);
}
