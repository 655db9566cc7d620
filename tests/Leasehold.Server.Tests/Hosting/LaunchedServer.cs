using System.Diagnostics;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Hosting;

/// <summary>
/// A server process started exactly as an operator would (the arguments, environment and working
/// directory are the test's, not <see cref="ServerProcess"/>'s defaults), for the tests of settings,
/// start errors and published binaries. Stopped by its process id on dispose, also when the test failed.
/// </summary>
internal sealed class LaunchedServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _error = new();

    private LaunchedServer(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        _process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
                _output.Enqueue(line.Data);
        };
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
                _error.Enqueue(line.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The lines the process wrote to standard error.</summary>
    public IReadOnlyList<string> ErrorLines => [.. _error];

    /// <summary>Everything it wrote, for a failing test to show.</summary>
    public string Output => string.Join(Environment.NewLine, _output.Concat(_error));

    /// <summary>
    /// <c>dotnet Leasehold.Server.dll</c> from this test's build output, with <paramref name="args"/>;
    /// the environment is this process's without any Leasehold or listen-address setting, plus <paramref name="environment"/>.
    /// </summary>
    public static ProcessStartInfo Server(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory ?? Path.GetTempPath() };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Leasehold.Server.dll"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return WithEnvironment(info, environment);
    }

    /// <summary>Clears what a developer's shell may have set that would change the server (LEASEHOLD_*, Leasehold__*, ASPNETCORE_URLS), then sets <paramref name="environment"/>.</summary>
    public static ProcessStartInfo WithEnvironment(ProcessStartInfo info, IReadOnlyDictionary<string, string>? environment)
    {
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("LEASEHOLD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Kestrel__", StringComparison.OrdinalIgnoreCase))
                info.Environment.Remove(key);
        }
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        return info;
    }

    /// <summary>Starts it and waits until <c>/healthz</c> at <paramref name="baseAddress"/> answers 200.</summary>
    public static async Task<LaunchedServer> StartAsync(ProcessStartInfo info, Uri baseAddress)
    {
        var server = new LaunchedServer(info);
        try
        {
            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
            await Wait.UntilAsync(async () =>
            {
                if (server._process.HasExited)
                    throw new InvalidOperationException($"The server exited with code {server._process.ExitCode} before it was healthy:\n{server.Output}");
                try
                {
                    using var health = await http.GetAsync("/healthz");
                    return health.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, "the server to become healthy", TimeSpan.FromSeconds(90));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Runs it until it exits by itself (a refused start, a command): its exit code and standard error's lines.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Error, string Output)> RunToExitAsync(ProcessStartInfo info)
    {
        await using var run = new LaunchedServer(info);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await run._process.WaitForExitAsync(patience.Token);
        run._process.WaitForExit(); // the last lines of the redirected streams
        return (run._process.ExitCode, run.ErrorLines, run.Output);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
