namespace Leasehold.Bench;

/// <summary>
/// Requests per second and latency of each mix, closed loop, against the baseline <c>POST
/// /bench/noop</c> measured in the same run (before and after the other mixes); then checkout
/// latency in an open loop at half the maximum checkout+release rate.
/// </summary>
internal static class ThroughputBench
{
    private const int SessionsPerLicense = 100;
    private const int Week = 604_800;

    public static async Task RunAsync(Options options)
    {
        var target = new Target(options);
        var results = new Results(options.Get("out"), "1-throughput");
        var connections = options.Int("connections", 64);
        var warmup = options.Seconds("warmup", 3);
        var duration = options.Seconds("duration", 12);
        var heartbeatSessions = options.Int("heartbeat-sessions", 10_000);
        var settle = options.Seconds("settle", 30);
        await target.WaitReadyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

        using var admin = target.Client(target.AdminKey, 16);
        var tenant = await Setup.CreateTenantAsync(admin, "bench-throughput");
        var key = await Setup.CreateClientKeyAsync(admin, tenant);
        using var client = target.Client(key, connections);

        // Checkout+release: one license with more seats than workers (each worker holds at most one).
        var checkoutLicense = await Setup.CreateLicenseAsync(admin, tenant, "checkout", 2 * connections, Setup.LongClient, Week, 0);
        // Heartbeats and checks: licenses of 200 seats, each half held by live sessions.
        var heldLicenses = await Setup.CreateLicensesAsync(admin, tenant, (heartbeatSessions + SessionsPerLicense - 1) / SessionsPerLicense,
            2 * SessionsPerLicense, Setup.LongClient, Week, 0, 16);
        var setupOp = new OpStats("checkout (setup)");
        var ids = new string[heartbeatSessions];
        var tokens = new string[heartbeatSessions];
        var setupTook = await Setup.CreateSessionsAsync(new Requester(client, Window.Always), setupOp, heldLicenses, SessionsPerLicense,
            0, heartbeatSessions, connections, Setup.LongClient, ids, tokens: tokens);
        if (setupOp.Errors > 0)
            throw new InvalidOperationException($"Creating the live sessions failed: {setupOp.ErrorSummary()}");
        var heartbeatPaths = ids.Select(id => $"/v1/sessions/{id}/heartbeat").ToArray();
        var heartbeatTokens = tokens;
        var checkBodies = heldLicenses.Select((license, i) => Setup.CheckBody(license, $"checker-{i}", Setup.LongClient)).ToArray();
        byte[] CheckoutBody(int worker) => Setup.CheckoutBody(checkoutLicense, $"worker-{worker:D4}", $"device-{worker:D4}", Setup.LongClient);

        results.Line($"Closed loop: {connections} keep-alive connections, each sending its next request when the last is answered; " +
            $"{warmup.TotalSeconds:0.#} s warm-up, then {duration.TotalSeconds:0.#} s measured per mix, after at least " +
            $"{settle.TotalSeconds:0.#} s of every kind of request to let the server settle.");
        results.Line($"Live sessions for heartbeats: {heartbeatSessions:N0} (client type with a one-week TTL) on {heldLicenses.Length:N0} licenses " +
            $"of {2 * SessionsPerLicense} seats, {SessionsPerLicense} held each; created in {Format.Seconds(setupTook.TotalSeconds)} " +
            $"({Format.N0(heartbeatSessions / setupTook.TotalSeconds)}/s, p99 {Format.Ms(setupOp.Latency.PercentileMs(99))} ms).");
        results.Line();

        long heartbeatNext = -1;
        long checkNext = -1;

        Func<Task> Noop(Requester r, OpStats noop, int w)
        {
            var body = CheckoutBody(w); // the very bytes of a checkout: same size, same parsing
            return async () => await r.SendAsync(noop, HttpMethod.Post, "/bench/noop", body, 200);
        }

        Func<Task> Cycle(Requester r, OpStats checkout, OpStats release, int w)
        {
            var body = CheckoutBody(w);
            return async () =>
            {
                var answer = await r.SendAsync(checkout, HttpMethod.Post, "/v1/sessions", body, 201);
                if (answer is not null && Setup.ReadId(answer) is { } id)
                    await r.SendAsync(release, HttpMethod.Delete, $"/v1/sessions/{id}", null, 204, sessionToken: Setup.ReadToken(answer));
            };
        }

        Func<Task> Heartbeat(Requester r, OpStats heartbeat) => async () =>
        {
            var next = (int)(Interlocked.Increment(ref heartbeatNext) % heartbeatPaths.Length);
            await r.SendAsync(heartbeat, HttpMethod.Post, heartbeatPaths[next], Setup.HeartbeatBody, 200, sessionToken: heartbeatTokens[next]);
        };

        Func<Task> Check(Requester r, OpStats check) => async () =>
        {
            var body = checkBodies[(int)(Interlocked.Increment(ref checkNext) % checkBodies.Length)];
            await r.SendAsync(check, HttpMethod.Post, "/v1/checks", body, 200);
        };

        async Task<MixResult> ClosedAsync(string name, string[] opNames, Func<Requester, OpStats[], int, Func<Task>> step,
            int? workers = null, TimeSpan? measured = null)
        {
            await Console.Error.WriteLineAsync($"  mix: {name} ...");
            var window = new Window();
            var requester = new Requester(client, window);
            var ops = opNames.Select(n => new OpStats(n)).ToArray();
            return await Load.ClosedAsync(target, name, window, ops, workers ?? connections, w => step(requester, ops, w), warmup,
                measured ?? duration);
        }

        // Warm the server up first (JIT tiers, connection pools, SQLite caches) with every kind of request, round after
        // round until --settle seconds have passed: on two busy cores the runtime's tiered compiler takes tens of
        // seconds to finish optimizing the hot paths, and a mix measured before that pays for it.
        var warming = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            foreach (var (name, step) in new (string, Func<Requester, OpStats[], int, Func<Task>>)[]
            {
                ("warm-up: noop", (r, o, w) => Noop(r, o[0], w)),
                ("warm-up: checkout+release", (r, o, w) => Cycle(r, o[0], o[0], w)),
                ("warm-up: heartbeats", (r, o, _) => Heartbeat(r, o[0])),
                ("warm-up: checks", (r, o, _) => Check(r, o[0])),
            })
            {
                await ClosedAsync(name, ["warm-up"], step, measured: TimeSpan.Zero);
            }
        }
        while (warming.Elapsed < settle);

