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
            "INSERT INTO connections (id, tenant_id, name, email, access_plan, created_at, user_name) VALUES (@Id, @TenantId, @Name, @Email, @AccessPlan, @CreatedAt, @UserName)",
            ConnectionRow.From(connection), tx);

    public static async Task<bool> UpdateAsync(DbConnection db, DbTransaction tx, Connection connection) =>
        await db.ExecuteAsync("UPDATE connections SET name = @Name, email = @Email, access_plan = @AccessPlan, user_name = @UserName WHERE id = @Id",
            ConnectionRow.From(connection), tx) == 1;

    /// <summary>A sign-in's claim of a connection that has no user yet: written only if it still has none, so the first claim wins.</summary>
    public static Task<int> ClaimAsync(DbConnection db, DbTransaction tx, Leasehold.Core.Sessions.ConnectionClaim claim) =>
        db.ExecuteAsync("UPDATE connections SET user_name = @User WHERE id = @ConnectionId AND user_name IS NULL", claim, tx);

    /// <summary>
    /// Deletes the connection unless an open session uses it. The tenant's license rows are locked first
    /// (<see cref="SqlDialect.RowLock"/>; SQLite's single writer serializes anyway): every checkout locks
    /// its license, so none can start on the connection between the count and the delete.
    /// </summary>
    public static async Task<ConnectionRemoval> DeleteAsync(DbConnection db, DbTransaction tx, SqlDialect dialect, Connection connection)
    {
        await db.QueryAsync<string>($"SELECT id FROM licenses WHERE tenant_id = @TenantId ORDER BY id{dialect.RowLock}", new { connection.TenantId }, tx);
        var open = await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sessions WHERE connection_id = @Id AND ended_at IS NULL", new { connection.Id }, tx);
        if (open > 0)
            return new ConnectionRemoval(false, (int)open);
        var removed = await db.ExecuteAsync("DELETE FROM connections WHERE id = @Id", new { connection.Id }, tx);
        return new ConnectionRemoval(removed == 1, 0);
    }

    /// <summary>A connection in scope; <paramref name="tx"/> when read inside a write (SQLite's writer building a ledger).</summary>
    public static async Task<Connection?> GetAsync(DbConnection db, DbTransaction? tx, string id, string? tenantScope) =>
        (await db.QuerySingleOrDefaultAsync<ConnectionRow>(
            "SELECT * FROM connections WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)", new { id, tenantScope }, tx))?.ToConnection();

    /// <summary>Connections in scope (of one tenant, given <paramref name="tenantId"/>) by creation, then id: all, or one <paramref name="page"/>.</summary>
    public static async Task<IReadOnlyList<Connection>> ListAsync(DbConnection db, SqlDialect dialect, string? tenantScope, string? tenantId, PageRequest? page) =>
        (await db.QueryAsync<ConnectionRow>(
            "SELECT * FROM connections " + Keyset.Clauses(dialect, "created_at", "id", page,
                Keyset.Equal("tenant_id", "tenantScope", tenantScope), Keyset.Equal("tenant_id", "tenantId", tenantId)),
            Keyset.Parameters(page, new { tenantScope, tenantId }))).Select(r => r.ToConnection()).ToList();
}
