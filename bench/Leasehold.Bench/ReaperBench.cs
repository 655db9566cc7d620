using System.Diagnostics;
using System.Text;

namespace Leasehold.Bench;

/// <summary>
/// The CPU the server spends ending expired sessions. Making 100,000 sessions takes far longer
/// than a 5 s TTL, so a reaper running meanwhile would end most of them while the checkouts are
/// still going, mixing both costs. Hence two servers on one data directory: the first (whose
/// reaper never runs) takes the checkouts and is then stopped once every session is past its
/// deadline; the second, started with <c>LEASEHOLD_REAPER_INTERVAL_SECONDS=1</c>, finds them all
/// due, and the CPU it spends until the database holds no live session is the reaper's cost.
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

        // Every session is due <ttl> s after its checkout; wait that long after the last, plus a
        // margin. Measure the server's idle CPU over the end of that wait, once the work the
        // checkouts left behind (background compilation, collections) has settled.
        var settle = TimeSpan.FromSeconds(3);
        await Task.Delay(settle);
        var wait = TimeSpan.FromSeconds(Math.Max(5, ttl + 2 - settle.TotalSeconds));
        var cpu0 = target.CpuSeconds();
        var t0 = Stopwatch.GetTimestamp();
        await Task.Delay(wait);
        var idleCpu = target.CpuSeconds() - cpu0;
        var idleWall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var live = target.LiveSessions();

        results.Set("reaper.sessions", count);
        results.Set("reaper.ttl", ttl);
        results.Set("reaper.created", count - op.Errors);
        results.Set("reaper.create_seconds", took.TotalSeconds);
        results.Set("reaper.create_errors", op.Errors);
        results.Set("reaper.idle_cpu_per_s", idleCpu / idleWall);
        results.Set("reaper.live_due", live);
        results.Save();
        Console.WriteLine($"{count - op.Errors:N0} sessions (ttlSeconds {ttl}) made in {Format.Seconds(took.TotalSeconds)} " +
            $"({Format.N0(count / took.TotalSeconds)}/s, {op.Errors:N0} errors); all due; {live:N0} live in the database; " +
            $"idle server CPU {Format.F(idleCpu, 2)} s over {Format.F(idleWall, 1)} s.");
        if (op.Errors > 0)
            Console.WriteLine($"Errors: {op.ErrorSummary()}");
    }

    /// <summary>Part 2, on the second server (reaper every second): CPU from its readiness until no live session is left.</summary>
    public static async Task MeasureAsync(Options options)
    {
        var target = new Target(options);
        var results = new Results(options.Get("out"), "3-reaper");
        var timeout = options.Seconds("timeout", 600);
        var created = Results.LoadFigures(options.Get("out"));
        // Poll often: the first reaper pass comes one interval after start, and the CPU reading must come before it.
        await target.WaitReadyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10));
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
        var wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var rawCpu = cpuEnd - cpuStart;

        // The same server idle afterwards, reaper still ticking, for comparison.
        var idleWindow = TimeSpan.FromSeconds(Math.Clamp(wall, 3, 10));
        var cpu2 = target.CpuSeconds();
        var t2 = Stopwatch.GetTimestamp();
        await Task.Delay(idleWindow);
        var idleAfterPerS = (target.CpuSeconds() - cpu2) / Stopwatch.GetElapsedTime(t2).TotalSeconds;
        var idleBeforePerS = created.GetValueOrDefault("reaper.idle_cpu_per_s", double.NaN);
        var reaperCpu = rawCpu - (idleBeforePerS * wall);

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
            "A second server on the same data, with LEASEHOLD_REAPER_INTERVAL_SECONDS=1, ended them; its CPU time (utime+stime from " +
            "/proc/PID/stat) is read when it first answers /healthz and again when a read-only poll of the database (every 100 ms) " +
            "finds no live session.");
        results.Line();
        results.Line($"- Live sessions when the measurement started: {liveAtStart:N0}" +
            (liveAtStart < sessions ? $" (the reaper had already ended {sessions - liveAtStart:N0} before the first reading: the figure is low)" : "") + ".");
        results.Line($"- All ended after {Format.Seconds(wall)} (first pass at most 1 s after start); sessions now: {reasons}." +
            (live > 0 ? $" **{live:N0} were still live when the measurement gave up after {timeout.TotalSeconds:0} s.**" : ""));
        results.Line($"- Server CPU over that time: {Format.F(rawCpu, 2)} s; minus idle CPU ({Format.F(idleBeforePerS, 3)} s per second, " +
            $"measured on the first server while waiting for the sessions to be due, after 3 s of settling): **{Format.F(reaperCpu, 2)} s to end {sessions:N0} sessions** " +
            $"({Format.N0(reaperCpu * 1e6 / Math.Max(1, liveAtStart))} µs each).");
        results.Line($"- Idle CPU of the second server afterwards (reaper ticking each second, nothing to do): {Format.F(idleAfterPerS, 3)} s per second. " +
            $"Its CPU to start up, until ready: {Format.F(cpuStart, 2)} s.");
        results.Line();
        results.Set("reaper.cpu", reaperCpu);
        results.Set("reaper.cpu_raw", rawCpu);
        results.Set("reaper.wall", wall);
        results.Set("reaper.live_start", liveAtStart);
        results.Set("reaper.live_left", live);
        results.Set("reaper.polls", polls);
        results.Save();
    }
}
