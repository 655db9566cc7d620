using System.Diagnostics;
using System.Text;

namespace Leasehold.Bench;

/// <summary>
/// The CPU the server spends ending expired sessions. Making 100,000 sessions takes far longer
/// than a 5 s TTL, so a reaper running meanwhile would end most of them while the checkouts are
/// still going, mixing both costs. Hence two servers on one data directory: the first (whose
/// reaper never runs) takes the checkouts and is then stopped once every session is past its
/// deadline; the second finds them all due at its first reaper pass, and the CPU it spends from
/// just before that pass until the database holds no live session is the reaper's cost. The pass
/// comes one reaper interval (<c>--first-pass</c>, 12 s) after the second server starts, so that
/// the runtime has compiled the server's start-up code again, optimized, before it (a fresh .NET
/// process does so in its first seconds, on a thread of its own: a third of the CPU of a pass
/// that started 1 s after start-up was that, not the reaper).
/// </summary>
internal static class ReaperBench
{
    private const int SessionsPerLicense = 100;
    private const string ShortClient = "short";

    /// <summary>Part 1, on the first server: make the sessions, wait until all are due, measure its idle CPU meanwhile.</summary>
    public static async Task CreateAsync(Options options)
    {
        var target = new Target(options);
        var results = new Results(options.Get("out"), "3-reaper-create");
        var connections = options.Int("connections", 64);
        var count = options.Int("sessions", 100_000);
        var ttl = options.Int("ttl", 5);
        await target.WaitReadyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

        using var admin = target.Client(target.AdminKey, 16);
        var tenant = await Setup.CreateTenantAsync(admin, "bench-reaper");
        var key = await Setup.CreateClientKeyAsync(admin, tenant);
        using var client = target.Client(key, connections);
        var licenses = await Setup.CreateLicensesAsync(admin, tenant, (count + SessionsPerLicense - 1) / SessionsPerLicense,
            SessionsPerLicense, ShortClient, ttl, 0, 16);
        var op = new OpStats("checkout");
        var took = await Setup.CreateSessionsAsync(new Requester(client, Window.Always), op, licenses, SessionsPerLicense, 0, count,
            connections, ShortClient, progressLabel: "reaper sessions");

        // Every session is due <ttl> s after its checkout: wait that long after the last, plus a margin.
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(8, ttl + 2)));
        var live = target.LiveSessions();

        results.Set("reaper.sessions", count);
        results.Set("reaper.ttl", ttl);
        results.Set("reaper.created", count - op.Errors);
        results.Set("reaper.create_seconds", took.TotalSeconds);
        results.Set("reaper.create_errors", op.Errors);
        results.Set("reaper.live_due", live);
        results.Save();
        Console.WriteLine($"{count - op.Errors:N0} sessions (ttlSeconds {ttl}) made in {Format.Seconds(took.TotalSeconds)} " +
            $"({Format.N0(count / took.TotalSeconds)}/s, {op.Errors:N0} errors); all due; {live:N0} live in the database.");
        if (op.Errors > 0)
            Console.WriteLine($"Errors: {op.ErrorSummary()}");
    }

    /// <summary>
    /// Part 2, on the second server (its first reaper pass <c>--first-pass</c> seconds after start):
    /// its idle CPU while it settles, then its CPU from just before that pass until no live session is left.
    /// </summary>
    public static async Task MeasureAsync(Options options)
    {
        var target = new Target(options);
        var results = new Results(options.Get("out"), "3-reaper");
        var timeout = options.Seconds("timeout", 600);
        var firstPass = options.Seconds("first-pass", 12);
        var created = Results.LoadFigures(options.Get("out"));
        await target.WaitReadyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10));
        var ready = Stopwatch.GetTimestamp();
        var cpuReady = target.CpuSeconds();

        // Settling: from 2 s after readiness until 3 s before the first pass (the server's clock started a little
        // before it answered), the idle CPU of the settled server, which is subtracted below.
        var settleFrom = TimeSpan.FromSeconds(2);
        var settleTo = firstPass - TimeSpan.FromSeconds(3);
        if (settleTo <= settleFrom)
            throw new ArgumentException("--first-pass must be at least 6 s.");
        await Task.Delay(settleFrom);
        var cpuSettle = target.CpuSeconds();
        var settleStart = Stopwatch.GetTimestamp();
        await Task.Delay(settleTo - settleFrom);
        var idlePerS = (target.CpuSeconds() - cpuSettle) / Stopwatch.GetElapsedTime(settleStart).TotalSeconds;

        // The runtime's background compiler: the reaper's code runs for the first time in this pass, and is compiled
        // again, optimized, while it runs (once per process: a server's later passes run the optimized code).
        const string Tiering = ".NET Tiered Com";
        var tieringStart = target.ThreadCpuSeconds(Tiering);
        var cpuStart = target.CpuSeconds();
        var t0 = Stopwatch.GetTimestamp();
        var liveAtStart = target.LiveSessions();
        var live = liveAtStart;
        var polls = 0;
        while (live > 0 && Stopwatch.GetElapsedTime(t0) < timeout)
        {
            await Task.Delay(100);
            live = target.LiveSessions();
            polls++;
        }
        var cpuEnd = target.CpuSeconds();
        var tieringCpu = target.ThreadCpuSeconds(Tiering) - tieringStart;
        var wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var rawCpu = cpuEnd - cpuStart;
        var reaperCpu = rawCpu - (idlePerS * wall);
        var tierUpCpu = cpuSettle - cpuReady;

        var reasons = new StringBuilder();
        using (var db = target.OpenDatabaseReadOnly())
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT coalesce(end_reason, 'live'), count(*) FROM sessions GROUP BY 1 ORDER BY 2 DESC";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                reasons.Append(reasons.Length == 0 ? "" : ", ").Append($"{reader.GetInt64(1):N0} {reader.GetString(0)}");
        }

        var sessions = (long)created.GetValueOrDefault("reaper.created", double.NaN);
        results.Line($"{sessions:N0} sessions with ttlSeconds {created.GetValueOrDefault("reaper.ttl", double.NaN)} were made through HTTP checkouts on a first server whose reaper never runs " +
            $"(in {Format.Seconds(created.GetValueOrDefault("reaper.create_seconds", double.NaN))}), which was stopped once all were due. " +
            $"A second server on the same data, with LEASEHOLD_REAPER_INTERVAL_SECONDS={firstPass.TotalSeconds:0}, ended them in its first reaper pass, " +
            $"{firstPass.TotalSeconds:0} s after it started; its CPU time (utime+stime from /proc/PID/stat) is read 3 s before that pass and again " +
            "when a read-only poll of the database (every 100 ms) finds no live session.");
        results.Line();
        results.Line($"- Live sessions when the measurement started: {liveAtStart:N0}" +
            (liveAtStart < sessions ? $" (the reaper had already ended {sessions - liveAtStart:N0} before the first reading: the figure is low)" : "") + ".");
        results.Line($"- All ended {Format.Seconds(wall)} after the first reading; sessions now: {reasons}." +
            (live > 0 ? $" **{live:N0} were still live when the measurement gave up after {timeout.TotalSeconds:0} s.**" : ""));
        results.Line($"- Server CPU over that time: {Format.F(rawCpu, 2)} s; minus its idle CPU ({Format.F(idlePerS, 3)} s per second, " +
            $"measured over the {Format.Seconds((settleTo - settleFrom).TotalSeconds)} before): **{Format.F(reaperCpu, 2)} s to end {sessions:N0} sessions** " +
            $"({Format.N0(reaperCpu * 1e6 / Math.Max(1, liveAtStart))} µs each).");
        results.Line($"- Of that, the runtime's background compiler thread (`{Tiering}`), compiling the reaper's code again, optimized, " +
            $"on its first pass in this process: {Format.F(tieringCpu, 2)} s; without it, {Format.F(reaperCpu - tieringCpu, 2)} s " +
            "(a long-running server's later passes run the optimized code; the code's first, quick compilation, on the pass's own thread, stays in both figures).");
        results.Line($"- The same server's CPU to start up, until ready: {Format.F(cpuReady, 2)} s; in the 2 s after (the runtime compiling " +
            $"start-up code again, optimized, in the background): {Format.F(tierUpCpu, 2)} s.");
        results.Line();
        results.Set("reaper.cpu", reaperCpu);
        results.Set("reaper.cpu_raw", rawCpu);
        results.Set("reaper.cpu_tiering", tieringCpu);
        results.Set("reaper.wall", wall);
        results.Set("reaper.live_start", liveAtStart);
        results.Set("reaper.live_left", live);
        results.Set("reaper.polls", polls);
        results.Set("reaper.idle_cpu_per_s", idlePerS);
        results.Save();
    }
}
