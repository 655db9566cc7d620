using Dapper;

namespace Leasehold.Server.Storage.Postgres;

internal sealed partial class PostgresStore
{
    public Task CreateApiKeyAsync(ApiKey key, CancellationToken ct) =>
        WriteAsync((db, tx) => db.ExecuteAsync(
            "INSERT INTO api_keys (id, tenant_id, role, name, secret_hash, created_at) VALUES (@Id, @TenantId, @Role, @Name, @SecretHash, @CreatedAt)",
            new { key.Id, key.TenantId, Role = key.Role.ToString(), key.Name, key.SecretHash, CreatedAt = key.CreatedAt.ToUnixTimeMilliseconds() }, tx), ct);

    public Task<ApiKey?> FindApiKeyAsync(string secretHash, CancellationToken ct) =>
        ReadAsync(async db => (await db.QuerySingleOrDefaultAsync<ApiKeyRow>(
            "SELECT * FROM api_keys WHERE secret_hash = @secretHash", new { secretHash }))?.ToApiKey(), ct);

    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string? tenantScope, string? tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ApiKey>>(async db => (await db.QueryAsync<ApiKeyRow>(
            """
            SELECT * FROM api_keys
            WHERE (@tenantScope IS NULL OR tenant_id = @tenantScope) AND (@tenantId IS NULL OR tenant_id = @tenantId)
            ORDER BY created_at, id COLLATE "C"
            """, new { tenantScope, tenantId })).Select(r => r.ToApiKey()).ToList(), ct);

    public Task<ApiKey?> RevokeApiKeyAsync(string id, string? tenantScope, DateTimeOffset at, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            await db.ExecuteAsync(
                "UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL AND (@tenantScope IS NULL OR tenant_id = @tenantScope)",
                new { id, tenantScope, at = at.ToUnixTimeMilliseconds() }, tx);
            var row = await db.QuerySingleOrDefaultAsync<ApiKeyRow>(
                "SELECT * FROM api_keys WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)", new { id, tenantScope }, tx);
            return row?.ToApiKey();
        }, ct);

    public Task<bool> AnyOperatorKeyAsync(CancellationToken ct) =>
        ReadAsync(async db => await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE role = 'Operator' AND revoked_at IS NULL") > 0, ct);
}
