using Dapper;

namespace Leasehold.Server.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public Task CreateApiKeyAsync(ApiKey key, CancellationToken ct) =>
        WriteAsync((db, tx) => db.ExecuteAsync(
            "INSERT INTO api_keys (id, tenant_id, role, name, secret_hash, created_at) VALUES (@Id, @TenantId, @Role, @Name, @SecretHash, @CreatedAt)",
            new { key.Id, key.TenantId, Role = key.Role.ToString(), key.Name, key.SecretHash, CreatedAt = key.CreatedAt.ToUnixTimeMilliseconds() }, tx), ct);

    public async Task<ApiKey?> FindApiKeyAsync(string secretHash, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var row = await db.QuerySingleOrDefaultAsync<ApiKeyRow>("SELECT * FROM api_keys WHERE secret_hash = @secretHash", new { secretHash });
        return row?.ToApiKey();
    }

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string? tenantScope, string? tenantId, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var rows = await db.QueryAsync<ApiKeyRow>(
            """
            SELECT * FROM api_keys
            WHERE (@tenantScope IS NULL OR tenant_id = @tenantScope) AND (@tenantId IS NULL OR tenant_id = @tenantId)
            ORDER BY created_at, id
            """, new { tenantScope, tenantId });
        return rows.Select(r => r.ToApiKey()).ToList();
    }

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

    public async Task<bool> AnyOperatorKeyAsync(CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE role = 'Operator' AND revoked_at IS NULL") > 0;
    }
}
