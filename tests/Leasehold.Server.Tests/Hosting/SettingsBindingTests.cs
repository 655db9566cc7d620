using System.Net.Http.Headers;
using Leasehold.Server.Hosting;
using Leasehold.Server.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Leasehold.Server.Tests.Hosting;

/// <summary>
/// The settings the ASP.NET Core way: the <c>Leasehold</c> section from the environment
/// (<c>Leasehold__Data</c>), appsettings.json and the command line (<c>--Leasehold:Data</c>), and the
/// older names (<c>LEASEHOLD_DATA</c>, <c>--data</c>) as aliases, with the documented precedence.
/// </summary>
public sealed class SettingsBindingTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("leasehold-settings-").FullName;

    private string Data => Path.Combine(_work, "data");

    public static TheoryData<string> Forms => ["Leasehold__Data", "appsettings.json", "--Leasehold:Data", "LEASEHOLD_DATA", "--data"];

    /// <summary>The server uses the data directory given in each form: its first operator key is written there and works.</summary>
    [Theory]
    [MemberData(nameof(Forms))]
    public async Task DataDirectory_InEveryForm(string form)
    {
        var port = TestHost.FreePort();
        List<string> args = ["--urls", $"http://127.0.0.1:{port}"];
        var environment = new Dictionary<string, string>();
        switch (form)
        {
            case "Leasehold__Data" or "LEASEHOLD_DATA":
                environment[form] = Data;
                break;
            case "appsettings.json":
                await File.WriteAllTextAsync(Path.Combine(_work, "appsettings.json"), $$"""{ "Leasehold": { "Data": "{{Data.Replace("\\", "\\\\")}}" } }""");
                break;
            default:
                args.AddRange([form, Data]);
                break;
        }

        await using var server = await LaunchedServer.StartAsync(LaunchedServer.Server(args, environment, workingDirectory: _work), new Uri($"http://127.0.0.1:{port}"));

        var key = (await File.ReadAllTextAsync(Path.Combine(Data, "admin-key"))).Trim();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var tenants = await http.GetAsync("/v1/tenants");
        tenants.IsSuccessStatusCode.ShouldBeTrue(server.Output);
    }

    // The precedence, on the configuration alone: each dictionary is one source, added weakest first
    // (appsettings.json, the environment, the command line), as the host adds them.

    [Fact]
    public void StrongerSourceWins_WhicheverNameItUses()
    {
        var config = Sources(
            new() { ["Leasehold:Durability"] = "fsync", ["Leasehold:Data"] = "/from-appsettings" },
            new() { ["LEASEHOLD_DURABILITY"] = "process" },
            new() { ["data"] = "/from-command-line" });

        var settings = LeaseholdSettings.From(config);

        settings.Durability.ShouldBe(Leasehold.Server.Storage.Durability.Process, "the environment's alias beats appsettings' section");
        settings.DataDirectory.ShouldBe(Path.GetFullPath("/from-command-line"), "the command line's --data beats appsettings");
    }

    [Fact]
    public void InOneSource_TheSectionWinsOverTheAlias()
    {
        var config = Sources(
            new(),
            new() { ["LEASEHOLD_DATA"] = "/alias", ["Leasehold:Data"] = "/section" },
            new());

        LeaseholdSettings.From(config).DataDirectory.ShouldBe(Path.GetFullPath("/section"));
    }

    [Fact]
    public void TrustedProxies_AsAnArrayInAppsettings()
    {
        var config = Sources(new() { ["Leasehold:TrustedProxies:0"] = "10.0.0.5", ["Leasehold:TrustedProxies:1"] = "10.0.1.0/24" }, new(), new());

        LeaseholdSettings.From(config).TrustedProxies.Select(n => n.ToString()).ShouldBe(["10.0.0.5/32", "10.0.1.0/24"]);
    }

    [Fact]
    public void PostgresAndLicenseFile_ReadWhileComposing_HonourTheSection()
    {
        var config = Sources(new() { ["Leasehold:Postgres"] = "Host=db", ["Leasehold:LicenseFile"] = "site.lic" }, new(), new());

        LeaseholdSettings.PostgresFrom(config).ShouldBe("Host=db");
        LeaseholdSettings.LicenseFileFrom(config).ShouldBe("site.lic");
    }

    private static IConfigurationRoot Sources(params Dictionary<string, string?>[] weakestFirst)
    {
        var builder = new ConfigurationBuilder();
        foreach (var source in weakestFirst)
            builder.AddInMemoryCollection(source);
        return builder.Build();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
