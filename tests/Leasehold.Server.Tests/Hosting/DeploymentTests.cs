using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Hosting;

/// <summary>
/// What docs/operations.md promises for deployment: the systemd unit in deploy/ passes
/// <c>systemd-analyze verify</c>, and deploy/release.sh publishes a server and a CLI for linux-x64
/// that run on a machine without the .NET SDK.
/// </summary>
public sealed class DeploymentTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("leasehold-deploy-").FullName;

    /// <summary>
    /// verify checks the unit's settings and that ExecStart's program exists and is executable, so the
    /// copy it checks starts this build's server with dotnet instead of /opt/leasehold/Leasehold.Server
    /// (not installed here); every other line is the shipped unit's.
    /// </summary>
    [SystemdFact]
    public async Task SystemdUnit_PassesSystemdAnalyzeVerify()
    {
        var shipped = await File.ReadAllLinesAsync(RepoPaths.Of("deploy", "leasehold.service"));
        shipped.ShouldContain("Type=notify", "the server tells systemd it is ready (UseSystemd)");
        shipped.ShouldContain("ExecStart=/opt/leasehold/Leasehold.Server");
        shipped.ShouldContain("EnvironmentFile=-/etc/leasehold/leasehold.env");
        shipped.ShouldContain("StateDirectory=leasehold");
        shipped.ShouldContain("ReadWritePaths=/var/lib/leasehold");
        shipped.ShouldContain("ProtectSystem=strict");
        shipped.ShouldContain("NoNewPrivileges=yes");
        var dotnet = FindOnPath("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH");
        var unit = Path.Combine(_work, "leasehold.service");
        await File.WriteAllLinesAsync(unit, shipped.Select(line => line.StartsWith("ExecStart=", StringComparison.Ordinal)
            ? $"ExecStart={dotnet} {Path.Combine(AppContext.BaseDirectory, "Leasehold.Server.dll")}"
            : line));

        var (exitCode, output) = await RunAsync(new ProcessStartInfo(SystemdFactAttribute.Analyze) { ArgumentList = { "verify", unit } });

        exitCode.ShouldBe(0, output);
        output.ShouldNotContain("leasehold.service", Case.Insensitive, output);
    }

    /// <summary>
    /// deploy/release.sh for linux-x64; then its server, started without dotnet on PATH and from
    /// another directory, answers /healthz and serves the console's stylesheet, and its CLI lists the
    /// server's tenants with the first operator key.
    /// </summary>
    [DeploymentFact]
    public async Task Release_LinuxX64_RunsWithoutTheSdk()
    {
        var published = Path.Combine(_work, "out");
        var (released, releaseOutput) = await RunAsync(new ProcessStartInfo("bash")
        {
            ArgumentList = { RepoPaths.Of("deploy", "release.sh"), "--out", published, "linux-x64" },
            WorkingDirectory = RepoPaths.Root,
        }, TimeSpan.FromMinutes(20));
        released.ShouldBe(0, releaseOutput);
        var serverBinary = Path.Combine(published, "linux-x64", "server", "Leasehold.Server");
        var cliBinary = Path.Combine(published, "linux-x64", "cli", "leasehold");
        File.Exists(serverBinary).ShouldBeTrue(releaseOutput);
        File.Exists(cliBinary).ShouldBeTrue(releaseOutput);

        var data = Path.Combine(_work, "data");
        var port = TestHost.FreePort();
        var server = WithoutTheSdk(new ProcessStartInfo(serverBinary)
        {
            ArgumentList = { "--urls", $"http://127.0.0.1:{port}" },
            WorkingDirectory = _work, // not the binary's directory: its wwwroot is found all the same
        }, new Dictionary<string, string> { ["Leasehold__Data"] = data });
        await using var running = await LaunchedServer.StartAsync(server, new Uri($"http://127.0.0.1:{port}"));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var stylesheet = await http.GetAsync("/_content/MudBlazor/MudBlazor.min.css");
        stylesheet.StatusCode.ShouldBe(HttpStatusCode.OK, running.Output);
        stylesheet.Content.Headers.ContentType?.MediaType.ShouldBe("text/css");
        (await stylesheet.Content.ReadAsStringAsync()).Length.ShouldBeGreaterThan(10_000);
        using var console = await http.GetAsync("/console/");
        console.IsSuccessStatusCode.ShouldBeTrue();
        (await console.Content.ReadAsStringAsync()).ShouldContain("_content/MudBlazor/MudBlazor.min.css");

        var (versionExit, version) = await RunAsync(WithoutTheSdk(new ProcessStartInfo(cliBinary) { ArgumentList = { "--version" } }));
        versionExit.ShouldBe(0, version);
        version.Trim().ShouldMatch(@"^\d+\.\d+\.\d+");
        var key = (await File.ReadAllTextAsync(Path.Combine(data, "admin-key"))).Trim();
        var (listExit, tenants) = await RunAsync(WithoutTheSdk(new ProcessStartInfo(cliBinary)
        {
            ArgumentList = { "tenants", "list", "--json", "--url", $"http://127.0.0.1:{port}", "--key", key },
        }));
        listExit.ShouldBe(0, tenants);
        tenants.Trim().ShouldStartWith("[");
    }

    /// <summary>The environment of a machine without the SDK: no directory on PATH with a dotnet in it, no DOTNET_ROOT.</summary>
    private ProcessStartInfo WithoutTheSdk(ProcessStartInfo info, IReadOnlyDictionary<string, string>? environment = null)
    {
        info.WorkingDirectory = string.IsNullOrEmpty(info.WorkingDirectory) ? _work : info.WorkingDirectory;
        LaunchedServer.WithEnvironment(info, environment);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) && k != "DOTNET_NOLOGO").ToList())
            info.Environment.Remove(key);
        info.Environment["PATH"] = string.Join(Path.PathSeparator, (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(dir => !File.Exists(Path.Combine(dir, "dotnet")) && !dir.Contains("dotnet", StringComparison.OrdinalIgnoreCase)));
        info.Environment["HOME"] = _work; // the CLI's config file, if it looked for one
        return info;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo info, TimeSpan? limit = null)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(limit ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await output + await error);
    }

    internal static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists) is { } found
            ? new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? found
            : null;

    public void Dispose() => Directory.Delete(_work, recursive: true);
}

/// <summary>
/// A deployment test. These run once, in the SQLite project: the PostgreSQL project leaves this file
/// out (publishing or checking a unit file does not depend on the store).
/// </summary>
public sealed class DeploymentFactAttribute : Xunit.FactAttribute;

/// <summary>A deployment test that needs systemd-analyze: skipped where it is missing, except on CI (CI=true), where it must run.</summary>
public sealed class SystemdFactAttribute : Xunit.FactAttribute
{
    public static string Analyze => DeploymentTests.FindOnPath("systemd-analyze") ?? "systemd-analyze";

    public SystemdFactAttribute()
    {
        if (DeploymentTests.FindOnPath("systemd-analyze") is null
                 && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Skip = "systemd-analyze is not installed here (./test.sh installs Debian's systemd); CI always runs this test.";
    }
}
