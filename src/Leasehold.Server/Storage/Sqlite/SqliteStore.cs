using System.Threading.Channels;
using Dapper;
using Leasehold.Server.Hosting;
using Leasehold.Server.Sessions.Signals;
using Microsoft.Data.Sqlite;

namespace Leasehold.Server.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. All writes go through one connection, one at
/// a time (SQLite allows a single writer anyway; queuing in-process avoids busy retries), so a
/// decision's read and write are serialized with every other write. Writes that queue up while
/// one commits are committed together (group commit). Reads use pooled connections and see the
/// last committed state without waiting for the writer. Checkpoints (copying the log back into the
/// database file, with its two disk flushes) run on a connection of their own in the background,
/// not inside a commit on the writer: see <see cref="RunCheckpointerAsync"/>.
/// <para>
/// The SQL both stores run is shared (<see cref="TenantSql"/>, <see cref="ApiKeySql"/>,
/// <see cref="ConnectionSql"/>, <see cref="SessionSql"/>, <see cref="UsageSql"/>,
/// <see cref="SchemaSql"/>, with <see cref="SqlDialect.Sqlite"/>). What differs here, and why:
/// </para>
/// <list type="bullet">
/// <item>How it runs statements: reads on pooled connections; every write queued for the one
/// writer connection and committed in groups; ends published once their group is committed.</item>
/// <item>The writer's hot statements (<see cref="SessionStatements"/>): prepared once per writer
/// connection and bound and read by hand, the shared texts of <see cref="SessionSql"/> included,
/// since checkouts and heartbeats are what the server spends its time on (docs/benchmarks.md).</item>
/// <item>Ledgers kept in memory (<see cref="LiveLedgers"/>): a license's live holders are read from
/// the file once, with its tenant's time zone, then kept in step with every write; so a session is
/// written by what the ledger knows of it: a live update that leaves <c>ended_at</c> alone (which
/// spares the partial index of live sessions), an end, or an insert.</item>
/// <item>The reaper: one prepared batch over a temporary table of the due rows, the writer being
/// alone (PostgreSQL locks licenses and skips those locked).</item>
/// <item>No row locks (<see cref="SqlDialect.RowLock"/> is empty) and no id collation: the single
/// writer serializes every decision, and SQLite compares text byte by byte already.</item>
/// </list>
/// </summary>
internal sealed partial class SqliteStore : IStoreSchema, ITenantStore, IApiKeyStore, IConnectionStore, ISessionDecisions, ISessionReads, IWaitReads, IUsageStore, ISigningKeyStore, IInstallationStore, IAuditStore, IDisposable
{
    private readonly string _connectionString;
    private readonly Durability _durability;
    private readonly int _maxRefusalEvents;
    private readonly TimeProvider _clock;
    private const int MaxBatch = 256;
    private readonly Channel<WriteItem> _writes = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writerLoop;
    private readonly LiveLedgers _ledgers = new();
    private readonly ISessionEndPublisher _ends;
    private readonly Telemetry.LeaseholdMetrics? _metrics;
    private int _queuedWrites; // the queue's length, for the metrics: a single-reader channel cannot count
    private readonly Pushes _pushes = new();
    private static readonly SqlDialect Dialect = SqlDialect.Sqlite;
    private SqliteConnection? _writer;
    private SessionStatements? _statements;

    static SqliteStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <param name="ends">Where ends go once committed (the push channel); none: nobody is told.</param>
    /// <param name="metrics">Where the writer's queue depth and batch sizes are measured; none: not measured.</param>
    public SqliteStore(StoreOptions options, TimeProvider clock, ISessionEndPublisher? ends = null, Telemetry.LeaseholdMetrics? metrics = null)
    {
        _metrics = metrics;
        metrics?.ObserveWriteQueue(() => Volatile.Read(ref _queuedWrites));
        _clock = clock;
        _ends = ends ?? NoPublisher.Instance;
        OwnerOnlyFiles.CreateDirectory(options.DataDirectory);
        // It holds key hashes and the license-signing keys; SQLite gives its -wal and -shm files the same mode.
        OwnerOnlyFiles.CreateEmpty(options.SqlitePath);
        _durability = options.Durability;
        _maxRefusalEvents = options.MaxRefusalEventsPerHour;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.SqlitePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _writerLoop = Task.Run(RunWriterAsync);
        _checkpointerLoop = Task.Run(RunCheckpointerAsync);
    }

    private string SynchronousPragma => _durability == Durability.Fsync ? "FULL" : "NORMAL";

    public Task PingAsync(CancellationToken ct) => ReadAsync(db => db.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: ct)), ct);

    public Task MigrateAsync(CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            await SchemaSql.MigrateAsync(db, tx, Dialect, _clock);
            return 0;
        }, ct);

    private async Task<SqliteConnection> OpenReadAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection, outside any transaction (reads see the last commit, without waiting for the writer).</summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return await work(db);
    }

    private int _disposed;

    /// <summary>Idempotent: the container disposes the one instance once for each store interface it serves.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _stopping.Cancel();
        _checkpointerLoop.Wait(TimeSpan.FromSeconds(10));
        _stopping.Dispose();
        _writes.Writer.TryComplete();
        _writerLoop.Wait(TimeSpan.FromSeconds(10));
        _statements?.Dispose();
        _writer?.Dispose();
    }
}
