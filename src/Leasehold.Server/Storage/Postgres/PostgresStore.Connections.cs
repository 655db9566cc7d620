using Leasehold.Core.Access;

namespace Leasehold.Server.Storage.Postgres;

/// <summary>Connections on PostgreSQL (<see cref="ConnectionSql"/> holds the SQL).</summary>
internal sealed partial class PostgresStore
{
    public Task CreateConnectionAsync(Connection connection, CancellationToken ct) =>
        WriteAsync((db, tx) => ConnectionSql.InsertAsync(db, tx, connection), ct);

    public Task<Connection?> GetConnectionAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => ConnectionSql.GetAsync(db, null, id, tenantScope), ct);

    public Task<IReadOnlyList<Connection>> ListConnectionsAsync(string? tenantScope, string? tenantId, CancellationToken ct) =>
        ReadAsync(db => ConnectionSql.ListAsync(db, Dialect, tenantScope, tenantId), ct);

    public Task<bool> UpdateConnectionAsync(Connection connection, CancellationToken ct) =>
        WriteAsync((db, tx) => ConnectionSql.UpdateAsync(db, tx, connection), ct);

    public Task<ConnectionRemoval> DeleteConnectionAsync(Connection connection, CancellationToken ct) =>
        WriteAsync((db, tx) => ConnectionSql.DeleteAsync(db, tx, Dialect, connection), ct);
}
