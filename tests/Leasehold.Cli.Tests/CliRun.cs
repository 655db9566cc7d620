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

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var all = PassServer ? [.. args, "--url", host.BaseAddress.ToString(), "--key", key] : args;
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = CliEnvironment.Plain(output, error, name => Variables.TryGetValue(name, out var value) ? value : null);
        var exit = await LeaseholdCli.RunAsync(all, env);
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}
