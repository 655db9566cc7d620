using System.Data;
using System.Threading.Channels;
using Dapper;
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
internal sealed partial class SqliteStore : IStoreSchema, ITenantStore, IApiKeyStore, IConnectionStore, ISessionDecisions, ISessionReads, IUsageStore, IDisposable
{
    private readonly string _connectionString;
    private readonly Durability _durability;
    private readonly TimeProvider _clock;
    private const int MaxBatch = 256;
    private readonly Channel<WriteItem> _writes = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writerLoop;
    private readonly LiveLedgers _ledgers = new();
    private readonly ISessionEndPublisher _ends;
    private readonly List<SessionEnd> _endedInTransaction = [];
    private static readonly SqlDialect Dialect = SqlDialect.Sqlite;
    private SqliteConnection? _writer;
    private SessionStatements? _statements;

    /// <summary>How often the background checkpointer copies the log into the database file, when something was committed.</summary>
    internal static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The log size (in 4 KiB pages, 16 MiB) from which the writer is asked to finish a background
    /// checkpoint, so that the log can start again from its beginning (see <see cref="RunCheckpointerAsync"/>).
    /// </summary>
    internal const int RestartLogPages = 4_096;

    /// <summary>
    /// The log size (in pages, 64 MiB) at which the writer checkpoints all by itself after a commit,
    /// SQLite's own mechanism (its default is 1,000 pages): only a backstop for when the background
    /// checkpoints fail.
    /// </summary>
    internal const int WriterCheckpointPages = 16_384;

    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _checkpointerLoop;
    private int _commitsSinceCheckpoint;
    private int _tailCheckpointWanted;

