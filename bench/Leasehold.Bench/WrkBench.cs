using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Leasehold.Bench;

/// <summary>
/// The harness checked against an outside load generator (issue 18; bench/wrk.sh, docs/benchmarks.md, "Agreement with
/// wrk"). <c>wrk</c>: makes what the scripts in bench/wrk need on the server (a tenant, its client key, a license for
/// checkouts, live sessions for heartbeats, as the throughput part makes them), lets the server settle under wrk, then
/// runs wrk (one thread, <c>--connections</c> connections) on baseline, checkout+release, heartbeats and the baseline
/// again, each after a warm-up run, reading the server's CPU and allocations around each measured run. <c>wrk-report</c>:
/// puts those beside the harness's own figures of the same mixes on the same server (<c>throughput --profile
/// noop,checkout,heartbeat,noop</c>, run in between by wrk.sh).
/// </summary>
internal static class WrkBench
{
    private const int SessionsPerLicense = 100;
    private const int Week = 604_800;

    /// <summary>The measured runs, in order: the baseline first and last, as in the harness.</summary>
    private static readonly string[] Mixes = ["baseline", "checkout", "heartbeat", "baseline"];

    public static async Task RunAsync(Options options)
    {
        var target = new Target(options);
        // --pass N: wrk.sh runs wrk before the harness (pass 1) and again after it (pass 2, no settling, on what pass 1
        // made), so that a drift of the machine over the minutes falls on both tools alike.
        var pass = options.Int("pass", 1);
        var results = new Results(options.Get("out"), $"wrk-{pass}");
        var connections = options.Int("connections", 64);
        var warmup = options.Seconds("warmup", 3);
        var duration = options.Seconds("duration", 12);
        var settle = options.Seconds("settle", 30);
        var heartbeatSessions = options.Int("heartbeat-sessions", 10_000);
        var scripts = Path.GetFullPath(options.Get("scripts"));
        var wrk = options.Find("wrk") ?? "wrk";
        var work = Path.GetFullPath(options.Get("out"));
        Directory.CreateDirectory(work);
        await target.WaitReadyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

        // What the scripts read, made as the throughput part makes it (ThroughputBench); a second pass reads it again.
        using var admin = target.Client(target.AdminKey, 16);
        var sessionsFile = Path.Combine(work, "wrk-sessions.txt");
        var stateFile = Path.Combine(work, "wrk-state.txt");
        string tenant, key;
        if (pass > 1)
        {
            var state = await File.ReadAllLinesAsync(stateFile);
            (tenant, key) = (state[0], state[1]);
            settle = TimeSpan.Zero; // the server settled before pass 1 and has been busy since
        }
        else
        {
            (tenant, key) = await SetUpAsync(target, admin, connections, heartbeatSessions, sessionsFile);
            await File.WriteAllLinesAsync(stateFile, [tenant, key]);
        }

        var checkoutRuns = 0;
        async Task<WrkRun> RunWrkAsync(string mix, TimeSpan seconds)
        {
            // Each checkout run on a license of its own, empty, with twice as many seats as connections (the harness's): wrk
            // stops with checkouts answered and not released (one per connection at most), which would fill a license
            // used again.
            var checkoutLicense = mix == "checkout"
                ? await Setup.CreateLicenseAsync(admin, tenant, $"checkout-{pass}-{++checkoutRuns}", 2 * connections, Setup.LongClient, Week, 0)
                : "";
            var output = Path.Combine(work, $"wrk-{mix}.json");
            File.Delete(output);
            // wrk by way of bash, whose `times` then prints wrk's CPU time (user and system) on the last line of stderr.
            var start = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                "-c", "\"$0\" \"$@\"; status=$?; times >&2; exit $status", wrk,
                "--threads", "1", "--connections", connections.ToString(CultureInfo.InvariantCulture),
                "--duration", $"{Math.Max(1, (int)Math.Round(seconds.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}s",
                "--timeout", "30s", "--script", Path.Combine(scripts, mix + ".lua"), target.Url.ToString().TrimEnd('/'),
            })
            {
                start.ArgumentList.Add(arg);
            }
            start.Environment["LEASEHOLD_WRK_LIB"] = scripts;
            start.Environment["LEASEHOLD_WRK_KEY"] = key;
            start.Environment["LEASEHOLD_WRK_LICENSE"] = checkoutLicense;
            start.Environment["LEASEHOLD_WRK_SESSIONS"] = sessionsFile;
            start.Environment["LEASEHOLD_WRK_OUT"] = output;

