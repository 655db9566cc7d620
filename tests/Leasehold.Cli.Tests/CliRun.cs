using System.Diagnostics;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

/// <summary>What one run of <c>leasehold</c> did: its exit code and what it wrote.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement.Clone();

    public JsonElement ErrorJson => JsonDocument.Parse(Error).RootElement.Clone();

    public override string ToString() => $"exit {ExitCode}\n--- out:\n{Out}\n--- error:\n{Error}";

    public CliResult ShouldSucceed()
    {
        ExitCode.ShouldBe(0, ToString());
        return this;
    }

    public CliResult ShouldFailWith(int exitCode)
    {
        ExitCode.ShouldBe(exitCode, ToString());
        return this;
    }
}

/// <summary>Runs the command in-process against a real server, with plain (uncolored) output captured and its own environment.</summary>
public sealed class CliRun(TestHost host, string key)
{
    /// <summary>Environment variables the command sees (nothing of the real environment leaks in).</summary>
    public Dictionary<string, string> Variables { get; } = new()
    {
        ["LEASEHOLD_CONFIG"] = Path.Combine(Path.GetTempPath(), "leasehold-cli-test-" + Guid.NewGuid().ToString("N"), "config.json"),
    };

    public bool PassServer { get; set; } = true;

    /// <summary>The width of the (pretend) terminal.</summary>
    public int Width { get; set; } = 200;

    /// <summary>The command's now (what "waiting for" counts to); null: the real clock.</summary>
    public TimeProvider? Clock { get; set; }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var all = PassServer ? [.. args, "--url", host.BaseAddress.ToString(), "--key", key] : args;
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = CliEnvironment.Plain(output, error, name => Variables.TryGetValue(name, out var value) ? value : null, Width);
        if (Clock is not null)
            env = env with { Clock = Clock };
        var exit = await LeaseholdCli.RunAsync(all, env);
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}

/// <summary>The real <c>leasehold</c> process, as built in its own project, with its output redirected (piped) as a script sees it.</summary>
public static class InstalledCli
{
    /// <summary>The command as built in its own project (its runtimeconfig names only the .NET runtime, as an installed tool's does).</summary>
    public static string Dll
    {
        get
        {
            var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
            var dll = RepoPaths.Of("src", "Leasehold.Cli", "bin", output.Parent!.Name, output.Name, "leasehold.dll");
            File.Exists(dll).ShouldBeTrue(dll);
            return dll;
        }
    }

    public static async Task<CliResult> RunAsync(string[] args, string? url, string? key)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
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
