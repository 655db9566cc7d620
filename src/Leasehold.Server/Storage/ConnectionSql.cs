using System.Data.Common;
using Dapper;
using Leasehold.Core.Access;

namespace Leasehold.Server.Storage;

/// <summary>
/// Connections: the statements both stores run, with their Dapper calls; each store opens the
/// connection and the transaction.
/// </summary>
internal static class ConnectionSql
{
    public static Task<int> InsertAsync(DbConnection db, DbTransaction tx, Connection connection) =>
        db.ExecuteAsync(
            "INSERT INTO connections (id, tenant_id, name, email, access_plan, created_at) VALUES (@Id, @TenantId, @Name, @Email, @AccessPlan, @CreatedAt)",
            ConnectionRow.From(connection), tx);

    /// <summary>A connection in scope; <paramref name="tx"/> when read inside a write (SQLite's writer building a ledger).</summary>
    public static async Task<Connection?> GetAsync(DbConnection db, DbTransaction? tx, string id, string? tenantScope) =>
        (await db.QuerySingleOrDefaultAsync<ConnectionRow>(
            "SELECT * FROM connections WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)", new { id, tenantScope }, tx))?.ToConnection();

    public static async Task<IReadOnlyList<Connection>> ListAsync(DbConnection db, SqlDialect dialect, string? tenantScope, string? tenantId) =>
        (await db.QueryAsync<ConnectionRow>(
            $"""
            SELECT * FROM connections
            WHERE (@tenantScope IS NULL OR tenant_id = @tenantScope) AND (@tenantId IS NULL OR tenant_id = @tenantId)
            ORDER BY created_at, {dialect.IdOrder}
            """, new { tenantScope, tenantId })).Select(r => r.ToConnection()).ToList();
}