    static SqliteStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <param name="ends">Where ends go once committed (the push channel); none: nobody is told.</param>
    public SqliteStore(StoreOptions options, TimeProvider clock, ISessionEndPublisher? ends = null)
    {
        _clock = clock;
        _ends = ends ?? NoPublisher.Instance;
        Directory.CreateDirectory(options.DataDirectory);
        _durability = options.Durability;
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

    /// <summary>
    /// Copies the write-ahead log into the database file every <see cref="CheckpointInterval"/> when
    /// something was committed since the last time. SQLite would otherwise checkpoint inside the
    /// commit that makes the log reach 1,000 pages, on the writer, and every write queued behind it
    /// would wait for the copy and its two disk flushes (5-15 ms here; the slowest checkouts). A
    /// passive checkpoint on another connection runs beside the writer and its readers, and uses the
    /// writer's synchronous setting, so the file is flushed as safely.
    /// <para>
    /// The log starts again from its beginning at the first write after a checkpoint has copied all
    /// of it; under a steady load the writer has always committed a little more by then. So once the
    /// log has reached <see cref="RestartLogPages"/>, the writer is asked to copy that little itself
    /// before its next batch (<see cref="FinishCheckpoint"/>): a short pause instead of a long one.
    /// </para>
    /// </summary>
    private async Task RunCheckpointerAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            using var timer = new PeriodicTimer(CheckpointInterval);
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                if (Interlocked.Exchange(ref _commitsSinceCheckpoint, 0) == 0)
                    continue;
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(_connectionString);
                        await connection.OpenAsync(_stopping.Token);
                        await connection.ExecuteAsync($"PRAGMA synchronous={SynchronousPragma};");
                    }
                    // One row: busy (0 or 1), pages in the log, pages of it now copied into the file.
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    await using var result = await command.ExecuteReaderAsync(_stopping.Token);
                    if (await result.ReadAsync(_stopping.Token) && result.GetInt64(1) >= RestartLogPages && result.GetInt64(2) == result.GetInt64(1))
                        Volatile.Write(ref _tailCheckpointWanted, 1);
                }
                catch (Exception e) when (e is SqliteException or InvalidOperationException)
                {
                    // Not fatal: the writer's backstop still bounds the log. Try again next time on a new connection.
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }

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

    /// <summary>
    /// Queues <paramref name="work"/> for the single writer and completes once it is committed.
    /// The writer runs whatever has queued up in one transaction (group commit) and answers each
    /// piece only after the commit. When a piece throws, the whole transaction is rolled back and
    /// each piece runs again in a transaction of its own, so only the failing caller gets the error.
    /// </summary>
    private Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var item = new WriteItem<T>(work);
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(item), this);
        return item.Result;
    }

    private async Task RunWriterAsync()
    {
        var batch = new List<WriteItem>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var item))
                batch.Add(item);
            try
            {
                if (Interlocked.Exchange(ref _tailCheckpointWanted, 0) == 1)
                    FinishCheckpoint();
                await CommitBatchAsync(batch);
            }
            catch (Exception e)
            {
                foreach (var item in batch)
                    item.Fail(e);
                _endedInTransaction.Clear();
                _ledgers.Clear();
                _statements?.Dispose();
                _statements = null;
                _writer?.Dispose();
                _writer = null;
            }
        }
    }

    /// <summary>
    /// The writer's share of a checkpoint (see <see cref="RunCheckpointerAsync"/>): copies what was
    /// committed since the background checkpoint, so that the next write starts the log again.
    /// </summary>
    private void FinishCheckpoint()
    {
        if (_writer is not { State: ConnectionState.Open } writer)
            return;
        try
        {
            writer.Execute("PRAGMA wal_checkpoint(PASSIVE);");
        }
        catch (SqliteException)
        {
            // Only housekeeping: the next background checkpoint asks again.
        }
    }

    private async Task CommitBatchAsync(List<WriteItem> batch)
    {
        var writer = await WriterAsync(CancellationToken.None);
        if (batch.Count == 1)
        {
            await CommitAloneAsync(writer, batch[0]);
            return;
        }
        if (await TryCommitTogetherAsync(writer, batch))
            return;
        // A piece failed, so nothing of the batch was committed: run each piece in its own
        // transaction, so that only the failing one fails. (Rare: a decision refuses by answering,
        // not by throwing.)
        foreach (var item in batch)
            await CommitAloneAsync(writer, item);
    }

    /// <summary>Runs every piece in one transaction and commits; false (all rolled back) when one throws.</summary>
    private async Task<bool> TryCommitTogetherAsync(SqliteConnection writer, List<WriteItem> batch)
    {
        _endedInTransaction.Clear();
        using (var tx = writer.BeginTransaction(deferred: false))
        {
            try
            {
                foreach (var item in batch)
                    await item.RunAsync(writer, tx);
            }
            catch (Exception)
            {
                tx.Rollback();
                _ledgers.Clear(); // the rolled-back pieces may have applied sessions to it
                _endedInTransaction.Clear();
                return false;
            }
            tx.Commit();
        }
        Interlocked.Increment(ref _commitsSinceCheckpoint);
        PublishEnds();
        foreach (var item in batch)
            item.Complete();
        return true;
    }

    private async Task CommitAloneAsync(SqliteConnection writer, WriteItem item)
    {
        _endedInTransaction.Clear();
        using var tx = writer.BeginTransaction(deferred: false);
        try
        {
            await item.RunAsync(writer, tx);
        }
        catch (Exception e)
        {
            tx.Rollback();
            _ledgers.Clear();
            _endedInTransaction.Clear();
            item.Fail(e);
            return;
        }
        tx.Commit();
        Interlocked.Increment(ref _commitsSinceCheckpoint);
        PublishEnds();
        item.Complete();
    }

    /// <summary>Tells the push channel which sessions the transaction ended: only now that they are committed.</summary>
    private void PublishEnds()
    {
        if (_endedInTransaction.Count == 0)
            return;
        SessionEnd[] ends = [.. _endedInTransaction];
        _endedInTransaction.Clear();
        try
        {
            _ends.Publish(ends);
        }
        catch (Exception)
        {
            // Best effort after the commit: a client that misses the push learns the end at its next heartbeat.
        }
    }

    private abstract class WriteItem
    {
        public abstract Task RunAsync(SqliteConnection db, SqliteTransaction tx);
        public abstract void Complete();
        public abstract void Fail(Exception e);
    }

    private sealed class WriteItem<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work) : WriteItem
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Result => _done.Task;

        public override async Task RunAsync(SqliteConnection db, SqliteTransaction tx) => _result = await work(db, tx);

        public override void Complete() => _done.TrySetResult(_result);

        public override void Fail(Exception e) => _done.TrySetException(e);
    }

    private async Task<SqliteConnection> WriterAsync(CancellationToken ct)
    {
        if (_writer is { State: ConnectionState.Open })
            return _writer;
        _statements?.Dispose();
        _writer?.Dispose();
        var writer = new SqliteConnection(_connectionString);
        await writer.OpenAsync(ct);
        await writer.ExecuteAsync(
            $"PRAGMA journal_mode=WAL; PRAGMA synchronous={SynchronousPragma}; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint={WriterCheckpointPages};");
        // The reaper's scratch list of the sessions it is ending (SessionStatements.EndDue): private to this connection.
        await writer.ExecuteAsync("CREATE TEMP TABLE IF NOT EXISTS reaped (rid INTEGER PRIMARY KEY)");
        _writer = writer;
        _statements = new SessionStatements(writer);
        return writer;
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
