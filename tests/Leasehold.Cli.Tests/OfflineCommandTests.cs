using System.Diagnostics;
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
            (await cli.RunAsync("policy", "validate", file)).ShouldFailWith(3).Out.ShouldContain("seatKee");
            (await cli.RunAsync("policy", "validate", file + ".missing")).ShouldFailWith(2).Error.ShouldContain("Cannot read the policy file");
        }
        finally
        {
            File.Delete(file);
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
        // The command as built in its own project (its runtimeconfig names only the .NET runtime, as an installed tool's does).
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var cli = RepoPaths.Of("src", "Leasehold.Cli", "bin", output.Parent!.Name, output.Name, "leasehold.dll");
        File.Exists(cli).ShouldBeTrue(cli);

        var listed = await RunProcessAsync(cli, ["tenants", "list", "--json"], host.BaseAddress.ToString(), TestHost.OperatorKey);
        var missing = await RunProcessAsync(cli, ["tenants", "get", "ten_nope"], host.BaseAddress.ToString(), TestHost.OperatorKey);
        var help = await RunProcessAsync(cli, ["--help"], null, null);

        listed.ShouldFailWith(0).Out.ShouldContain(tenant);
        missing.ShouldFailWith(4).Error.ShouldContain("Try:");
        help.ShouldSucceed().Out.ShouldContain("sessions");
    }

    private static async Task<CliResult> RunProcessAsync(string dll, string[] args, string? url, string? key)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["LEASEHOLD_URL"] = url;
        info.Environment["LEASEHOLD_KEY"] = key;
        info.Environment["LEASEHOLD_CONFIG"] = Path.Combine(Path.GetTempPath(), "leasehold-none", Guid.NewGuid().ToString("N"));
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new CliResult(process.ExitCode, await output, await error);
    }
}
