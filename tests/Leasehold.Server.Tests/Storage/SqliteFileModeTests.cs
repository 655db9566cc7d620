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
}
