using Dapper;
using Leasehold.Core.Access;
using Leasehold.Core.Policies;

namespace Leasehold.Server.Storage.Postgres;

internal sealed partial class PostgresStore
{
    public Task CreateConnectionAsync(Connection connection, CancellationToken ct) =>
        WriteAsync((db, tx) => db.ExecuteAsync(
            "INSERT INTO connections (id, tenant_id, name, email, access_plan, created_at) VALUES (@Id, @TenantId, @Name, @Email, @AccessPlan, @CreatedAt)",
            ConnectionRow.From(connection), tx), ct);

    public Task<Connection?> GetConnectionAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(async db => (await db.QuerySingleOrDefaultAsync<ConnectionRow>(ConnectionById, new { id, tenantScope }))?.ToConnection(), ct);

    public Task<IReadOnlyList<Connection>> ListConnectionsAsync(string? tenantScope, string? tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<Connection>>(async db => (await db.QueryAsync<ConnectionRow>(
            """
            SELECT * FROM connections
            WHERE (@tenantScope IS NULL OR tenant_id = @tenantScope) AND (@tenantId IS NULL OR tenant_id = @tenantId)
            ORDER BY created_at, id COLLATE "C"
            """, new { tenantScope, tenantId })).Select(r => r.ToConnection()).ToList(), ct);

    private const string ConnectionById = "SELECT * FROM connections WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)";
}
