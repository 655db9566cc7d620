namespace Leasehold.Server.Storage.Sqlite;

/// <summary>The audit trail on SQLite (<see cref="AuditSql"/> holds the SQL): appended on the single writer, which keeps each chain in order.</summary>
internal sealed partial class SqliteStore
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
