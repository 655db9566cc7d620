using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

/// <summary>Cargo Office's administrator splits the company license of 10 from the terminal, and checks a laptop's file offline.</summary>
public sealed class InstallationCommandTests : ServerCommandTests
{
    [Fact]
    public async Task Installations_RegisterListAllocateFile_AndTheFileVerifiesWithTheExportedKeys()
    {
        using var t = await Host.CreateTenancyAsync(seats: 10);
        var central = (await Cli.RunAsync("installations", "register", "--license", t.LicenseId, "--name", "central", "--fingerprint", "office-server",
            "--seats", "8", "--json")).ShouldSucceed().Json.Str("id");
        var laptop = (await Cli.RunAsync("installations", "register", "--license", t.LicenseId, "--name", "laptop-1", "--fingerprint", "laptop-1",
            "--seats", "1")).ShouldSucceed().Out;
        var third = await Cli.RunAsync("installations", "register", "--license", t.LicenseId, "--name", "laptop-2", "--fingerprint", "laptop-2", "--seats", "2");

        laptop.ShouldContain("with 1 seat(s)");
        third.ShouldFailWith(3).Error.ShouldContain("allocation_exceeds_license");
        (await Cli.RunAsync("installations", "allocate", central, "--seats", "7")).ShouldSucceed().Out.ShouldContain("it may be using 7");
        var table = (await Cli.RunAsync("installations", "list", "--license", t.LicenseId)).ShouldSucceed().Out;
        table.ShouldContain("central");
        table.ShouldContain("laptop-1");

        var dir = Directory.CreateTempSubdirectory("leasehold-cli-installation-").FullName;
        try
        {
            var file = Path.Combine(dir, "central.lic");
            var keys = Path.Combine(dir, "issuer-keys.json");
            (await Cli.RunAsync("installations", "file", central, "--out", file)).ShouldSucceed().Out.ShouldContain("Wrote license file 1 (7 seat(s)");
            (await Cli.RunAsync("signing-keys", "export", "--out", keys)).ShouldSucceed();

            var when = TestHost.Epoch.AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture); // the server's clock is a test's
            var verified = (await Cli.RunAsync("license-file", "verify", file, "--keys", keys, "--at", when, "--json")).ShouldSucceed().Json;

            verified.GetProperty("file").Int("seats").ShouldBe(7);
            verified.GetProperty("file").Str("installationId").ShouldBe(central);
        }
        finally
        {
            TestHost.TryDelete(dir);
        }
    }
}
