using System.Globalization;

namespace Leasehold.Bench;

/// <summary>
/// Server memory (VmRSS) with many live sessions: checkouts as fast as the workers get them
/// answered, 100 sessions per license, in stages (100,000 then 1,000,000 by default), reading the
/// server's resident memory after each stage has settled.
/// </summary>
internal static class MemoryBench
{
    private const int SessionsPerLicense = 100;
    private const int Week = 604_800;

    public static async Task RunAsync(Options options)
    {
        var target = new Target(options);
        var results = new Results(options.Get("out"), "2-memory");
        var connections = options.Int("connections", 64);
        var stages = (options.Find("stages") ?? "100000,1000000").Split(',')
            .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).Order().ToArray();
        var settle = options.Seconds("settle", 5);
        await target.WaitReadyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        var rssIdle = target.RssBytes();

        using var admin = target.Client(target.AdminKey, 16);
        var tenant = await Setup.CreateTenantAsync(admin, "bench-memory");
        var key = await Setup.CreateClientKeyAsync(admin, tenant);
        using var client = target.Client(key, connections);
        var licenseStarted = DateTime.UtcNow;
        var licenses = await Setup.CreateLicensesAsync(admin, tenant, (int)((stages[^1] + SessionsPerLicense - 1) / SessionsPerLicense),
            SessionsPerLicense, Setup.LongClient, Week, 0, 16);
        var licenseTook = DateTime.UtcNow - licenseStarted;

        results.Line($"Live sessions made by HTTP checkouts from {connections} concurrent workers as fast as they are answered, " +
            $"{SessionsPerLicense} per license (licenses of {SessionsPerLicense} seats), client type with ttlSeconds {Week} and " +
            "idleTimeoutSeconds 0; RSS is VmRSS of the server process, read " +
            $"{settle.TotalSeconds:0} s after the last checkout of a stage.");
        results.Line();
        results.Line($"- Server RSS when idle, before anything was created: {Format.MiB(rssIdle)}.");
        results.Line($"- {licenses.Length:N0} licenses created in {Format.Seconds(licenseTook.TotalSeconds)}; RSS then {Format.MiB(target.RssBytes())}.");
        results.Line();
        results.Line("| live sessions | created in | checkouts/s (stage) | checkout p50 / p99 / max ms | errors | server CPU per checkout | RSS | peak RSS | database |");
        results.Line("|--:|--:|--:|--:|--:|--:|--:|--:|--:|");

        var requester = new Requester(client, Window.Always);
        long made = 0;
        var totalSeconds = 0.0;
        foreach (var (index, stage) in stages.Index())
        {
            var op = new OpStats("checkout");
            var cpuBefore = target.CpuSeconds();
            var took = await Setup.CreateSessionsAsync(requester, op, licenses, SessionsPerLicense, made, stage, connections, Setup.LongClient,
                progressLabel: $"memory stage {Format.Count(stage)}");
            var cpu = target.CpuSeconds() - cpuBefore;
            totalSeconds += took.TotalSeconds;
            var created = stage - made;
            made = stage;
            await Task.Delay(settle);
            var rss = target.RssBytes();
            var peak = target.PeakRssBytes();
            var live = target.DataDirectory is null ? -1 : target.LiveSessions();
            var label = $"s{index}";
            results.Line($"| {stage:N0} ({live:N0} live in the database) | {Format.Seconds(totalSeconds)} | {Format.N0(created / took.TotalSeconds)} | " +
                $"{Format.Ms(op.Latency.PercentileMs(50))} / {Format.Ms(op.Latency.PercentileMs(99))} / {Format.Ms(op.Latency.MaxMs)} | " +
                $"{op.Errors:N0} | {Format.N0(cpu * 1e6 / created)} µs | {Format.MiB(rss)} | {Format.MiB(peak)} | {Format.MiB(target.DatabaseBytes())} |");
            if (op.Errors > 0)
                results.Line($"|  | errors: {op.ErrorSummary()} | | | | | | | |");
            results.Set($"mem.{label}.sessions", stage);
            results.Set($"mem.{label}.live", live);
            results.Set($"mem.{label}.rss", rss);
            results.Set($"mem.{label}.peak", peak);
            results.Set($"mem.{label}.seconds", totalSeconds);
            results.Set($"mem.{label}.rate", created / took.TotalSeconds);
            results.Set($"mem.{label}.errors", op.Errors);
        }
        results.Line();
        results.Set("mem.stages", stages.Length);
        results.Set("mem.idle_rss", rssIdle);
        results.Save();
    }
}
