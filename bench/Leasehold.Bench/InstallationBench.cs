using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Leasehold.Core.Installations;

namespace Leasehold.Bench;

/// <summary>
/// Installation mode (docs/installations.md): what a server enforcing a signed license file serves,
/// against its own baseline. <see cref="IssueAsync"/> runs against a normal server (the issuer): a
/// license, an installation holding all its seats, its file and the issuer's keys, written for
/// run.sh to start the installation on. <see cref="RunAsync"/> runs against that installation-mode
/// server: baseline, checkout+release, heartbeats, baseline again (closed loop, as part 1), and the
/// cost of verifying the file in this process (signature, then the offline rules), as an
/// installation does at start and at every update.
/// </summary>
internal static class InstallationBench
{
    private const int Week = 604_800;

    public static async Task IssueAsync(Options options)
    {
        var target = new Target(options);
        var connections = options.Int("connections", 64);
        var heartbeatSessions = options.Int("heartbeat-sessions", 1_000);
        await target.WaitReadyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        using var admin = target.Client(target.AdminKey, 4);
        var tenant = await Setup.CreateTenantAsync(admin, "bench-installation");
        var seats = 2 * connections + heartbeatSessions;
        var license = await Setup.CreateLicenseAsync(admin, tenant, "installation", seats, Setup.LongClient, Week, 0);
        var installation = await PostJsonAsync(admin, "/v1/installations", new { licenseId = license, name = "bench", fingerprint = "bench", seats });
        var file = await PostJsonAsync(admin, $"/v1/installations/{installation.GetProperty("id").GetString()}/license-file", null);
        await File.WriteAllTextAsync(options.Get("file"), file.GetProperty("licenseFile").GetString());
        await File.WriteAllTextAsync(options.Get("keys"), await admin.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative)));
    }

    public static async Task RunAsync(Options options)
    {
        var target = new Target(options);
        var results = new Results(options.Get("out"), "5-installation");
        var connections = options.Int("connections", 64);
        var warmup = options.Seconds("warmup", 3);
        var duration = options.Seconds("duration", 12);
        var heartbeatSessions = options.Int("heartbeat-sessions", 1_000);
        await target.WaitReadyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

        using var admin = target.Client(target.AdminKey, 4);
        var status = await admin.GetFromJsonAsync<JsonElement>(new Uri("/v1/installation", UriKind.Relative));
        var license = status.GetProperty("licenseId").GetString()!;
        var key = await Setup.CreateClientKeyAsync(admin, status.GetProperty("tenantId").GetString()!);
        using var client = target.Client(key, connections);

        var heartbeatPaths = Array.Empty<string>();
        var heartbeatTokens = Array.Empty<string>();
        long heartbeatNext = -1;

        async Task<MixResult> MixAsync(string name, Func<Requester, OpStats[], int, Func<Task>> step, string[] opNames, TimeSpan measured)
        {
            await Console.Error.WriteLineAsync($"  mix: {name} (installation mode) ...");
            var window = new Window();
            var requester = new Requester(client, window);
            var ops = opNames.Select(n => new OpStats(n)).ToArray();
            return await Load.ClosedAsync(target, name, window, ops, connections, w => step(requester, ops, w), warmup, measured);
        }

        Func<Task> Noop(Requester r, OpStats[] o, int w)
        {
            var body = Setup.CheckoutBody(license, $"worker-{w:D4}", $"device-{w:D4}", Setup.LongClient);
            return async () => await r.SendAsync(o[0], HttpMethod.Post, "/bench/noop", body, 200);
        }

        Func<Task> Cycle(Requester r, OpStats[] o, int w)
        {
            var body = Setup.CheckoutBody(license, $"worker-{w:D4}", $"device-{w:D4}", Setup.LongClient);
            return async () =>
            {
                var answer = await r.SendAsync(o[0], HttpMethod.Post, "/v1/sessions", body, 201);
                if (answer is not null && Setup.ReadId(answer) is { } id)
                    await r.SendAsync(o[1], HttpMethod.Delete, $"/v1/sessions/{id}", null, 204, sessionToken: Setup.ReadToken(answer));
            };
        }

        Func<Task> Heartbeat(Requester r, OpStats[] o, int _) => async () =>
        {
            var next = (int)(Interlocked.Increment(ref heartbeatNext) % heartbeatPaths.Length);
            await r.SendAsync(o[0], HttpMethod.Post, heartbeatPaths[next], Setup.HeartbeatBody, 200, sessionToken: heartbeatTokens[next]);
        };

        // The file grants one license: checkout+release is measured on it before the live sessions of the heartbeats hold seats on it too.
        await MixAsync("warm-up: noop", Noop, ["noop"], TimeSpan.Zero);
        await MixAsync("warm-up: checkout+release", Cycle, ["checkout", "release"], TimeSpan.Zero);
        var before = await MixAsync("baseline", Noop, ["noop"], duration);
        var cycle = await MixAsync("checkout+release", Cycle, ["checkout", "release"], duration);

        var setupOp = new OpStats("checkout (setup)");
        var ids = new string[heartbeatSessions];
        var tokens = new string[heartbeatSessions];
        await Setup.CreateSessionsAsync(new Requester(client, Window.Always), setupOp, [license], heartbeatSessions, 0, heartbeatSessions,
            connections, Setup.LongClient, ids, tokens: tokens);
        if (setupOp.Errors > 0)
            throw new InvalidOperationException($"Creating the live sessions failed: {setupOp.ErrorSummary()}");
        heartbeatPaths = ids.Select(id => $"/v1/sessions/{id}/heartbeat").ToArray();
        heartbeatTokens = tokens;
        await MixAsync("warm-up: heartbeats", Heartbeat, ["heartbeat"], TimeSpan.Zero);
        var heartbeat = await MixAsync("heartbeats", Heartbeat, ["heartbeat"], duration);
        var after = await MixAsync("baseline (again)", Noop, ["noop"], duration);
        var baseline = (before.RequestsPerSecond + after.RequestsPerSecond) / 2;

        var verify = Verify(await File.ReadAllTextAsync(options.Get("file")), await File.ReadAllTextAsync(options.Get("keys")));

        results.Set("installation.noop.rps", baseline);
        results.Set("installation.cycle.ratio", cycle.RequestsPerSecond / baseline);
        results.Set("installation.heartbeat.ratio", heartbeat.RequestsPerSecond / baseline);
        results.Set("installation.verify.us", verify);
        results.Set("installation.errors", before.Errors + cycle.Errors + heartbeat.Errors + after.Errors);
        results.Line($"One installation-mode server on a license file of {2 * connections + heartbeatSessions:N0} seats: checkout+release with no other " +
            $"sessions on it, then heartbeats of {heartbeatSessions:N0} live sessions on it; closed loop on {connections} connections, " +
            $"{duration.TotalSeconds:0.#} s per mix after a warm-up round of each; the baseline is the mean of the runs before and after.");
        results.Line();
        results.Line("| mix | requests/s | of the baseline | p99 | errors |");
        results.Line("|---|---|---|---|---|");
        foreach (var mix in new[] { before, cycle, heartbeat, after })
            results.Line($"| {mix.Name} | {Format.N0(mix.RequestsPerSecond)} | {Format.Ratio(mix.RequestsPerSecond / baseline)} | " +
                $"{Format.Ms(mix.Ops[0].Latency.PercentileMs(99))} ms | {mix.Errors} |");
        results.Line();
        results.Line($"Verifying the license file (ES256 signature, then the offline rules: serial, clock, dates, policy) in the load generator's process: " +
            $"{Format.F(verify, 1)} µs per file.");
        results.Save();
    }

    /// <summary>Microseconds to read, verify and judge one license file, as the installation does (the mean of many, after a warm-up).</summary>
    private static double Verify(string file, string keySet)
    {
        var keys = SigningJwk.ReadSet(keySet);
        bool Once() => LicenseFiles.Read(file, keys) is LicenseFileReading.Signed signed
            && LicenseFileCheck.Judge(signed.File, null, InstallationMemory.None, signed.File.IssuedAt.AddMinutes(1)).Accepted is not null;
        for (var i = 0; i < 200; i++)
        {
            if (!Once())
                throw new InvalidOperationException("The benchmark's license file does not verify.");
        }
        const int Runs = 2_000;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Runs; i++)
            Once();
        return watch.Elapsed.TotalMicroseconds / Runs;
    }

    private static async Task<JsonElement> PostJsonAsync(HttpClient admin, string path, object? body)
    {
        using var answer = await admin.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await answer.Content.ReadAsStringAsync();
        if (!answer.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {path} answered {(int)answer.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
