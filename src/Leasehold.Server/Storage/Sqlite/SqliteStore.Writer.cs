using System.Data;
using Dapper;
using Leasehold.Server.Sessions.Signals;
using Microsoft.Data.Sqlite;

namespace Leasehold.Server.Storage.Sqlite;

/// <summary>The single writer: its queue, its group commits, and its connection.</summary>
internal sealed partial class SqliteStore
{
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
        Interlocked.Increment(ref _queuedWrites);
        if (!_writes.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _queuedWrites);
            throw new ObjectDisposedException(GetType().FullName);
        }
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
            Interlocked.Add(ref _queuedWrites, -batch.Count);
            _metrics?.WriteBatch(batch.Count);
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
                _pushes.Clear();
                _ledgers.Clear();
                _statements?.Dispose();
                _statements = null;
                _writer?.Dispose();
                _writer = null;
            }
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
        _pushes.Clear();
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
                _pushes.Clear();
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
        _pushes.Clear();
        using var tx = writer.BeginTransaction(deferred: false);
        try
        {
            await item.RunAsync(writer, tx);
        }
        catch (Exception e)
        {
            tx.Rollback();
            _ledgers.Clear();
            _pushes.Clear();
            item.Fail(e);
            return;
        }
        tx.Commit();
        Interlocked.Increment(ref _commitsSinceCheckpoint);
        PublishEnds();
        item.Complete();
    }

    /// <summary>Tells the push channel which sessions the transaction ended and which lines it changed: only now that they are committed.</summary>
    private void PublishEnds() => _pushes.PublishTo(_ends);

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
}
