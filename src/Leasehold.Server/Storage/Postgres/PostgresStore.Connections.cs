using Leasehold.Core.Access;

namespace Leasehold.Server.Storage.Postgres;

/// <summary>Connections on PostgreSQL (<see cref="ConnectionSql"/> holds the SQL).</summary>
internal sealed partial class PostgresStore
{
    public Task CreateConnectionAsync(Connection connection, IReadOnlyList<AuditEntry> audit, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            await ConnectionSql.InsertAsync(db, tx, connection);
            await AuditSql.AppendAsync(db, tx, Dialect, audit);
            return 0;
        }, ct);

    public Task<Connection?> GetConnectionAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => ConnectionSql.GetAsync(db, null, id, tenantScope), ct);

    public Task<IReadOnlyList<Connection>> ListConnectionsAsync(string? tenantScope, string? tenantId, PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => ConnectionSql.ListAsync(db, Dialect, tenantScope, tenantId, page), ct);

    public Task<bool> UpdateConnectionAsync(Connection connection, IReadOnlyList<AuditEntry> audit, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            var updated = await ConnectionSql.UpdateAsync(db, tx, connection);
            if (updated)
                await AuditSql.AppendAsync(db, tx, Dialect, audit);
            return updated;
        }, ct);

    public Task<ConnectionRemoval> DeleteConnectionAsync(Connection connection, IReadOnlyList<AuditEntry> audit, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            var removal = await ConnectionSql.DeleteAsync(db, tx, Dialect, connection);
            if (removal.Removed)
                await AuditSql.AppendAsync(db, tx, Dialect, audit);
            return removal;
        }, ct);
}