        // The server's allocation counter, read before and after each mix's window (docs/benchmarks.md): one
        // scrape's own allocation, measured now that the server is settled and idle, is subtracted from each.
        target.Allocations = await AllocationCounter.OpenAsync(target);
        if (target.Allocations is not null)
            await Console.Error.WriteLineAsync($"  allocations per request from /metrics ({AllocationCounter.Series}); one scrape allocates {Format.Bytes(await target.Allocations.CalibrateAsync())}, subtracted from each mix");

        // Open loop at a fixed request rate: checkout+release cycles (checkout, then release) at half of it, then the baseline at it.
        async Task<(MixResult Cycle, MixResult Noop)> OpenLoopsAsync(double requestRate)
        {
            await Console.Error.WriteLineAsync($"  open loop: checkout+release at {requestRate:N0} req/s ...");
            var openWindow = new Window();
            var openRequester = new Requester(client, openWindow);
            var openOps = new[] { new OpStats("checkout"), new OpStats("release") };
            var open = await Load.OpenAsync(target, "checkout+release, open loop", openWindow, openOps, connections, requestRate / 2, w =>
            {
                var body = CheckoutBody(w);
                return async start =>
                {
                    var answer = await openRequester.SendAsync(openOps[0], HttpMethod.Post, "/v1/sessions", body, 201, start);
                    if (answer is not null && Setup.ReadId(answer) is { } id)
                        await openRequester.SendAsync(openOps[1], HttpMethod.Delete, $"/v1/sessions/{id}", null, 204, sessionToken: Setup.ReadToken(answer));
                };
            }, warmup, duration);
            await Console.Error.WriteLineAsync($"  open loop: baseline at {requestRate:N0} req/s ...");
            var noopWindow = new Window();
            var noopRequester = new Requester(client, noopWindow);
            var noopOps = new[] { new OpStats("noop") };
            var openNoop = await Load.OpenAsync(target, "baseline, open loop", noopWindow, noopOps, connections, requestRate, w =>
            {
                var body = CheckoutBody(w);
                return async start => await noopRequester.SendAsync(noopOps[0], HttpMethod.Post, "/bench/noop", body, 200, start);
            }, warmup, duration);
            return (open, openNoop);
        }

