using Dapper;
using Leasehold.Server.Sessions.Signals;
using Npgsql;

namespace Leasehold.Server.Storage.Postgres;

/// <summary>
/// The store for several server nodes on one PostgreSQL database. Nothing is cached across
/// requests: every decision reads its ledger inside a transaction that first takes the license's
/// row lock (<c>SELECT ... FOR UPDATE</c>), so decisions on one license are serialized across all
/// nodes and each sees what the one before committed. Every session write goes through that lock,
/// the reaper included (it skips licenses another node holds: <c>SKIP LOCKED</c>).
/// <para>
/// The SQL both stores run is shared (<see cref="TenantSql"/>, <see cref="ApiKeySql"/>,
/// <see cref="ConnectionSql"/>, <see cref="SessionSql"/>, <see cref="UsageSql"/>,
/// <see cref="SchemaSql"/>, with <see cref="SqlDialect.Postgres"/>). What differs here, and why:
/// </para>
/// <list type="bullet">
/// <item>How it runs statements: pooled connections (Npgsql prepares the repeated texts itself),
/// one READ COMMITTED transaction per write, and a database out of reach surfaces as
/// <see cref="StoreUnavailableException"/>.</item>
/// <item>Row locks, since several nodes write: a decision reads its ledger (the license locked with
/// its tenant's time zone, the live holders, the idempotent replay, the connection) in one batch,
/// one round trip; a license update, a usage rollup and the reaper lock the license too.</item>
/// <item>Ids ordered with <c>COLLATE "C"</c> (<see cref="SqlDialect.IdOrder"/>): byte by byte, as
/// SQLite does, rather than by the database's locale.</item>
/// <item>A session write updates first and inserts when no live row was there, having no ledger in
/// memory to tell a new session from a live one.</item>
/// <item>The reaper: one statement with CTEs over the due sessions of licenses it could lock
/// (<c>FOR UPDATE SKIP LOCKED</c>), so that nodes reaping at once share the work.</item>
/// <item>Session ends are sent to every node with <c>pg_notify</c> in the deciding transaction;
/// migrations take an advisory lock, so nodes starting at once apply each once.</item>
/// </list>
/// </summary>
internal sealed partial class PostgresStore : IStoreSchema, ITenantStore, IApiKeyStore, IConnectionStore, ISessionDecisions, ISessionReads, IWaitReads, IUsageStore, ISigningKeyStore, IInstallationStore, IAuditStore, IDisposable
{
    /// <summary>The advisory lock nodes take while migrating, so two starting at once do not both migrate.</summary>
    private const long MigrationLock = 0x4C65617365686F6C; // "Leasehol"

    private static readonly SqlDialect Dialect = SqlDialect.Postgres;
    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlDataSource _listenerSource;
    private readonly TimeProvider _clock;
    private readonly ISessionEndPublisher _ends;
    private readonly int _maxRefusalEvents;

    static PostgresStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <param name="maxRefusalEvents">Refusal events a license may gain per clock hour before the rest go into the hour's overflow event.</param>
    public PostgresStore(string connectionString, TimeProvider clock, ISessionEndPublisher ends,
        int maxRefusalEvents = StoreOptions.DefaultMaxRefusalEventsPerHour)
    {
        _clock = clock;
        _maxRefusalEvents = maxRefusalEvents;
        _ends = ends;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = "leasehold";
        // The same few statements run on every checkout and heartbeat: let Npgsql prepare them
        // once per connection (saves PostgreSQL's parse and plan), unless the operator chose otherwise.
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = 64;
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
        EndsChannel = SessionEndChannel.Name(builder.SearchPath);
        WaitsChannel = SessionEndChannel.Name(builder.SearchPath, "leasehold_waits");
        // The LISTEN connection lives as long as the node: outside the pool, with TCP keepalives so
        // a database that vanished without closing the socket is noticed.
        _listenerSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = builder.ApplicationName + "-listener",
        }.ConnectionString);
    }

    /// <summary>The channel this deployment's session ends are notified on (one per schema).</summary>
    public string EndsChannel { get; }

    /// <summary>The channel this deployment's waiting-line changes are notified on (one per schema).</summary>
    public string WaitsChannel { get; }

    /// <summary>A connection of its own for LISTEN (see <see cref="PostgresEndListener"/>).</summary>
    public async Task<NpgsqlConnection> OpenListenerAsync(CancellationToken ct) => await _listenerSource.OpenConnectionAsync(ct);

    /// <summary>Host, port and database of a connection string, for the log (never the password).</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public Task PingAsync(CancellationToken ct) => ReadAsync(db => db.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: ct)), ct);

    public Task MigrateAsync(CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            await db.ExecuteAsync("SELECT pg_advisory_xact_lock(@MigrationLock)", new { MigrationLock }, tx);
            await SchemaSql.MigrateAsync(db, tx, Dialect, _clock);
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
    private Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct) =>
        DecideAsync((db, tx, _) => work(db, tx), ct);

    /// <summary>
    /// As <see cref="WriteAsync{T}"/>, for work that may end sessions or change waiting lines (it adds them to the
    /// <see cref="Pushes"/> it is given): they are notified to every node inside the transaction (PostgreSQL delivers
    /// a NOTIFY only if its transaction commits) and published to this node's push channel after the commit.
    /// </summary>
    private async Task<T> DecideAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Pushes, Task<T>> work, CancellationToken ct)
    {
        var pushes = new Pushes();
        T result;
        try
        {
            await using var db = await _source.OpenConnectionAsync(ct);
            await using var tx = await db.BeginTransactionAsync(ct);
            result = await work(db, tx, pushes);
            foreach (var payload in SessionEndChannel.Payloads(pushes.Ends))
                await db.ExecuteAsync("SELECT pg_notify(@channel, @payload)", new { channel = EndsChannel, payload }, tx);
            foreach (var payload in SessionEndChannel.LinePayloads(pushes.Lines))
                await db.ExecuteAsync("SELECT pg_notify(@channel, @payload)", new { channel = WaitsChannel, payload }, tx);
            await tx.CommitAsync(ct);
        }
        catch (Exception e) when (StoreUnavailableException.Means(e))
        {
            throw new StoreUnavailableException(e);
        }
        pushes.PublishTo(_ends);
        return result;
    }

    private int _disposed;

    /// <summary>Idempotent: the container disposes the one instance once for each store interface it serves.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _source.Dispose();
        _listenerSource.Dispose();
    }
}
