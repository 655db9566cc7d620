using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

/// <summary>Commands that need no server (policy validate, config), and the real <c>leasehold</c> process.</summary>
public sealed class OfflineCommandTests
{
    [Theory]
    [InlineData("company-license.json")]
    [InlineData("hosted-service.json")]
    [InlineData("mixed-clients.json")]
    [InlineData("session-plans.json")]
    public async Task PolicyValidate_OfEachExample_SaysValid_AndListsTheClientTypes(string example)
    {
        var cli = new CliRun(null!, "") { PassServer = false };
        var path = RepoPaths.Of("examples", example);

        var table = (await cli.RunAsync("policy", "validate", path)).ShouldSucceed().Out;
        var json = (await cli.RunAsync("policy", "validate", path, "--json")).ShouldSucceed().Json;

        table.ShouldContain($"{path} is a valid policy");
        table.ShouldContain("│ Client type │ Consumption │");
        json.GetProperty("valid").GetBoolean().ShouldBeTrue();
        json.GetProperty("errors").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task PolicyValidate_OfABadFile_ListsEveryFieldAtFault_AndExitsRefused()
    {
        var cli = new CliRun(null!, "") { PassServer = false };
        var file = Path.Combine(Path.GetTempPath(), $"bad-policy-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"seatKey": "nope", "clientTypes": {"web": {"ttlSeconds": 1}}}""");
        try
        {
            var table = (await cli.RunAsync("policy", "validate", file)).ShouldFailWith(3).Out;
            var json = (await cli.RunAsync("policy", "validate", file, "--json")).ShouldFailWith(3).Json;

            table.ShouldContain("is not a valid policy");
            table.ShouldContain("policy.seatKey");
            table.ShouldContain("policy.clientTypes.web.ttlSeconds");
            json.GetProperty("valid").GetBoolean().ShouldBeFalse();
            json.GetProperty("errors").EnumerateArray().Select(e => e.Str("field"))
                .ShouldBe(["policy.seatKey", "policy.clientTypes.web.ttlSeconds"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PolicyValidate_OfAnUnknownFieldOrMissingFile_SaysSo()
    {
        var cli = new CliRun(null!, "") { PassServer = false };
        var file = Path.Combine(Path.GetTempPath(), $"typo-policy-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"seatKee": "user"}""");
        try
        {
            var typo = (await cli.RunAsync("policy", "validate", file)).ShouldFailWith(3).Out;
            typo.ShouldContain("policy.seatKee");
            typo.ShouldContain("Unknown field; the fields here are: seatKey,");
            (await cli.RunAsync("policy", "validate", file + ".missing")).ShouldFailWith(2).Error.ShouldContain("Cannot read the policy file");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PolicyValidate_ReportsEveryFaultAtOnce_EachByItsPath_InWordsNotTypeNames()
    {
        var cli = new CliRun(null!, "") { PassServer = false };
        var file = Path.Combine(Path.GetTempPath(), $"faulty-policy-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {
              "seatKee": "user",
              "clientTypes": {"web": {"maxSeats": 3, "ttlSeconds": "60", "weight": 0}},
              "limit": {"mode": "soft", "overage": 2},
              "namedUsers": ["ann", 7],
              "reservations": [{"name": "night", "seats": 1, "users": ["bob"], "priority": 1}]
            }
            """);
        try
        {
            var json = (await cli.RunAsync("policy", "validate", file, "--json")).ShouldFailWith(3).Json;
            var table = (await cli.RunAsync("policy", "validate", file)).ShouldFailWith(3).Out;
            var create = (await cli.RunAsync("licenses", "create", "--tenant", "ten_any", "--product", "erp", "--seats", "2", "--policy", file,
                "--url", "http://127.0.0.1:9", "--key", "lh_unused")).ShouldFailWith(3).Error;

            var errors = json.GetProperty("errors").EnumerateArray().Select(e => (Field: e.Str("field"), Message: e.Str("message"))).ToList();
            errors.Select(e => e.Field).ShouldBe([
                "policy.seatKee", "policy.clientTypes.web.maxSeats", "policy.clientTypes.web.ttlSeconds", "policy.limit.overage",
                "policy.namedUsers[1]", "policy.reservations[0].priority", "policy.clientTypes.web.weight",
            ]);
            errors[2].Message.ShouldBe("Must be a whole number, not text.");
            errors[4].Message.ShouldBe("Must be text (a JSON string), not a number.");
            foreach (var (_, message) in errors)
            {
                message.ShouldNotContain("Document");
                message.ShouldNotContain("Leasehold.");
                message.ShouldNotContain("System.");
            }
            table.ShouldContain("policy.clientTypes.web.maxSeats");
            table.ShouldContain("policy.reservations[0].priority");
            create.ShouldContain("policy.seatKee: Unknown field");
            create.ShouldContain("policy.clientTypes.web.weight: Must be between 1 and 10000.");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Config_WhenTheConfigDirectoryDoesNotExistYet_IsWrittenUnderHome_AndFoundAgain()
    {
        if (OperatingSystem.IsWindows())
            return; // ApplicationData there; HOME and XDG_CONFIG_HOME are Unix conventions
        var home = Directory.CreateTempSubdirectory("leasehold-cli-home-").FullName;
        var cli = new CliRun(null!, "") { PassServer = false };
        cli.Variables.Remove("LEASEHOLD_CONFIG");
        cli.Variables["HOME"] = home; // no ~/.config yet, as on a fresh machine or container
        try
        {
            var expected = Path.Combine(home, ".config", "leasehold", "config.json");
            (await cli.RunAsync("config", "set", "--url", "http://127.0.0.1:5999", "--key", "lh_home-key-0123456789")).ShouldSucceed().Out
                .ShouldContain($"Saved to {expected}.");
            File.Exists(expected).ShouldBeTrue();
            var shown = (await cli.RunAsync("config", "show", "--json")).ShouldSucceed().Json;
            shown.Str("url").ShouldBe("http://127.0.0.1:5999");
            shown.Str("urlFrom").ShouldBe(expected);
            shown.Str("configFile").ShouldBe(expected);

            var xdg = Path.Combine(home, "xdg-config");
            cli.Variables["XDG_CONFIG_HOME"] = xdg;
            var xdgFile = Path.Combine(xdg, "leasehold", "config.json");
            (await cli.RunAsync("config", "set", "--url", "http://127.0.0.1:6000")).ShouldSucceed().Out.ShouldContain($"Saved to {xdgFile}.");
            var fromXdg = (await cli.RunAsync("config", "show", "--json")).ShouldSucceed().Json;
            fromXdg.Str("url").ShouldBe("http://127.0.0.1:6000");
            fromXdg.Str("urlFrom").ShouldBe(xdgFile);
        }
        finally
        {
            TestHost.TryDelete(home);
        }
    }

    [Fact]
    public async Task Config_SetSavesUrlAndKeyPrivately_AndOptionsThenEnvironmentWinOverIt()
    {
        var cli = new CliRun(null!, "") { PassServer = false };
        var path = cli.Variables["LEASEHOLD_CONFIG"];
        try
        {
            (await cli.RunAsync("config", "set", "--url", "http://127.0.0.1:5999", "--key", "lh_file-key-0123456789")).ShouldSucceed().Out.ShouldContain($"Saved to {path}.");
            if (!OperatingSystem.IsWindows())
                File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);

            var fromFile = (await cli.RunAsync("config", "show", "--json")).ShouldSucceed().Json;
            fromFile.Str("url").ShouldBe("http://127.0.0.1:5999");
            fromFile.Str("urlFrom").ShouldBe(path);
            fromFile.Str("key").ShouldBe("lh_fil...89");

            cli.Variables["LEASEHOLD_URL"] = "http://127.0.0.1:6001";
            var fromEnv = (await cli.RunAsync("config", "show")).ShouldSucceed().Out;
            fromEnv.ShouldContain("http://127.0.0.1:6001 (from LEASEHOLD_URL)");
            fromEnv.ShouldContain($"lh_fil...89 (from {path})");
            fromEnv.ShouldNotContain("0123456789");

            var fromOption = (await cli.RunAsync("config", "show", "--url", "http://127.0.0.1:6002", "--json")).ShouldSucceed().Json;
            fromOption.Str("url").ShouldBe("http://127.0.0.1:6002");
            fromOption.Str("urlFrom").ShouldBe("--url");

            (await cli.RunAsync("config", "set", "--url", "ftp://nope")).ShouldFailWith(2).Error.ShouldContain("is not an http(s) URL");
        }
        finally
        {
            TestHost.TryDelete(Path.GetDirectoryName(path)!);
        }
    }

    [Fact]
    public async Task TheInstalledCommand_ReadsUrlAndKeyFromTheEnvironment_AndExitsWithItsCodes()
    {
        await using var host = await TestHost.StartAsync();
        var tenant = await host.CreateTenantAsync("Initech", "UTC");
        var listed = await InstalledCli.RunAsync(["tenants", "list", "--json"], host.BaseAddress.ToString(), TestHost.OperatorKey);
        var missing = await InstalledCli.RunAsync(["tenants", "get", "ten_nope"], host.BaseAddress.ToString(), TestHost.OperatorKey);
        var help = await InstalledCli.RunAsync(["--help"], null, null);

        listed.ShouldFailWith(0).Out.ShouldContain(tenant);
        missing.ShouldFailWith(4).Error.ShouldContain("Try:");
        help.ShouldSucceed().Out.ShouldContain("sessions");
    }
}
