using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Leasehold.Server.Tests.Support;

/// <summary>
/// The real server, in-process, listening with Kestrel on a free loopback port, on a real store
/// (a SQLite file in a fresh temp directory, or a fresh PostgreSQL schema: <see cref="TestStore"/>),
/// with a fake clock the test moves. Disposing stops it and
/// deletes the directory (unless <see cref="KeepData"/>, for restart tests).
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string OperatorKey = "lh_test-operator-key-0123456789";

    private readonly WebApplicationFactory<Program> _factory;

    private TestHost(WebApplicationFactory<Program> factory, string dataDirectory, FakeTimeProvider clock, int port)
    {
        _factory = factory;
        DataDirectory = dataDirectory;
        Clock = clock;
        // The address it was told to bind, not the one the server's features report: those are rewritten while the
        // server starts (dotnet/aspnetcore#67714) and were once read empty.
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Operator = Client(OperatorKey);
    }

    public string DataDirectory { get; }
    public FakeTimeProvider Clock { get; }
    public Uri BaseAddress { get; }
    public bool KeepData { get; set; }

    /// <summary>A client with the operator key.</summary>
    public HttpClient Operator { get; }

    public IServiceProvider Services => _factory.Services;

    public static DateTimeOffset Epoch { get; } = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Starts a server on <paramref name="dataDirectory"/> (a fresh one if null). Hosts started on one
    /// data directory share one store: on PostgreSQL (see <see cref="TestStore"/>), several at once
    /// are the nodes of one deployment. <paramref name="storeSettings"/> replaces the store <see cref="TestStore"/> chooses.
    /// </summary>
    /// <param name="port">The loopback port to listen on; 0 picks a free one (a restart test passes the old one again).</param>
    public static async Task<TestHost> StartAsync(string? dataDirectory = null, FakeTimeProvider? clock = null, int port = 0,
        IReadOnlyDictionary<string, string>? storeSettings = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "leasehold-test-" + Guid.NewGuid().ToString("N"));
        clock ??= new FakeTimeProvider(Epoch);
        var settings = storeSettings ?? await TestStore.SettingsAsync(dataDirectory);
        for (var attempt = 1; ; attempt++)
        {
            // A free port is free only until someone takes it: another test process may have picked the same one
            // between our look and our bind. The bind then fails (IPv4 loopback only, never a silent fallback to
            // IPv6 while another server answers on 127.0.0.1), and we pick again.
            var listenOn = port == 0 ? FreePort() : port;
            var factory = new KestrelFactory(dataDirectory, clock, listenOn, settings);
            try
            {
                factory.StartServer();
                // Started is not always answering: a clean-clone run once had a host's first request refused on the
                // port it had just bound. Such a host is not handed out: it is stopped and another started.
                if (Answers(listenOn) || attempt == 5)
                    return new TestHost(factory, dataDirectory, clock, listenOn);
                var stopping = factory.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;
                await System.Console.Error.WriteLineAsync($"TestHost: started on 127.0.0.1:{listenOn} but nothing answers there (stopping: {stopping}); starting again.");
                await factory.DisposeAsync();
            }
            catch (Exception e) when (port == 0 && attempt < 5 && PortTaken(e))
            {
                try
                {
                    await factory.DisposeAsync();
                }
                catch (ObjectDisposedException)
                {
                    // The app's host was disposed already (see PortTaken).
                }
            }
        }
    }

    /// <summary>
    /// A real HTTP client to this server with the given key (or none). It sends the session token of every
    /// session a test client checked out (<see cref="SessionTokenJar"/>), as the SDK does, unless
    /// <paramref name="sendSessionTokens"/> is false (a test playing another application's key).
    /// </summary>
    public HttpClient Client(string? apiKey = null, bool sendSessionTokens = true)
    {
        var client = sendSessionTokens
            ? new HttpClient(new SessionTokenJar(new HttpClientHandler())) { BaseAddress = BaseAddress }
            : new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public T Service<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    /// <summary>
    /// Whether a start failed because the port was taken. Kestrel's bind failure reaches us as itself when it
    /// propagates; but the server's entry point catches it (Program.cs: "not starting", exit code 2), and
    /// <c>app.Run</c> disposes the host on its way out, so the factory, finding the entry point returned, reads
    /// the server's address from a disposed host (ObjectDisposedException: seen once in CI).
    /// </summary>
    private static bool PortTaken(Exception e) =>
        e is ObjectDisposedException || e.ToString().Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether something accepts a connection on 127.0.0.1:<paramref name="port"/>.</summary>
    private static bool Answers(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Operator.Dispose();
        await _factory.DisposeAsync();
        if (!KeepData)
        {
            TryDelete(DataDirectory);
            await TestStore.ReleaseAsync(DataDirectory);
        }
    }

    public static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process: the temp directory is cleaned by the OS later.
        }
    }

    private sealed class KestrelFactory : WebApplicationFactory<Program>
    {
        private readonly string _dataDirectory;
        private readonly FakeTimeProvider _clock;
        private readonly IReadOnlyDictionary<string, string> _storeSettings;

        public KestrelFactory(string dataDirectory, FakeTimeProvider clock, int port, IReadOnlyDictionary<string, string> storeSettings)
        {
            _dataDirectory = dataDirectory;
            _clock = clock;
            _storeSettings = storeSettings;
            // A port of our own, never 0: WebApplicationFactory's UseKestrel rewrites the server's addresses after
            // the app has started binding (dotnet/aspnetcore#67714), and with port 0 the address read back could be
            // "127.0.0.1:0" (seen once in a client test). And 127.0.0.1 only: UseKestrel(port) listens on "localhost",
            // which, when another process holds the IPv4 port, binds IPv6 alone and carries on, so this host's clients
            // (on 127.0.0.1) reached that other server, or nothing once it stopped (seen once: connection refused).
            UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("data", _dataDirectory);
            builder.UseSetting("LEASEHOLD_ADMIN_KEY", OperatorKey);
            builder.UseSetting("LEASEHOLD_REAPER_INTERVAL_SECONDS", "5");
            // Tests make hundreds of writes a minute with one operator key; the write limits' own tests
            // (Auth/WriteAndBodyLimitTests) set them through storeSettings, which come after these.
            builder.UseSetting("LEASEHOLD_WRITES_PER_MINUTE", "0");
            builder.UseSetting("LEASEHOLD_CLIENT_WRITES_PER_MINUTE", "0");
            foreach (var (key, value) in _storeSettings)
                builder.UseSetting(key, value);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock));
        }
    }
}