        // --profile MIX[,MIX...]: only those mixes, one after the other, each for as long as --duration says, with
        // nothing reported but its rate, CPU and allocations (attach a profiler meanwhile).
        if (options.Find("profile") is { } profiled)
        {
            var index = 0;
            foreach (var mixName in profiled.Split(','))
            {
                var only = mixName switch
                {
                    "noop" => await ClosedAsync("profile: noop", ["noop"], (r, o, w) => Noop(r, o[0], w)),
                    "checkout" or "latency" => await ClosedAsync("profile: checkout+release", ["checkout", "release"], (r, o, w) => Cycle(r, o[0], o[1], w)),
                    "heartbeat" => await ClosedAsync("profile: heartbeats", ["heartbeat"], (r, o, _) => Heartbeat(r, o[0])),
                    "check" => await ClosedAsync("profile: checks", ["check"], (r, o, _) => Check(r, o[0])),
                    _ => throw new ArgumentException("--profile takes noop, checkout, heartbeat, check or latency (or several, comma-separated)."),
                };
                await Console.Error.WriteLineAsync($"  {only.Name}: {only.RequestsPerSecond:N0} req/s, {only.ServerMicrosPerRequest:N0} µs server CPU per request, " +
                    $"{Format.Bytes(only.AllocatedBytesPerRequest)} allocated per request, errors {only.Errors:N0}");
                // For scripts that compare (bench/wrk.sh): profile.INDEX.MIX.* in the results' JSON.
                var prefix = $"profile.{index++}.{mixName}.";
                results.Set(prefix + "rps", only.RequestsPerSecond);
                results.Set(prefix + "cpu_us", only.ServerMicrosPerRequest);
                results.Set(prefix + "gen_us", only.BenchCpuSeconds * 1e6 / only.Requests);
                results.Set(prefix + "other_cores", only.OtherCores);
                results.Set(prefix + "alloc", only.AllocatedBytesPerRequest);
                results.Set(prefix + "errors", only.Errors);
                results.Set(prefix + "p50", only.Ops[0].Latency.PercentileMs(50));
                results.Set(prefix + "p99", only.Ops[0].Latency.PercentileMs(99));
                if (mixName == "latency")
                {
                    // And the open loop at half that rate, as the full run measures it: its latencies only.
                    var (openCycle, openBaseline) = await OpenLoopsAsync(only.RequestsPerSecond / 2);
                    foreach (var mix in new[] { openCycle, openBaseline })
                    {
                        foreach (var op in mix.Ops)
                            await Console.Error.WriteLineAsync($"  {mix.Name}, {op.Name}: p50 | p99 | p99.9 | max ms = {Latencies(op)}");
                    }
                }
            }
            results.Set("profile.mixes", index);
            results.Save();
            return;
        }

        var noopFirst = await ClosedAsync("baseline POST /bench/noop", ["noop"], (r, o, w) => Noop(r, o[0], w));
        var cycle = await ClosedAsync("checkout+release", ["checkout", "release"], (r, o, w) => Cycle(r, o[0], o[1], w));
        var heartbeats = await ClosedAsync("heartbeats", ["heartbeat"], (r, o, _) => Heartbeat(r, o[0]));
        var checks = await ClosedAsync("checks", ["check"], (r, o, _) => Check(r, o[0]));
        var mixed = await ClosedAsync("mixed (50% heartbeats, 25% checks, 25% checkout+release)", ["heartbeat", "check", "checkout", "release"],
            (r, o, w) =>
            {
                var random = new Random(w);
                var heartbeat = Heartbeat(r, o[0]);
                var check = Check(r, o[1]);
                var cycleStep = Cycle(r, o[2], o[3], w);
                // Per step: heartbeat 4/7, check 2/7, checkout+release (two requests) 1/7, so by requests 4:2:1:1.
                return () => random.Next(7) switch
                {
                    < 4 => heartbeat(),
                    < 6 => check(),
                    _ => cycleStep(),
                };
            });
        var noopLast = await ClosedAsync("baseline POST /bench/noop (again)", ["noop"], (r, o, w) => Noop(r, o[0], w));
        // One connection: the time one request takes with no queueing in front of it (what a server that serializes
        // its work can do at most, whatever the concurrency).
        var half = duration / 2;
        var cycleOne = await ClosedAsync("checkout+release, 1 connection", ["checkout", "release"], (r, o, w) => Cycle(r, o[0], o[1], w), 1, half);
        var noopOne = await ClosedAsync("baseline, 1 connection", ["noop"], (r, o, w) => Noop(r, o[0], w), 1, half);
        var baseline = (noopFirst.RequestsPerSecond + noopLast.RequestsPerSecond) / 2;
        var baselineCpu = (noopFirst.ServerMicrosPerRequest + noopLast.ServerMicrosPerRequest) / 2;
        var closed = new[] { noopFirst, cycle, heartbeats, checks, mixed, noopLast, cycleOne, noopOne };

