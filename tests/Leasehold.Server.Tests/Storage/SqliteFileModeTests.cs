using System.Net.Http.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Storage;

/// <summary>The SQLite database holds key hashes and the license-signing keys: only the server's user may read it.</summary>
public sealed class SqliteFileModeTests : HostedTests
{
    [Fact]
    public void TheDatabaseAndItsLog_AreReadableByTheServersUserOnly()
    {
        if (OperatingSystem.IsWindows())
            return; // no Unix modes there; the data directory's ACL applies

        foreach (var file in Directory.GetFiles(Host.DataDirectory, "leasehold.db*"))
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, file);
        Directory.GetFiles(Host.DataDirectory, "leasehold.db*").Length.ShouldBeGreaterThanOrEqualTo(2, "the database and its write-ahead log");
    }

    [Fact]
    public async Task AServerStartedOnAFreshDirectory_MakesItAndEveryFileInItOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
            return;
        var parent = Path.Combine(Path.GetTempPath(), "leasehold-modes-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(parent, "data"); // made by the server, with its parent
        try
        {
            await using (var server = await ServerProcess.StartAsync(data, TestHost.OperatorKey))
            {
                using var http = new HttpClient { BaseAddress = server.BaseAddress };
                (await http.GetAsync("/console/sign-in")).EnsureSuccessStatusCode(); // the console's cookie keys are made at first use
                using var tenants = server.Client(TestHost.OperatorKey);
                (await tenants.PostAsync("/v1/tenants", JsonContent.Create(new { name = "Acme", timeZone = "UTC" }))).EnsureSuccessStatusCode();
            }

            const UnixFileMode file = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            const UnixFileMode directory = file | UnixFileMode.UserExecute;
            File.GetUnixFileMode(data).ShouldBe(directory, data);
            var files = Directory.GetFiles(data, "*", SearchOption.AllDirectories);
            files.Select(Path.GetFileName).ShouldContain("leasehold.db");
            files.ShouldContain(f => f.Contains("console-keys", StringComparison.Ordinal));
            foreach (var path in files)
                File.GetUnixFileMode(path).ShouldBe(file, path);
            foreach (var path in Directory.GetDirectories(data, "*", SearchOption.AllDirectories))
                File.GetUnixFileMode(path).ShouldBe(directory, path);
        }
        finally
        {
            TestHost.TryDelete(parent);
        }
    }
}