            var t0 = Stopwatch.GetTimestamp();
            var server0 = target.CpuSeconds();
            var machine0 = target.MachineCpuSeconds();
            var allocated0 = target.Allocations is null ? double.NaN : await target.Allocations.ReadAsync();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {wrk}.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var t1 = Stopwatch.GetTimestamp();
            var server1 = target.CpuSeconds();
            var machine1 = target.MachineCpuSeconds();
            var allocated1 = target.Allocations is null ? double.NaN : await target.Allocations.ReadAsync();
            if (process.ExitCode != 0 || !File.Exists(output))
                throw new InvalidOperationException($"wrk ({mix}) failed, exit {process.ExitCode}: {await stderr}{await stdout}");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            long Get(string name) => json.RootElement.GetProperty(name).GetInt64();
            var wall = Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
            var server = server1 - server0;
            var wrkCpu = (await stderr).TrimEnd().Split('\n')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Sum(ParseTimes);
            return new WrkRun(mix, Get("requests"), Get("duration_us") / 1e6, wall, server, wrkCpu,
                Math.Max(0, machine1.Busy - machine0.Busy - server - wrkCpu) / wall,
                allocated1 - allocated0 - (target.Allocations?.ScrapeBytes ?? 0),
                Get("errors_connect") + Get("errors_read") + Get("errors_write") + Get("errors_status") + Get("errors_timeout") + Get("unexpected"),
                Get("p50_us") / 1000.0, Get("p99_us") / 1000.0, await stdout);
        }

        // Settle as the harness settles (ThroughputBench): every kind of request, round after round, for at least --settle.
        var warming = Stopwatch.StartNew();
        while (warming.Elapsed < settle)
        {
            foreach (var mix in Mixes.Distinct())
            {
                await Console.Error.WriteLineAsync($"  wrk settling: {mix} ...");
                await RunWrkAsync(mix, warmup);
            }
        }
        target.Allocations = await AllocationCounter.OpenAsync(target);
        if (target.Allocations is not null)
            await target.Allocations.CalibrateAsync();

        var runs = new List<WrkRun>();
        foreach (var mix in Mixes)
        {
            await Console.Error.WriteLineAsync($"  wrk: {mix} ({warmup.TotalSeconds:0.#} s warm-up, then {duration.TotalSeconds:0.#} s measured) ...");
            await RunWrkAsync(mix, warmup);
            var run = await RunWrkAsync(mix, duration);
            runs.Add(run);
            await Console.Error.WriteLineAsync($"  wrk: {mix}: {run.RequestsPerSecond:N0} req/s, {run.ServerMicrosPerRequest:N0} µs server CPU and " +
                $"{Format.Bytes(run.AllocatedBytesPerRequest)} allocated per request, {run.Errors:N0} errors");
        }
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var prefix = $"wrk.{pass}{i}.{run.Mix}.";
            results.Set(prefix + "rps", run.RequestsPerSecond);
            results.Set(prefix + "cpu_us", run.ServerMicrosPerRequest);
            results.Set(prefix + "gen_us", run.WrkCpuSeconds * 1e6 / run.Requests);
            results.Set(prefix + "alloc", run.AllocatedBytesPerRequest);
            results.Set(prefix + "errors", run.Errors);
            results.Set(prefix + "p50", run.P50Ms);
            results.Set(prefix + "p99", run.P99Ms);
            results.Set(prefix + "other_cores", run.OtherCores);
        }
        results.Set("wrk.scrape_bytes", target.Allocations?.ScrapeBytes ?? double.NaN);
        results.Line($"wrk's own output of the measured runs (pass {pass}):");
        results.Line();
        foreach (var run in runs)
        {
            results.Line($"    {run.Mix}:");
            foreach (var line in run.Output.TrimEnd().Split('\n'))
                results.Line("    " + line);
        }
        results.Save();
    }

    /// <summary>The tenant and its client key, and the live sessions of the heartbeats ("id token" lines in <paramref name="sessionsFile"/>).</summary>
    private static async Task<(string Tenant, string Key)> SetUpAsync(Target target, HttpClient admin, int connections, int heartbeatSessions,
        string sessionsFile)
    {
        var tenant = await Setup.CreateTenantAsync(admin, "bench-wrk");
        var key = await Setup.CreateClientKeyAsync(admin, tenant);
        using var client = target.Client(key, connections);
        var heldLicenses = await Setup.CreateLicensesAsync(admin, tenant, (heartbeatSessions + SessionsPerLicense - 1) / SessionsPerLicense,
            2 * SessionsPerLicense, Setup.LongClient, Week, 0, 16);
        var setupOp = new OpStats("checkout (setup)");
        var ids = new string[heartbeatSessions];
        var tokens = new string[heartbeatSessions];
        await Setup.CreateSessionsAsync(new Requester(client, Window.Always), setupOp, heldLicenses, SessionsPerLicense,
            0, heartbeatSessions, connections, Setup.LongClient, ids, tokens: tokens);
        if (setupOp.Errors > 0)
            throw new InvalidOperationException($"Creating the live sessions failed: {setupOp.ErrorSummary()}");
        await File.WriteAllLinesAsync(sessionsFile, ids.Zip(tokens, (id, token) => $"{id} {token}"));
        return (tenant, key);
    }

    /// <summary>The comparison: wrk's runs (wrk.json) and the harness's profile (1-throughput.json) of the same server, side by side.</summary>
    public static void Report(Options options)
    {
        var figures = Results.LoadFigures(options.Get("out"));
        double F(string name) => figures.GetValueOrDefault(name, double.NaN);

        // tool (wrk or profile) -> mix -> the figure's mean over that mix's runs (the baseline runs first and last).
        double Mean(string tool, string mix, string figure)
        {
            var values = figures.Where(f => f.Key.StartsWith(tool + ".", StringComparison.Ordinal)
                    && f.Key.EndsWith($".{mix}.{figure}", StringComparison.Ordinal))
                .Select(f => f.Value).ToList();
            return values.Count == 0 ? double.NaN : values.Average();
        }
        var rows = new[] { ("baseline", "noop", "baseline POST /bench/noop"), ("checkout", "checkout", "checkout+release"), ("heartbeat", "heartbeat", "heartbeats") };
        var wrkBase = Mean("wrk", "baseline", "rps");
        var harnessBase = Mean("profile", "noop", "rps");
        var wrkBaseCpu = Mean("wrk", "baseline", "cpu_us");
        var harnessBaseCpu = Mean("profile", "noop", "cpu_us");
        Console.WriteLine("| mix | wrk req/s | x baseline | harness req/s | x baseline | server CPU per request, wrk (x baseline) | harness | " +
            "load generator CPU per request, wrk | harness | server allocated per request, wrk | harness | p50 / p99 ms, wrk | harness | errors, wrk / harness |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var (wrkMix, harnessMix, name) in rows)
        {
            Console.WriteLine($"| {name} | {Format.N0(Mean("wrk", wrkMix, "rps"))} | {Format.Ratio(Mean("wrk", wrkMix, "rps") / wrkBase)} | " +
                $"{Format.N0(Mean("profile", harnessMix, "rps"))} | {Format.Ratio(Mean("profile", harnessMix, "rps") / harnessBase)} | " +
                $"{Format.N0(Mean("wrk", wrkMix, "cpu_us"))} µs ({Format.Ratio(Mean("wrk", wrkMix, "cpu_us") / wrkBaseCpu)}) | " +
                $"{Format.N0(Mean("profile", harnessMix, "cpu_us"))} µs ({Format.Ratio(Mean("profile", harnessMix, "cpu_us") / harnessBaseCpu)}) | " +
                $"{Format.N0(Mean("wrk", wrkMix, "gen_us"))} µs | {Format.N0(Mean("profile", harnessMix, "gen_us"))} µs | " +
                $"{Format.Bytes(Mean("wrk", wrkMix, "alloc"))} | {Format.Bytes(Mean("profile", harnessMix, "alloc"))} | " +
                $"{Format.Ms(Mean("wrk", wrkMix, "p50"))} / {Format.Ms(Mean("wrk", wrkMix, "p99"))} | " +
                $"{Format.Ms(Mean("profile", harnessMix, "p50"))} / {Format.Ms(Mean("profile", harnessMix, "p99"))} | " +
                $"{Format.N0(Mean("wrk", wrkMix, "errors"))} / {Format.N0(Mean("profile", harnessMix, "errors"))} |");
        }
        Console.WriteLine();
        string Each(string tool, string suffix) => string.Join(", ", figures
            .Where(f => f.Key.StartsWith(tool + ".", StringComparison.Ordinal) && f.Key.EndsWith(suffix, StringComparison.Ordinal))
            .OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => Format.N0(f.Value)));
        string MostOther(string tool) => Format.F(figures
            .Where(f => f.Key.StartsWith(tool + ".", StringComparison.Ordinal) && f.Key.EndsWith(".other_cores", StringComparison.Ordinal))
            .Select(f => f.Value).DefaultIfEmpty(double.NaN).Max(), 2);
        Console.WriteLine($"Baseline runs in order: wrk {Each("wrk", ".baseline.rps")} req/s; harness {Each("profile", ".noop.rps")} req/s. " +
            "Each tool's figures are the mean of its runs (wrk ran before and after the harness), ratios to the mean of its own baseline runs. " +
            $"Other processes (neither the server nor the load generator): up to {MostOther("wrk")} cores during wrk's runs, {MostOther("profile")} during the harness's. " +
            $"One /metrics scrape allocates {Format.Bytes(F("wrk.scrape_bytes"))} (subtracted). Latency: wrk's over all its requests " +
            "(checkouts and releases alike), the harness's of the checkout alone.");
    }

    /// <summary>One time of bash's <c>times</c>: <c>1m2.345s</c>.</summary>
    private static double ParseTimes(string value)
    {
        var m = value.IndexOf('m', StringComparison.Ordinal);
        return double.Parse(value[..m], CultureInfo.InvariantCulture) * 60 + double.Parse(value[(m + 1)..].TrimEnd('s'), CultureInfo.InvariantCulture);
    }

    private sealed record WrkRun(string Mix, long Requests, double Seconds, double WallSeconds, double ServerCpuSeconds, double WrkCpuSeconds, double OtherCores,
        double AllocatedBytes, long Errors, double P50Ms, double P99Ms, string Output)
    {
        public double RequestsPerSecond => Requests / Seconds;

        /// <summary>The server's CPU from wrk's start to its exit, over wrk's requests (only wrk loads the server meanwhile).</summary>
        public double ServerMicrosPerRequest => ServerCpuSeconds * 1e6 / Requests;

        public double AllocatedBytesPerRequest => AllocatedBytes / Requests;
    }
}
