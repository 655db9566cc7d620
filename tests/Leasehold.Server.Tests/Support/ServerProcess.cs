using System.Diagnostics;
using System.Net.Http.Headers;

namespace Leasehold.Server.Tests.Support;

/// <summary>
/// The server as its own operating-system process (<c>dotnet Leasehold.Server.dll</c>), for what
/// an in-process host cannot show: a kill -9. Always stopped by process id on dispose, also when
/// the test failed.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output;

    private ServerProcess(Process process, Uri baseAddress, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        _output = output;
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>What the server wrote (standard output and error), for a test to show when it fails.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <param name="settings">More <c>LEASEHOLD_*</c> settings, as environment variables (installation mode's, say).</param>
    /// <param name="port">The loopback port (0: a free one); a restart passes the old one again.</param>
    /// <param name="https">Listen on https:// (the certificate comes from <paramref name="settings"/>: Kestrel's own); health is then asked without checking it.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, string operatorKey,
        IReadOnlyDictionary<string, string>? settings = null, int port = 0, bool https = false)
    {
        port = port == 0 ? TestHost.FreePort() : port;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var baseAddress = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port}");
        var process = await LaunchAsync(dataDirectory, operatorKey, settings, baseAddress, output.Enqueue, output.Enqueue);
        var server = new ServerProcess(process, baseAddress, output);
        try
        {
            await server.WaitUntilHealthyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Starts a server that is expected to refuse to start: its exit code and what it wrote to standard error.</summary>
    public static async Task<(int ExitCode, string Error)> RefusedStartAsync(string dataDirectory, string operatorKey, IReadOnlyDictionary<string, string> settings)
    {
        var error = new System.Text.StringBuilder();
        using var process = await LaunchAsync(dataDirectory, operatorKey, settings, new Uri($"http://127.0.0.1:{TestHost.FreePort()}"), null,
            line => error.AppendLine(line));
        using var patience = new CancellationTokenSource(Wait.Patience * 2);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        process.WaitForExit(); // the last lines of standard error
        return (process.ExitCode, error.ToString());
    }

    /// <param name="output">Gets every line the server writes to standard output; <paramref name="error"/>, to standard error.</param>
    private static async Task<Process> LaunchAsync(string dataDirectory, string operatorKey, IReadOnlyDictionary<string, string>? settings, Uri address,
        Action<string>? output, Action<string>? error)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "Leasehold.Server.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { serverDll, "--data", dataDirectory, "--urls", address.GetLeftPart(UriPartial.Authority) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Storms and crash tests make far more writes a minute with one key than the limits allow;
            // the limits are tested in-process (Auth/WriteAndBodyLimitTests), and settings can set them again.
            Environment =
            {
                ["LEASEHOLD_ADMIN_KEY"] = operatorKey, ["DOTNET_NOLOGO"] = "1",
                ["LEASEHOLD_WRITES_PER_MINUTE"] = "0", ["LEASEHOLD_CLIENT_WRITES_PER_MINUTE"] = "0",
            },
        };
        foreach (var (key, value) in await TestStore.SettingsAsync(dataDirectory))
            info.Environment[key] = value; // the LEASEHOLD_* names read from the environment too
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the server process.");
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
                output?.Invoke(line.Data);
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
                error?.Invoke(line.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>A client with <paramref name="apiKey"/> that sends the session tokens of its checkouts (<see cref="SessionTokenJar"/>).</summary>
    public HttpClient Client(string apiKey)
    {
        var client = new HttpClient(new SessionTokenJar(new HttpClientHandler())) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush; what was acknowledged must already be safe.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    private async Task WaitUntilHealthyAsync()
    {
        // Over https the test's own certificate is not trusted by this machine: the test checks it, not this wait.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await Wait.UntilAsync(async () =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The server process exited with code {_process.ExitCode} before it was healthy.");
            try
            {
                using var health = await http.GetAsync("/healthz");
                return health.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false; // not listening yet, or too busy starting to answer in time
            }
        }, "the server process to become healthy", TimeSpan.FromSeconds(60));
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            KillHard();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
