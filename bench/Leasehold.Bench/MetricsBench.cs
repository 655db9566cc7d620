using System.Globalization;

namespace Leasehold.Bench;

/// <summary>
/// What collecting metrics costs checkouts (issue 16). Two servers side by side, one with
/// <c>LEASEHOLD_METRICS=off</c> (no listener on the meter: each instrument call is one check) and
/// one as shipped (OpenTelemetry listening, ASP.NET Core's request metrics included), scraped at
/// <c>/metrics</c> with the operator key every <c>--scrape-every</c> seconds (Prometheus's default is
/// 60 s, 15 s is common; 1 s, the default here, makes the cost of the scrape itself show). Checkout+release
/// in a closed loop, in alternating rounds on, off, on, off, so drift and noise of the machine fall
/// on both sides alike. The figure is the ratio of the two means: with metrics / without.
/// </summary>
internal static class MetricsBench
{
    private const int Week = 604_800;

    public static async Task RunAsync(Options options)
    {
        var on = new Target(options);
        var off = new Target(Options.Parse(
        [
            "--url", options.Get("url-off"), "--admin-key", on.AdminKey,
            "--server-pid", options.Get("server-pid-off"), "--clk-tck", on.ClockTicksPerSecond.ToString(CultureInfo.InvariantCulture),
        ]));
        var results = new Results(options.Get("out"), "5-metrics");
        var connections = options.Int("connections", 64);
        var warmup = options.Seconds("warmup", 3);
        var duration = options.Seconds("duration", 12);
        var rounds = options.Int("rounds", 4);
        var scrapeEvery = options.Seconds("scrape-every", 1);
        var settle = options.Seconds("settle", 20);

        var servers = new[] { (Metrics: true, Target: on), (Metrics: false, Target: off) };
        var runs = new List<(bool Metrics, Func<TimeSpan, TimeSpan, Task<MixResult>> Round, HttpClient Admin)>();
        foreach (var (metrics, target) in servers)
        {
            await target.WaitReadyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
            var admin = target.Client(target.AdminKey, 4);
            var tenant = await Setup.CreateTenantAsync(admin, "bench-metrics");
            var key = await Setup.CreateClientKeyAsync(admin, tenant);
            var client = target.Client(key, connections);
            var license = await Setup.CreateLicenseAsync(admin, tenant, "metrics", 2 * connections, Setup.LongClient, Week, 0);
            runs.Add((metrics, (warm, measured) =>
            {
                var window = new Window();
                var requester = new Requester(client, window);
                var ops = new[] { new OpStats("checkout"), new OpStats("release") };
                return Load.ClosedAsync(target, $"checkout+release, metrics {(metrics ? "on" : "off")}", window, ops, connections, w =>
                {
                    var body = Setup.CheckoutBody(license, $"worker-{w:D4}", $"device-{w:D4}", Setup.LongClient);
                    return async () =>
                    {
                        var answer = await requester.SendAsync(ops[0], HttpMethod.Post, "/v1/sessions", body, 201);
                        if (answer is not null && Setup.ReadId(answer) is { } id)
                            await requester.SendAsync(ops[1], HttpMethod.Delete, $"/v1/sessions/{id}", null, 204, sessionToken: Setup.ReadToken(answer));
                    };
                }, warm, measured);
            }, admin));
        }

        async Task<(MixResult Mix, int Scrapes, long Bytes)> RoundAsync(bool metrics, TimeSpan warm, TimeSpan measured)
        {
            var run = runs.Single(r => r.Metrics == metrics);
            await Console.Error.WriteLineAsync($"  mix: checkout+release, metrics {(metrics ? $"on, scraped every {scrapeEvery.TotalSeconds:0.#} s" : "off")} ...");
            using var stop = new CancellationTokenSource();
            var scraper = metrics ? ScrapeAsync(run.Admin, scrapeEvery, stop.Token) : Task.FromResult((0, 0L));
            var mix = await run.Round(warm, measured);
            await stop.CancelAsync();
            var (scrapes, bytes) = await scraper;
            return (mix, scrapes, bytes);
        }

        // Both servers settle first: the runtime compiles hot code again, optimized, for tens of seconds on two busy cores.
        await RoundAsync(true, settle, TimeSpan.Zero);
        await RoundAsync(false, settle, TimeSpan.Zero);
        var done = new List<(bool Metrics, MixResult Mix, int Scrapes, long Bytes)>();
        for (var round = 0; round < rounds; round++)
        {
            var metrics = round % 2 == 0;
            var (mix, scrapes, bytes) = await RoundAsync(metrics, warmup, duration);
            done.Add((metrics, mix, scrapes, bytes));
        }

        var onRps = done.Where(r => r.Metrics).Average(r => r.Mix.RequestsPerSecond);
        var offRps = done.Where(r => !r.Metrics).Average(r => r.Mix.RequestsPerSecond);
        var ratio = onRps / offRps;
        results.Set("metrics.on.rps", onRps);
        results.Set("metrics.off.rps", offRps);
        results.Set("metrics.ratio", ratio);
        results.Set("metrics.errors", done.Sum(r => r.Mix.Errors));
        results.Line($"Checkout+release, closed loop on {connections} connections, {rounds} rounds of {duration.TotalSeconds:0.#} s alternating a server with metrics "
            + $"(scraped every {scrapeEvery.TotalSeconds:0.#} s) and one with LEASEHOLD_METRICS=off.");
        results.Line();
        results.Line("| round | metrics | requests/s | errors | scrapes | scrape size |");
        results.Line("|---|---|---|---|---|---|");
        for (var i = 0; i < done.Count; i++)
        {
            var r = done[i];
            results.Line($"| {i + 1} | {(r.Metrics ? "on" : "off")} | {Format.N0(r.Mix.RequestsPerSecond)} | {r.Mix.Errors} | {r.Scrapes} | "
                + $"{(r.Scrapes == 0 ? "-" : Format.N0(r.Bytes / (double)r.Scrapes / 1024) + " KiB")} |");
        }
        results.Line();
        results.Line($"With metrics {Format.N0(onRps)} req/s, without {Format.N0(offRps)} req/s: ratio {Format.Ratio(ratio)}.");
        results.Save();
        foreach (var run in runs)
            run.Admin.Dispose();
    }

    /// <summary>Prometheus's part: GET /metrics with the operator key every <paramref name="every"/>, until stopped.</summary>
    private static async Task<(int Scrapes, long Bytes)> ScrapeAsync(HttpClient admin, TimeSpan every, CancellationToken stop)
    {
        var (scrapes, bytes) = (0, 0L);
        using var timer = new PeriodicTimer(every);
        try
        {
            do
            {
                var text = await admin.GetByteArrayAsync(new Uri("/metrics", UriKind.Relative), stop);
                scrapes++;
                bytes += text.Length;
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
        }
        return (scrapes, bytes);
    }
}
