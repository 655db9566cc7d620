using System.Net;
using System.Net.Sockets;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Hosting;

/// <summary>
/// A start that cannot succeed (a bad setting, a busy port) says so in one line on standard error
/// that names the setting, exits non-zero, and has written nothing: no data directory, so no
/// database and no operator key file. The real server process, as an operator starts it.
/// </summary>
public sealed class StartErrorTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("leasehold-start-").FullName;

    private string Data => Path.Combine(_work, "data");

    public static TheoryData<string[], string, string> BadSettings => new()
    {
        { ["LEASEHOLD_DURABILITY=x"], "Leasehold:Durability (LEASEHOLD_DURABILITY) must be 'process' or 'fsync', not 'x'.", "the old name" },
        { ["Leasehold__Durability=often"], "Leasehold:Durability (LEASEHOLD_DURABILITY) must be 'process' or 'fsync', not 'often'.", "the section" },
        { ["Leasehold__AdminKey=short"], "Leasehold:AdminKey (LEASEHOLD_ADMIN_KEY) must be at least 16 characters long.", "too short" },
        { ["LEASEHOLD_ISSUER=ftp://issuer.example"], "Leasehold:Issuer (LEASEHOLD_ISSUER) must be the issuing server's http(s) address, not 'ftp://issuer.example'.", "not http" },
        { ["LEASEHOLD_WRITES_PER_MINUTE=lots"], "Leasehold:WritesPerMinute (LEASEHOLD_WRITES_PER_MINUTE) must be a whole number, not 'lots'.", "not a number" },
        { ["LEASEHOLD_TRUSTED_PROXIES=10.0.0.5,proxy.local"], "Leasehold:TrustedProxies (LEASEHOLD_TRUSTED_PROXIES) must list IP addresses or networks (10.0.0.0/8), not 'proxy.local'.", "a name" },
        { ["LEASEHOLD_METRICS=everyone"], "Leasehold:Metrics (LEASEHOLD_METRICS) must be 'operator', 'public' or 'off', not 'everyone'.", "not a metrics access" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task BadSetting_OneLineNamingIt_NonZeroExit_NothingWritten(string[] environment, string message, string why)
    {
        var port = TestHost.FreePort();
        var info = LaunchedServer.Server(["--data", Data, "--urls", $"http://127.0.0.1:{port}"],
            environment.Select(e => e.Split('=', 2)).ToDictionary(e => e[0], e => e[1]));

        var (exitCode, error, output) = await LaunchedServer.RunToExitAsync(info);

        exitCode.ShouldBe(2, output);
        error.ShouldBe([$"leasehold: not starting: {message}"], why);
        Directory.Exists(Data).ShouldBeFalse("nothing is written before the settings are checked");
    }

    [Fact]
    public async Task UnreachablePostgres_OneLineNamingTheSetting_ExitCode3()
    {
        var closed = TestHost.FreePort(); // nobody listens there
        var info = LaunchedServer.Server(["--data", Data, "--urls", $"http://127.0.0.1:{TestHost.FreePort()}"],
            new Dictionary<string, string> { ["LEASEHOLD_POSTGRES"] = $"Host=127.0.0.1;Port={closed};Database=leasehold;Username=leasehold;Timeout=5" });

        var (exitCode, error, output) = await LaunchedServer.RunToExitAsync(info);

        exitCode.ShouldBe(3, output);
        error.Count.ShouldBe(1, output);
        error[0].ShouldStartWith("leasehold: not starting: the PostgreSQL database (Leasehold:Postgres, LEASEHOLD_POSTGRES) cannot be reached: ");
    }

    [Fact]
    public async Task BadSettingOnTheCommandLine_NamedTheSameWay()
    {
        var info = LaunchedServer.Server(["--Leasehold:Data", Data, "--durability", "sometimes", "--urls", $"http://127.0.0.1:{TestHost.FreePort()}"]);

        var (exitCode, error, output) = await LaunchedServer.RunToExitAsync(info);

        exitCode.ShouldBe(2, output);
        error.ShouldBe(["leasehold: not starting: Leasehold:Durability (LEASEHOLD_DURABILITY) must be 'process' or 'fsync', not 'sometimes'."]);
        Directory.Exists(Data).ShouldBeFalse();
    }

    [Fact]
    public async Task BusyPort_OneLineNamingTheAddress_NonZeroExit_NothingWritten()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0); // another process's server, as far as Leasehold can tell
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;
        var info = LaunchedServer.Server(["--data", Data, "--urls", $"http://127.0.0.1:{port}"]);

        var (exitCode, error, output) = await LaunchedServer.RunToExitAsync(info);

        exitCode.ShouldBe(2, output);
        error.ShouldBe([$"leasehold: not starting: --urls (ASPNETCORE_URLS): http://127.0.0.1:{port} is already in use (another process listens on port {port})."]);
        Directory.Exists(Data).ShouldBeFalse("the data directory and the operator key are made only once the port is known to be free");
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
