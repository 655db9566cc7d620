using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Storage;

/// <summary>
/// The SQLite store copies its write-ahead log back into the database file in the background, not
/// inside a commit on the writer (SQLite's default, at 1,000 pages of log): committed sessions reach
/// <c>leasehold.db</c> itself shortly after, long before the writer's own backstop (64 MiB of log)
/// would copy them. SQLite only: the PostgreSQL project does not compile this file.
/// </summary>
public sealed class SqliteCheckpointTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CommittedWrites_ReachTheDatabaseFile_InTheBackground()
    {
        using var t = await _host.CreateTenancyAsync(seats: 1000);
        var database = new FileInfo(Path.Combine(_host.DataDirectory, "leasehold.db"));
        var log = new FileInfo(Path.Combine(_host.DataDirectory, "leasehold.db-wal"));
        await WaitUntilAsync(() => { log.Refresh(); return log.Exists; });
        await Task.Delay(1000); // what the migration and the tenancy wrote has been copied by now
        database.Refresh();
        var before = database.Length;

        // About 500 sessions with their events: well over 100 KiB of new pages, far under the writer's backstop.
        var checkouts = Enumerable.Range(0, 500).Select(i => t.App.PostAsync("/v1/sessions",
            System.Net.Http.Json.JsonContent.Create(new { licenseId = t.LicenseId, user = $"user-{i}", device = "pc", client = "desktop" })));
        foreach (var response in await Task.WhenAll(checkouts))
            response.StatusCode.ShouldBe(HttpStatusCode.Created);

        await WaitUntilAsync(() => { database.Refresh(); return database.Length >= before + 100 * 1024; });
        log.Refresh();
        log.Length.ShouldBeLessThan(64L * 1024 * 1024);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the database file did not catch up with the log within 10 s");
            await Task.Delay(50);
        }
    }
}
