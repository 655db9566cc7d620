using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Leasehold.Server.Tests.Storage;

/// <summary>
/// The SQLite store copies its write-ahead log back into the database file in the background, not
/// inside a commit on the writer (SQLite's default, at 1,000 pages of log): committed sessions reach
/// <c>leasehold.db</c> itself shortly after, long before the writer's own backstop (64 MiB of log)
/// would copy them. SQLite only: the PostgreSQL project does not compile this file.
/// </summary>
public sealed class SqliteCheckpointTests : HostedTests
{
    [Fact]
    public async Task CommittedSessions_ReachTheDatabaseFile_InTheBackground()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1000);

        // About 500 sessions with their events: a few hundred pages of log, far under the writer's backstop.
        var checkouts = Enumerable.Range(0, 500).Select(i => t.App.PostAsync("/v1/sessions",
            System.Net.Http.Json.JsonContent.Create(new { licenseId = t.LicenseId, user = $"user-{i}", device = "pc", client = "desktop" })));
        foreach (var response in await Task.WhenAll(checkouts))
            response.StatusCode.ShouldBe(HttpStatusCode.Created);

        // The database file alone, without its log: what has been checkpointed into it.
        await Wait.UntilAsync(() => SessionsInDatabaseFileAlone(t.LicenseId) >= 500,
            "the committed sessions to reach the database file", TimeSpan.FromSeconds(10));
        new FileInfo(Path.Combine(Host.DataDirectory, "leasehold.db-wal")).Length.ShouldBeLessThan(64L * 1024 * 1024);
    }

    /// <summary>Sessions of the license in a copy of <c>leasehold.db</c> taken without its <c>-wal</c> file (0 while the copy is torn by a checkpoint in progress).</summary>
    private long SessionsInDatabaseFileAlone(string licenseId)
    {
        var copy = Path.Combine(Path.GetTempPath(), "leasehold-checkpoint-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            File.Copy(Path.Combine(Host.DataDirectory, "leasehold.db"), copy);
            using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sessions WHERE license_id = $license";
            command.Parameters.AddWithValue("$license", licenseId);
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0;
        }
        finally
        {
            File.Delete(copy);
            File.Delete(copy + "-wal");
            File.Delete(copy + "-shm");
        }
    }
}
