using System.Diagnostics;
using System.Text;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.OpenApi;

/// <summary>
/// The npm tools the OpenAPI tests run (tests/openapi-tools: Redocly CLI, openapi-typescript, openapi-fetch,
/// TypeScript), at the versions its package-lock.json pins. Node comes from the machine (./test.sh installs
/// Debian's nodejs and npm when missing); the packages are installed with <c>npm ci</c> the first time.
/// </summary>
internal static class OpenApiTools
{
    public static string Directory { get; } = RepoPaths.Of("tests", "openapi-tools");

    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>Why the tests that need node would skip: only when node is not installed and this is not CI (CI=true), where they must run.</summary>
    public static string? SkipReason { get; } =
        Find("node") is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? "Node.js is not installed here (./test.sh installs it); CI always runs these tests."
            : null;

    /// <summary>Installs the packages (<c>npm ci</c>) unless they are there already.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await Installing.WaitAsync();
        try
        {
            // One npm ci at a time across processes too: the PostgreSQL test project compiles these tests again and may run beside this one.
            using var exclusive = await LockAsync(Path.Combine(Directory, ".npm-ci.lock"));
            if (File.Exists(Path.Combine(Directory, "node_modules", ".package-lock.json")))
                return;
            var (exit, output, _) = await RunAsync(Find("npm") ?? "npm", ["ci", "--no-audit", "--no-fund"], Directory);
            exit.ShouldBe(0, $"npm ci in {Directory} failed:\n{output}");
        }
        finally
        {
            Installing.Release();
        }
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        FileStream? stream = null;
        await Wait.UntilAsync(() =>
        {
            try
            {
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return Task.FromResult(true);
            }
            catch (IOException)
            {
                return Task.FromResult(false); // another test process installs the tools
            }
        }, "the lock on tests/openapi-tools (another npm ci)", TimeSpan.FromMinutes(5));
        return stream!;
    }

    /// <summary>Runs a tool installed in tests/openapi-tools/node_modules/.bin.</summary>
    public static Task<(int ExitCode, string Output, string StandardOutput)> RunToolAsync(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(Path.Combine(Directory, "node_modules", ".bin", tool), arguments, Directory, environment);

    public static Task<(int ExitCode, string Output, string StandardOutput)> RunNodeAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(Find("node") ?? "node", arguments, Directory, environment);

    public static async Task<(int ExitCode, string Output, string StandardOutput)> RunAsync(string file, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["NO_COLOR"] = "1";
        info.Environment["REDOCLY_TELEMETRY"] = "off";
        info.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        var lines = new object();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (lines) { output.AppendLine(e.Data); standardOutput.AppendLine(e.Data); }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish in 5 minutes:\n{output}");
        }
        process.WaitForExit(); // the last lines
        lock (lines)
            return (process.ExitCode, output.ToString(), standardOutput.ToString());
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>
/// A test that needs Node.js: skipped only where node is missing and this is not CI. Compiled again into the
/// PostgreSQL test project, it also skips where that project's tests skip (PostgreSQL absent, not CI), as its
/// own [Fact] does; that type is found by name since this file is shared.
/// </summary>
internal sealed class NodeFactAttribute : Xunit.FactAttribute
{
    public NodeFactAttribute() => Skip = OpenApiTools.SkipReason
        ?? typeof(NodeFactAttribute).Assembly.GetType("Leasehold.Server.Tests.Support.PostgresAvailability")
            ?.GetProperty("SkipReason")?.GetValue(null) as string;
}

/// <summary>The tests that use tests/openapi-tools run one at a time (one npm ci, one generated/ directory).</summary>
[CollectionDefinition(Name)]
public sealed class OpenApiToolsCollection
{
    public const string Name = "OpenAPI tools";
}
