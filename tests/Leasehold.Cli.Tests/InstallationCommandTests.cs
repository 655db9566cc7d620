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

    [Fact]
    public async Task InstallationShowAndUpdate_OnALaptop_ShowTheFileAndTakeTheVendorsExtension()
    {
        using var t = await Host.CreateTenancyAsync(seats: 10);
        var laptop = (await Cli.RunAsync("installations", "register", "--license", t.LicenseId, "--name", "laptop", "--fingerprint", "laptop",
            "--seats", "1", "--json")).ShouldSucceed().Json;
        var dir = Directory.CreateTempSubdirectory("leasehold-cli-laptop-").FullName;
        try
        {
            var file = Path.Combine(dir, "laptop.lic");
            var keys = Path.Combine(dir, "issuer-keys.json");
            (await Cli.RunAsync("installations", "file", laptop.Str("id"), "--out", file)).ShouldSucceed();
            (await Cli.RunAsync("signing-keys", "export", "--out", keys)).ShouldSucceed();
            var data = Path.Combine(dir, "data");
            var settings = new Dictionary<string, string>(await TestStore.SettingsAsync(data))
            {
                ["LEASEHOLD_LICENSE_FILE"] = file,
                ["LEASEHOLD_ISSUER_KEYS"] = keys,
                ["LEASEHOLD_ISSUER"] = Host.BaseAddress.ToString(),
                ["LEASEHOLD_INSTALLATION_KEY"] = laptop.Str("installationKey"),
            };
            await using var installation = await TestHost.StartAsync(data, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestHost.Epoch.AddHours(1)),
                storeSettings: settings);
            var onLaptop = new CliRun(installation, TestHost.OperatorKey);

            var shown = (await onLaptop.RunAsync("installation", "show")).ShouldSucceed().Out;
            await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { endsAt = TestHost.Epoch.AddDays(365) }, System.Net.HttpStatusCode.OK);
            var updated = (await onLaptop.RunAsync("installation", "update")).ShouldSucceed().Out;

            shown.ShouldContain("1 seat(s), file serial 1");
            shown.ShouldContain("Ends never");
            updated.ShouldContain("Took file serial 2: changed endsAt");
            updated.ShouldContain("ends never -> 2027-03-02 09:00:00Z");
            (await Cli.RunAsync("installation", "show")).ShouldFailWith(4).Error.ShouldContain("not an installation");
        }
        finally
        {
            TestHost.TryDelete(dir);
        }
    }
}
