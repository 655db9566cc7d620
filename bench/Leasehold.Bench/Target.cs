using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;

namespace Leasehold.Bench;

/// <summary>
/// The server under test: its URL and operator key, and (through /proc and its SQLite file) its
/// process and data, which the benchmark reads from outside, as an operator would.
/// </summary>
internal sealed class Target
{
    public Target(Options options)
    {
        Url = new Uri(options.Get("url"));
        AdminKey = options.Get("admin-key");
        Pid = options.Int("server-pid", 0);
        ClockTicksPerSecond = options.Int("clk-tck", 100);
        DataDirectory = options.Find("data");
    }

    public Uri Url { get; }

    public string AdminKey { get; }

    public int Pid { get; }

    public int ClockTicksPerSecond { get; }

    public string? DataDirectory { get; }

    /// <summary>When set, each mix also reads the server's allocated bytes before and after its window (from /metrics).</summary>
    public AllocationCounter? Allocations { get; set; }

    public string DatabasePath => Path.Combine(DataDirectory ?? throw new InvalidOperationException("--data is required."), "leasehold.db");

    /// <summary>A client of keep-alive HTTP/1.1 connections, up to <paramref name="connections"/> of them.</summary>
    public HttpClient Client(string key, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(30),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = Url,
            Timeout = TimeSpan.FromSeconds(120),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Polls <c>/healthz</c> until it answers; fails at once if the server process is gone.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, TimeSpan poll)
    {
        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (Pid > 0 && !Directory.Exists($"/proc/{Pid}"))
                throw new InvalidOperationException($"The server (pid {Pid}) exited before it answered on {Url}: see its log.");
            try
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"The server did not answer /healthz on {Url} within {timeout.TotalSeconds} s.");
            await Task.Delay(poll);
        }
    }

    /// <summary>
    /// CPU time (utime+stime) of the server's threads whose name starts with <paramref name="threadName"/> (as
    /// /proc/PID/task/TID/stat shows it, 15 characters at most), in seconds; threads that ended are not counted.
    /// </summary>
    public double ThreadCpuSeconds(string threadName)
    {
        if (Pid <= 0)
            return double.NaN;
        var total = 0L;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread ended meanwhile
            }
            if (stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')].StartsWith(threadName, StringComparison.Ordinal))
                total += CpuTicks(stat);
        }
        return total / (double)ClockTicksPerSecond;
    }

    /// <summary>The server process's CPU time so far (user + system), from /proc/PID/stat.</summary>
    public double CpuSeconds() => Pid <= 0 ? double.NaN : CpuTicks(File.ReadAllText($"/proc/{Pid}/stat")) / (double)ClockTicksPerSecond;

    /// <summary>utime + stime of a /proc stat line, in clock ticks.</summary>
    private static long CpuTicks(string stat)
    {
        // Fields after the command name (which may contain spaces) start with field 3, the state.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// CPU time of the whole machine so far, from the first line of /proc/stat: busy (user, nice,
    /// system, irq, softirq) and stolen by the hypervisor.
    /// </summary>
    public (double Busy, double Steal) MachineCpuSeconds()
    {
        var line = File.ReadLines("/proc/stat").First();
        var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        double Seconds(long t) => t / (double)ClockTicksPerSecond;
        return (Seconds(ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]), Seconds(ticks.Length > 7 ? ticks[7] : 0));
    }

    /// <summary>Resident memory now (VmRSS), in bytes.</summary>
    public long RssBytes() => StatusKb("VmRSS") * 1024;

    /// <summary>The peak resident memory so far (VmHWM), in bytes.</summary>
    public long PeakRssBytes() => StatusKb("VmHWM") * 1024;

    private long StatusKb(string field)
    {
        if (Pid <= 0)
            return -1;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return -1;
    }

    /// <summary>The size of the database files (main file and write-ahead log).</summary>
    public long DatabaseBytes()
    {
        if (DataDirectory is null)
            return -1;
        return new[] { DatabasePath, DatabasePath + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
    }

    /// <summary>Opens the server's database read-only (it never writes, so it cannot disturb the server).</summary>
    public SqliteConnection OpenDatabaseReadOnly()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        return connection;
    }

    public static long Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Live sessions (not ended), read from the server's database.</summary>
    public long LiveSessions()
    {
        using var db = OpenDatabaseReadOnly();
        return Scalar(db, "SELECT count(*) FROM sessions WHERE ended_at IS NULL");
    }
}
