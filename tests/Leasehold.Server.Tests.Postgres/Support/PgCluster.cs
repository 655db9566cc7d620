using System.Diagnostics;
using Npgsql;

namespace Leasehold.Server.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> into a temp directory, <c>pg_ctl</c> on a free
/// 127.0.0.1 port, trust authentication for its one superuser, no fsync (nothing here must survive
/// a power cut of the machine; a crash of the server, yes). Disposing stops it and deletes the directory; a watchdog process does the same if
/// the test process dies first. As root (initdb refuses root) the server runs as the
/// <c>postgres</c> user, which owns the directory.
/// </summary>
public sealed class PgCluster : IAsyncDisposable
{
    public const string User = "leasehold";

    private readonly string _bin;
    private readonly string _root;
    private readonly bool _asPostgresUser;

    private PgCluster(string bin, string root, int port, bool asPostgresUser)
    {
        _bin = bin;
        _root = root;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The directory with initdb and pg_ctl: <c>LEASEHOLD_PG_BIN</c>, else the newest /usr/lib/postgresql/*/bin, else the PATH; null if none.</summary>
    public static string? FindBinaries()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("LEASEHOLD_PG_BIN") is { Length: > 0 } configured)
            candidates.Add(configured);
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    public static async Task<PgCluster> StartAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on the PATH): run ./test.sh, which installs it.");
        var asPostgresUser = Environment.UserName == "root";
        var root = Directory.CreateTempSubdirectory("leasehold-pg-").FullName;
        if (asPostgresUser)
            await RunAsync("chown", ["postgres:postgres", root]);
        var cluster = new PgCluster(bin, root, TestHost.FreePort(), asPostgresUser);
        try
        {
            await cluster.PgAsync("initdb", ["-D", cluster.DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
            await File.AppendAllTextAsync(Path.Combine(cluster.DataDirectory, "postgresql.conf"), $"""

                listen_addresses = '127.0.0.1'
                port = {cluster.Port}
                unix_socket_directories = '{root}'
                max_connections = 500
                shared_buffers = 64MB
                fsync = off
                full_page_writes = off
                """);
            await cluster.StartAgainAsync();
            cluster.StartWatchdog();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(string? searchPath = null, int maxPoolSize = 50) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Database = "postgres",
        SearchPath = searchPath,
        MaxPoolSize = maxPoolSize,
        Timeout = 5,
    }.ConnectionString;

    /// <summary>Stops the server at once, as a crash or a lost database host would (<c>pg_ctl stop -m immediate</c>).</summary>
    public Task StopAsync() => PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);

    /// <summary>Starts the server (again) on the same port and data, waiting until it accepts connections.</summary>
    public Task StartAgainAsync() =>
        PgAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start"]);

    public async Task ExecuteAsync(string sql)
    {
        await using var db = new NpgsqlConnection(ConnectionString());
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await StopAsync();
            }
            catch (InvalidOperationException)
            {
                // Already stopped.
            }
        }
        TestHost.TryDelete(_root);
    }

    /// <summary>Stops the cluster and removes it if this test process dies without disposing it (a crash, a kill).</summary>
    private void StartWatchdog()
    {
        var stop = Command("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "stop"]);
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; {Quote(stop)} >/dev/null 2>&1; rm -rf '{_root}'";
        using var watchdog = Process.Start(new ProcessStartInfo("setsid", ["-f", "bash", "-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        watchdog?.WaitForExit(10_000);
    }

    private Task PgAsync(string tool, string[] args)
    {
        var command = Command(tool, args);
        return RunAsync(command[0], command[1..]);
    }

    private string[] Command(string tool, string[] args) => _asPostgresUser
        ? ["runuser", "-u", "postgres", "--", Path.Combine(_bin, tool), .. args]
        : [Path.Combine(_bin, tool), .. args];

    private static string Quote(string[] command) => string.Join(" ", command.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    private static async Task RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout}{await stderr}");
    }
}
