using System.Data.Common;
using Dapper;

namespace Leasehold.Server.Storage;

/// <summary>
/// API keys: the statements both stores run, with their Dapper calls; each store opens the
/// connection and the transaction.
/// </summary>
internal static class ApiKeySql
{
    public static Task<int> InsertAsync(DbConnection db, DbTransaction tx, ApiKey key) =>
        db.ExecuteAsync(
            "INSERT INTO api_keys (id, tenant_id, role, name, secret_hash, created_at) VALUES (@Id, @TenantId, @Role, @Name, @SecretHash, @CreatedAt)",
            ApiKeyRow.From(key), tx);

    /// <summary>
    /// Stores a tenant's key unless the tenant already holds <paramref name="quota"/> standing keys of the
    /// roles the quota counts (admin and client): false, and nothing stored, when it does. The tenant's row
    /// is locked first (on PostgreSQL; SQLite's writer is alone), so nodes creating keys for one tenant at
    /// once count one after the other and never pass the quota together.
    /// </summary>
    public static async Task<bool> InsertWithinQuotaAsync(DbConnection db, DbTransaction tx, SqlDialect dialect, ApiKey key, int quota)
    {
        await db.ExecuteScalarAsync<string?>($"SELECT id FROM tenants WHERE id = @TenantId{dialect.RowLock}", new { key.TenantId }, tx);
        var row = ApiKeyRow.From(key);
        return await db.ExecuteAsync(
            """
            INSERT INTO api_keys (id, tenant_id, role, name, secret_hash, created_at)
            SELECT @Id, @TenantId, @Role, @Name, @SecretHash, @CreatedAt
            WHERE (SELECT COUNT(*) FROM api_keys WHERE tenant_id = @TenantId AND revoked_at IS NULL AND role IN ('Admin', 'Client')) < @quota
            """, new { row.Id, row.TenantId, row.Role, row.Name, row.SecretHash, row.CreatedAt, quota = (long)quota }, tx) == 1;
    }

    public static async Task<ApiKey?> FindAsync(DbConnection db, string secretHash) =>
        (await db.QuerySingleOrDefaultAsync<ApiKeyRow>("SELECT * FROM api_keys WHERE secret_hash = @secretHash", new { secretHash }))?.ToApiKey();

    public static async Task<ApiKey?> GetAsync(DbConnection db, string id) =>
        (await db.QuerySingleOrDefaultAsync<ApiKeyRow>("SELECT * FROM api_keys WHERE id = @id", new { id }))?.ToApiKey();

    /// <summary>Keys in scope (of one tenant, given <paramref name="tenantId"/>) by creation, then id: all, or one <paramref name="page"/>.</summary>
    public static async Task<IReadOnlyList<ApiKey>> ListAsync(DbConnection db, SqlDialect dialect, string? tenantScope, string? tenantId, PageRequest? page) =>
        (await db.QueryAsync<ApiKeyRow>(
            "SELECT * FROM api_keys " + Keyset.Clauses(dialect, "created_at", "id", page,
                Keyset.Equal("tenant_id", "tenantScope", tenantScope), Keyset.Equal("tenant_id", "tenantId", tenantId)),
            Keyset.Parameters(page, new { tenantScope, tenantId }))).Select(r => r.ToApiKey()).ToList();

    /// <summary>Revokes a key not revoked yet, then reads it back in the same transaction: the key as it now is, or null when not in scope.</summary>
    public static async Task<ApiKey?> RevokeAsync(DbConnection db, DbTransaction tx, string id, string? tenantScope, DateTimeOffset at)
    {
        await db.ExecuteAsync(
            "UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL AND (@tenantScope IS NULL OR tenant_id = @tenantScope)",
            new { id, tenantScope, at = at.ToUnixTimeMilliseconds() }, tx);
        var row = await db.QuerySingleOrDefaultAsync<ApiKeyRow>(
            "SELECT * FROM api_keys WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)", new { id, tenantScope }, tx);
        return row?.ToApiKey();
    }

    /// <summary>Keys stored with a salted slow hash (a human-chosen operator key), revoked or not: a handful at most.</summary>
    public static async Task<IReadOnlyList<ApiKey>> ListSlowHashedAsync(DbConnection db) =>
        (await db.QueryAsync<ApiKeyRow>("SELECT * FROM api_keys WHERE secret_hash LIKE @prefix", new { prefix = Auth.ApiKeySecrets.SlowHashPrefix + "%" }))
            .Select(r => r.ToApiKey()).ToList();

    /// <summary>Stores a key's secret hashed anew (an upgrade to the slow hash), unless another node did first.</summary>
    public static async Task<bool> ReplaceSecretHashAsync(DbConnection db, DbTransaction tx, string id, string oldHash, string newHash) =>
        await db.ExecuteAsync("UPDATE api_keys SET secret_hash = @newHash WHERE id = @id AND secret_hash = @oldHash", new { id, oldHash, newHash }, tx) == 1;

    public static async Task<bool> AnyOperatorAsync(DbConnection db) =>
        await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE role = 'Operator' AND revoked_at IS NULL") > 0;
}
