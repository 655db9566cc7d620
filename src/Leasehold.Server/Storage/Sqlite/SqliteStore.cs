using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Leasehold.Server.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. All writes go through one connection, one at
/// a time (SQLite allows a single writer anyway; queuing in-process avoids busy retries), so a
/// decision's read and write form one serialized transaction. Reads use pooled connections and
/// see the last committed state without waiting for the writer.
/// </summary>
internal sealed partial class SqliteStore : ILeaseholdStore, IDisposable
{
    private readonly string _connectionString;
    private readonly Durability _durability;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;

    static SqliteStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public SqliteStore(StoreOptions options, TimeProvider clock)
    {
        _clock = clock;
        Directory.CreateDirectory(options.DataDirectory);
        _durability = options.Durability;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.SqlitePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public async Task MigrateAsync(CancellationToken ct)
    {
        await WriteAsync(async (db, tx) =>
        {
            await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)", transaction: tx);
            var applied = (await db.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: tx)).ToHashSet();
            foreach (var migration in MigrationScripts.For("Sqlite").Where(m => !applied.Contains(m.Version)))
            {
                await db.ExecuteAsync(migration.Sql, transaction: tx);
                await db.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                    new { migration.Version, migration.Name, At = _clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
            }
            return 0;
        }, ct);
    }

    private async Task<SqliteConnection> OpenReadAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in an immediate transaction on the single writer connection.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, IDbTransaction, Task<T>> work, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            var writer = await WriterAsync(ct);
            using var tx = writer.BeginTransaction(deferred: false);
            var result = await work(writer, tx);
            tx.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<SqliteConnection> WriterAsync(CancellationToken ct)
    {
        if (_writer is { State: ConnectionState.Open })
            return _writer;
        _writer?.Dispose();
        var writer = new SqliteConnection(_connectionString);
        await writer.OpenAsync(ct);
        var synchronous = _durability == Durability.Fsync ? "FULL" : "NORMAL";
        await writer.ExecuteAsync($"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON;");
        _writer = writer;
        return writer;
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writeGate.Dispose();
    }
}
