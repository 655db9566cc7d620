using System.Data;
using System.Text.Json;
using Dapper;
using Leasehold.Core.Access;
using Leasehold.Core.Policies;

namespace Leasehold.Server.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public Task CreateConnectionAsync(Connection connection, CancellationToken ct) =>
        WriteAsync((db, tx) => db.ExecuteAsync(
            "INSERT INTO connections (id, tenant_id, name, email, access_plan, created_at) VALUES (@Id, @TenantId, @Name, @Email, @AccessPlan, @CreatedAt)",
            ConnectionRow.From(connection), tx), ct);

    public async Task<Connection?> GetConnectionAsync(string id, string? tenantScope, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return (await QueryConnectionAsync(db, null, id, tenantScope))?.ToConnection();
    }

    public async Task<IReadOnlyList<Connection>> ListConnectionsAsync(string? tenantScope, string? tenantId, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var rows = await db.QueryAsync<ConnectionRow>(
            """
            SELECT * FROM connections
            WHERE (@tenantScope IS NULL OR tenant_id = @tenantScope) AND (@tenantId IS NULL OR tenant_id = @tenantId)
            ORDER BY created_at, id
            """, new { tenantScope, tenantId });
        return rows.Select(r => r.ToConnection()).ToList();
    }

    private static Task<ConnectionRow?> QueryConnectionAsync(IDbConnection db, IDbTransaction? tx, string id, string? tenantScope) =>
        db.QuerySingleOrDefaultAsync<ConnectionRow>(
            "SELECT * FROM connections WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)", new { id, tenantScope }, tx);
}
