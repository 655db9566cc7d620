namespace Leasehold.Server.Storage.Postgres;

/// <summary>The audit trail on PostgreSQL (<see cref="AuditSql"/> holds the SQL): each append locks its chain (<see cref="SqlDialect.ChainLock"/>).</summary>
internal sealed partial class PostgresStore
{
    public Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            await AuditSql.AppendAsync(db, tx, Dialect, entries);
            return 0;
        }, ct);

    public Task<IReadOnlyList<AuditRecord>> ListAuditAsync(AuditFilter filter, CancellationToken ct) =>
        ReadAsync(db => AuditSql.ListAsync(db, filter), ct);
}