        var (open, openNoop) = await OpenLoopsAsync(cycle.RequestsPerSecond / 2);
        var openRequestRate = cycle.RequestsPerSecond / 2;

        // The report.
        results.Line("| mix | request | req/s | x baseline | p50 ms | p99 ms | p99.9 ms | max ms | errors |");
        results.Line("|---|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var mix in closed)
        {
            var single = mix.Ops.Count == 1;
            results.Line($"| {mix.Name} | {(single ? mix.Ops[0].Name : "all")} | {Format.N0(mix.RequestsPerSecond)} | " +
                $"{Format.Ratio(mix.RequestsPerSecond / baseline)} | {(single ? Latencies(mix.Ops[0]) : "| | |")} | {mix.Errors:N0} |");
            if (!single)
            {
                foreach (var op in mix.Ops)
                    results.Line($"| | {op.Name} | {Format.N0(op.Ok / mix.Duration.TotalSeconds)} | | {Latencies(op)} | {op.Errors:N0} |");
            }
        }
        results.Line();
        results.Line($"Baseline: {Format.N0(noopFirst.RequestsPerSecond)} req/s before the other mixes, {Format.N0(noopLast.RequestsPerSecond)} after; " +
            $"ratios are to their mean, {Format.N0(baseline)} req/s. The last two rows use a single connection " +
            $"({Format.Seconds(half.TotalSeconds)} measured): latency without queueing.");
        results.Line();
        results.Line($"CPU during each mix (this machine has {Environment.ProcessorCount} cores, shared by the server and the load generator):");
        results.Line();
        var baselineAlloc = (noopFirst.AllocatedBytesPerRequest + noopLast.AllocatedBytesPerRequest) / 2;
        results.Line("| mix | server CPU (cores) | load generator CPU (cores) | other processes (cores) | stolen by the hypervisor (cores) | server CPU per request | x baseline | server allocated per request | x baseline |");
        results.Line("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var mix in closed.Append(open).Append(openNoop))
        {
            results.Line($"| {mix.Name} | {Format.F(mix.ServerCores, 2)} | {Format.F(mix.BenchCores, 2)} | {Format.F(mix.OtherCores, 2)} | " +
                $"{Format.F(mix.StealCores, 2)} | {Format.N0(mix.ServerMicrosPerRequest)} µs | {Format.Ratio(mix.ServerMicrosPerRequest / baselineCpu)} | " +
                $"{Format.Bytes(mix.AllocatedBytesPerRequest)} | {Format.Ratio(mix.AllocatedBytesPerRequest / baselineAlloc)} |");
        }
        results.Line();
        results.Line(target.Allocations is null
            ? $"Allocations: not measured (the server's /metrics has no {AllocationCounter.Series}: metrics off, or a build before it was exported)."
            : $"Allocated per request: the server runtime's counter of allocated bytes (`{AllocationCounter.Series}` at /metrics, " +
              $"`GC.GetTotalAllocatedBytes()`) read when each window opens and closes, minus one scrape's own allocation " +
              $"({Format.Bytes(target.Allocations.ScrapeBytes)}, measured on the settled server), over the requests answered meanwhile; " +
              "it counts everything the server allocated, its background work (the reaper, timers) included.");
        results.Line();
        results.Line($"Open loop (fixed rate, latency counted from each request's scheduled time): {Format.N0(openRequestRate)} req/s " +
            $"= half of the checkout+release maximum ({Format.N0(openRequestRate / 2)} checkouts/s, each followed by its release), " +
            $"{connections} connections.");
        results.Line();
        results.Line("| load | request | req/s done | p50 ms | p99 ms | p99.9 ms | max ms | errors | sent > 1 ms late |");
        results.Line("|---|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var mix in new[] { open, openNoop })
        {
            foreach (var op in mix.Ops)
            {
                results.Line($"| {mix.Name} | {op.Name} | {Format.N0(op.Ok / mix.Duration.TotalSeconds)} | {Latencies(op)} | {op.Errors:N0} | " +
                    $"{(op == mix.Ops[0] ? Format.F(mix.LateShare * 100, 2) + " %" : "")} |");
            }
        }
        results.Line();
        var errors = closed.Append(open).Append(openNoop).SelectMany(m => m.Ops.Select(o => (m.Name, Op: o))).Where(x => x.Op.Errors > 0).ToList();
        foreach (var (mixName, op) in errors)
            results.Line($"- Errors in {mixName}, {op.Name}: {op.ErrorSummary()}");
        if (errors.Count > 0)
            results.Line();

        using (var db = target.DataDirectory is null ? null : target.OpenDatabaseReadOnly())
        {
            if (db is not null)
            {
                results.Line($"After the mixes: server RSS {Format.MiB(target.RssBytes())} (peak {Format.MiB(target.PeakRssBytes())}); database " +
                    $"{Format.MiB(target.DatabaseBytes())} with {Target.Scalar(db, "SELECT count(*) FROM sessions"):N0} sessions " +
                    $"({Target.Scalar(db, "SELECT count(*) FROM sessions WHERE ended_at IS NULL"):N0} live) and " +
                    $"{Target.Scalar(db, "SELECT count(*) FROM usage_events"):N0} usage events.");
                results.Line();
            }
        }

        results.Set("connections", connections);
        results.Set("duration", duration.TotalSeconds);
        results.Set("noop.rps", baseline);
        results.Set("noop.first.rps", noopFirst.RequestsPerSecond);
        results.Set("noop.last.rps", noopLast.RequestsPerSecond);
        results.Set("cycle.one.rps", cycleOne.RequestsPerSecond);
        results.Set("noop.one.rps", noopOne.RequestsPerSecond);
        foreach (var (name, mix) in new[] { ("cycle", cycle), ("heartbeat", heartbeats), ("check", checks), ("mixed", mixed) })
        {
            results.Set(name + ".rps", mix.RequestsPerSecond);
            results.Set(name + ".ratio", mix.RequestsPerSecond / baseline);
            results.Set(name + ".errors", mix.Errors);
            results.Set(name + ".cpu_ratio", mix.ServerMicrosPerRequest / baselineCpu);
            results.Set(name + ".alloc", mix.AllocatedBytesPerRequest);
        }
        results.Set("noop.alloc", baselineAlloc);
        results.Set("open.rate", openRequestRate);
        results.Set("open.checkout.p50", open.Ops[0].Latency.PercentileMs(50));
        results.Set("open.checkout.p99", open.Ops[0].Latency.PercentileMs(99));
        results.Set("open.checkout.p999", open.Ops[0].Latency.PercentileMs(99.9));
        results.Set("open.errors", open.Errors);
        results.Set("open.noop.p99", openNoop.Ops[0].Latency.PercentileMs(99));
        results.Set("throughput.other_cores", closed.Append(open).Append(openNoop).Max(m => m.OtherCores));
        results.Set("throughput.errors", closed.Sum(m => m.Errors) + open.Errors + openNoop.Errors);
        results.Save();
    }

    private static string Latencies(OpStats op) =>
        $"{Format.Ms(op.Latency.PercentileMs(50))} | {Format.Ms(op.Latency.PercentileMs(99))} | " +
        $"{Format.Ms(op.Latency.PercentileMs(99.9))} | {Format.Ms(op.Latency.MaxMs)}";
}
