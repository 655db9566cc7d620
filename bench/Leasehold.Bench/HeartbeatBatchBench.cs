using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Leasehold.Bench;

/// <summary>
/// Batched heartbeats (issue 18; docs/benchmarks.md, "Batched heartbeats"): sessions kept alive per second on one server
/// (bench/heartbeats.sh starts it) with <c>POST /v1/sessions/heartbeats</c> batches of 1, 10 and 100 sessions, beside
/// single heartbeats (<c>POST /v1/sessions/{id}/heartbeat</c>). <c>--sessions</c> live sessions on one license, each worker of
/// a closed loop on <c>--connections</c> connections heart-beating its own share of them round and round. A session counts as
/// kept alive when its item (or its single heartbeat) is answered active. Appends one markdown row per mix to <c>--out</c>.
/// </summary>
internal static class HeartbeatBatchBench
{
    public static async Task RunAsync(Options options)
    {
        var url = new Uri(options.Get("url"));
        var adminKey = options.Get("admin-key");
        var workers = options.Int("connections", 16);
        var sessions = options.Int("sessions", 2000);
        var duration = options.Seconds("duration", 5);
        var warmup = options.Seconds("warmup", 1);

        using var op = NodesBench.Client(url, adminKey, 4);
        var tenantId = await NodesBench.IdOfAsync(op, HttpMethod.Post, "/v1/tenants", new { name = "bench-heartbeats", timeZone = "UTC" });
        var key = (await NodesBench.SendAsync(op, HttpMethod.Post, "/v1/api-keys", new { tenantId, role = "client" }, HttpStatusCode.Created))
            .GetProperty("key").GetString()!;
        var licenseId = await NodesBench.IdOfAsync(op, HttpMethod.Post, "/v1/licenses", new
        {
            tenantId, product = "bench-heartbeats", seats = sessions,
            policy = new { clientTypes = new Dictionary<string, object> { ["desktop"] = new { ttlSeconds = 7_200, idleTimeoutSeconds = 0 } } },
        });
        using var client = NodesBench.Client(url, key, workers);
        var held = new (string Id, string Token)[sessions];
        for (var i = 0; i < sessions; i++)
        {
            var answer = await NodesBench.SendAsync(client, HttpMethod.Post, "/v1/sessions",
                new { licenseId, user = $"user-{i:D5}", device = $"device-{i:D5}", client = "desktop" }, HttpStatusCode.Created);
            held[i] = (answer.GetProperty("id").GetString()!, answer.GetProperty("sessionToken").GetString()!);
        }

        var rows = new List<string>();
        var mixes = new[] { 0, 1, 10, 100 }; // 0: single heartbeats
        foreach (var batch in mixes)
            await MeasureAsync(client, held, workers, batch, warmup); // every mix warmed up (JIT, pools) before any is measured
        foreach (var batch in mixes)
        {
            var (alive, requests, errors, seconds) = await MeasureAsync(client, held, workers, batch, duration);
            var name = batch == 0 ? "single `POST /v1/sessions/{id}/heartbeat`" : $"batches of {batch}";
            rows.Add($"| {name} | {alive / seconds:N0} | {requests / seconds:N0} | {errors} |");
            await Console.Error.WriteLineAsync($"  {name}: {alive / seconds:N0} sessions kept alive/s, {requests / seconds:N0} requests/s, {errors} errors");
        }
        await File.AppendAllLinesAsync(options.Get("out"), rows);
    }

    private static async Task<(long Alive, long Requests, long Errors, double Seconds)> MeasureAsync(
        HttpClient client, (string Id, string Token)[] held, int workers, int batch, TimeSpan duration)
    {
        long alive = 0, requests = 0, errors = 0;
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var share = held.Length / workers;
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = held.AsSpan(w * share, share).ToArray();
            var next = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                if (batch == 0)
                {
                    var (id, token) = mine[next++ % mine.Length];
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/v1/sessions/{id}/heartbeat", UriKind.Relative))
                    {
                        Content = new ByteArrayContent("""{"active":true}"""u8.ToArray()) { Headers = { { "Content-Type", "application/json" } } },
                    };
                    request.Headers.Add("Leasehold-Session-Token", token);
                    using var response = await client.SendAsync(request);
                    Interlocked.Increment(ref requests);
                    if (response.StatusCode == HttpStatusCode.OK)
                        Interlocked.Increment(ref alive);
                    else
                        Interlocked.Increment(ref errors);
                    continue;
                }
                var items = Enumerable.Range(0, batch).Select(_ => mine[next++ % mine.Length])
                    .Select(s => new { id = s.Id, active = true, sessionToken = s.Token }).ToArray();
                var body = JsonSerializer.SerializeToUtf8Bytes(new { sessions = items });
                using var batchRequest = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/sessions/heartbeats", UriKind.Relative))
                {
                    Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } },
                };
                using var answer = await client.SendAsync(batchRequest);
                Interlocked.Increment(ref requests);
                if (answer.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }
                using var document = JsonDocument.Parse(await answer.Content.ReadAsByteArrayAsync());
                var ok = document.RootElement.GetProperty("items").EnumerateArray()
                    .Count(i => i.GetProperty("status").ValueKind == JsonValueKind.String);
                Interlocked.Add(ref alive, ok);
                Interlocked.Add(ref errors, batch - ok);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        return (alive, requests, errors, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
