using System.Net.Http.Json;

namespace Leasehold.Bench;

/// <summary>
/// What writing usage events costs checkouts (issue 5: at most a quarter of the throughput).
/// One server in benchmark mode, one license: checkout+release in a closed loop in alternating
/// rounds with recording on and off (<c>POST /bench/usage-events</c>, honoured only in benchmark
/// mode), on, off, on, off, so drift and noise of the machine fall on both sides alike. The figure
/// is the ratio of the two means: throughput with events / throughput without.
/// </summary>
internal static class UsageEventsBench
{
    private const int Week = 604_800;
    private const int Rounds = 4;

    public static async Task RunAsync(Options options)
    {
        var target = new Target(options);
        var results = new Results(options.Get("out"), "4-usage-events");
        var connections = options.Int("connections", 64);
        var warmup = options.Seconds("warmup", 3);
        var duration = options.Seconds("duration", 12);
        await target.WaitReadyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

        using var admin = target.Client(target.AdminKey, 16);
        var tenant = await Setup.CreateTenantAsync(admin, "bench-usage");
        var key = await Setup.CreateClientKeyAsync(admin, tenant);
        using var client = target.Client(key, connections);
        var license = await Setup.CreateLicenseAsync(admin, tenant, "usage", 2 * connections, Setup.LongClient, Week, 0);

        async Task<MixResult> RoundAsync(bool events, TimeSpan measured)
        {
            using var set = await admin.PostAsJsonAsync(new Uri("/bench/usage-events", UriKind.Relative), new { enabled = events });
            set.EnsureSuccessStatusCode();
            await Console.Error.WriteLineAsync($"  mix: checkout+release, usage events {(events ? "on" : "off")} ...");
            var window = new Window();
            var requester = new Requester(client, window);
            var ops = new[] { new OpStats("checkout"), new OpStats("release") };
            return await Load.ClosedAsync(target, $"checkout+release, events {(events ? "on" : "off")}", window, ops, connections, w =>
            {
                var body = Setup.CheckoutBody(license, $"worker-{w:D4}", $"device-{w:D4}", Setup.LongClient);
                return async () =>
                {
                    var answer = await requester.SendAsync(ops[0], HttpMethod.Post, "/v1/sessions", body, 201);
                    if (answer is not null && Setup.ReadId(answer) is { } id)
                        await requester.SendAsync(ops[1], HttpMethod.Delete, $"/v1/sessions/{id}", null, 204, sessionToken: Setup.ReadToken(answer));
                };
            }, warmup, measured);
        }

        await RoundAsync(true, TimeSpan.Zero); // warm-up: JIT, pools, caches
        var rounds = new List<(bool Events, MixResult Mix)>();
        for (var round = 0; round < Rounds; round++)
            rounds.Add((round % 2 == 0, await RoundAsync(round % 2 == 0, duration)));
        var on = rounds.Where(r => r.Events).Select(r => r.Mix).ToList();
        var off = rounds.Where(r => !r.Events).Select(r => r.Mix).ToList();
        using (var restore = await admin.PostAsJsonAsync(new Uri("/bench/usage-events", UriKind.Relative), new { enabled = true }))
            restore.EnsureSuccessStatusCode();

        var onRps = on.Average(r => r.RequestsPerSecond);
        var offRps = off.Average(r => r.RequestsPerSecond);
        var ratio = onRps / offRps;
        var errors = on.Concat(off).Sum(r => r.Errors);
        results.Set("usage.on.rps", onRps);
        results.Set("usage.off.rps", offRps);
        results.Set("usage.ratio", ratio);
        results.Set("usage.errors", errors);
        results.Line($"Checkout+release, closed loop on {connections} connections, {Rounds} rounds of {duration.TotalSeconds:0.#} s alternating usage events on and off.");
        results.Line();
        results.Line("| round | usage events | requests/s | errors |");
        results.Line("|---|---|---|---|");
        for (var i = 0; i < rounds.Count; i++)
            results.Line($"| {i + 1} | {(rounds[i].Events ? "on" : "off")} | {Format.N0(rounds[i].Mix.RequestsPerSecond)} | {rounds[i].Mix.Errors} |");
        results.Line();
        results.Line($"With events {Format.N0(onRps)} req/s, without {Format.N0(offRps)} req/s: ratio {Format.Ratio(ratio)} " +
            $"(target >= 0.75x: {(ratio >= 0.75 ? "met" : "**missed**")}).");
        results.Save();
    }
}
