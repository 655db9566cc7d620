using Dapper;
using Npgsql;

namespace Leasehold.Server.Storage.Postgres;

/// <summary>
/// The store for several server nodes on one PostgreSQL database. Nothing is cached across
/// requests: every decision reads its ledger inside a transaction that first takes the license's
/// row lock (<c>SELECT ... FOR UPDATE</c>), so decisions on one license are serialized across all
/// nodes and each sees what the one before committed. Every session write goes through that lock,
/// the reaper included (it skips licenses another node holds: <c>SKIP LOCKED</c>).
/// </summary>
internal sealed partial class PostgresStore : ILeaseholdStore, IDisposable
{
    /// <summary>The advisory lock nodes take while migrating, so two starting at once do not both migrate.</summary>
    private const long MigrationLock = 0x4C65617365686F6C; // "Leasehol"

    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _clock;
    private readonly UsageRecording _recording;

    static PostgresStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public PostgresStore(string connectionString, TimeProvider clock, UsageRecording? recording = null)
    {
        _clock = clock;
        _recording = recording ?? new UsageRecording();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = "leasehold";
        // The same few statements run on every checkout and heartbeat: let Npgsql prepare them
        // once per connection (saves PostgreSQL's parse and plan), unless the operator chose otherwise.
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = 64;
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>Host, port and database of a connection string, for the log (never the password).</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public Task MigrateAsync(CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            await db.ExecuteAsync("SELECT pg_advisory_xact_lock(@MigrationLock)", new { MigrationLock }, tx);
            await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)", transaction: tx);
            var applied = (await db.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: tx)).ToHashSet();
            foreach (var migration in MigrationScripts.For("Postgres").Where(m => !applied.Contains(m.Version)))
            {
                await db.ExecuteAsync(migration.Sql, transaction: tx);
                await db.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                    new { migration.Version, migration.Name, At = _clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
            }
            return 0;
        }, ct);

    /// <summary>A pooled connection for reads the caller streams (a database out of reach is <see cref="StoreUnavailableException"/>).</summary>
    private async Task<NpgsqlConnection> OpenReadAsync(CancellationToken ct)
    {
        try
        {
            return await _source.OpenConnectionAsync(ct);
        }
        catch (Exception e) when (StoreUnavailableException.Means(e))
        {
            throw new StoreUnavailableException(e);
        }
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection, outside any transaction (reads see the last commit).</summary>
    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken ct)
    {
        try
        {
            await using var db = await _source.OpenConnectionAsync(ct);
            return await work(db);
        }
        catch (Exception e) when (StoreUnavailableException.Means(e))
        {
            throw new StoreUnavailableException(e);
        }
    }

    /// <summary>Runs <paramref name="work"/> in one READ COMMITTED transaction and commits it; the answer comes after the commit.</summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        try
        {
            await using var db = await _source.OpenConnectionAsync(ct);
            await using var tx = await db.BeginTransactionAsync(ct);
            var result = await work(db, tx);
            await tx.CommitAsync(ct);
            return result;
        }
        catch (Exception e) when (StoreUnavailableException.Means(e))
        {
            throw new StoreUnavailableException(e);
        }
    }

    public void Dispose() => _source.Dispose();
}
