using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Leasehold.Server.Storage.Sqlite;

/// <summary>Checkpoints: the log copied into the database file in the background, beside the writer.</summary>
internal sealed partial class SqliteStore
{
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
}
