using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Leasehold.Bench;

/// <summary>
/// Checkout and heartbeat throughput through one or more server nodes that share one store
/// (bench/nodes.sh starts them). Each of <c>--connections</c> workers talks to node
/// <c>worker % nodes</c> in a closed loop; figures count the measured window after a warm-up.
/// Writes one markdown table row per mix to <c>--out</c>.
/// </summary>
internal static class NodesBench
{
    private const int Licenses = 20;

    public static async Task RunAsync(Options options)
    {
        var urls = options.Get("urls").Split(',').Select(u => new Uri(u)).ToList();
        var adminKey = options.Get("admin-key");
        var label = options.Get("label");
        var workers = options.Int("connections", 32);
        var duration = options.Seconds("duration", 10);
        var warmup = options.Seconds("warmup", 2);
        var heartbeatSessions = options.Int("heartbeat-sessions", 2000);

        using var op = Client(urls[0], adminKey, 4);
        var tenantId = await IdOfAsync(op, HttpMethod.Post, "/v1/tenants", new { name = "bench-nodes", timeZone = "UTC" });
        var key = (await SendAsync(op, HttpMethod.Post, "/v1/api-keys", new { tenantId, role = "client" }, HttpStatusCode.Created)).GetProperty("key").GetString()!;
        var licenses = new List<string>();
        for (var i = 0; i < Licenses; i++)
            licenses.Add(await IdOfAsync(op, HttpMethod.Post, "/v1/licenses", new { tenantId, product = $"p{i}", seats = 100_000 }));
        var clients = urls.Select(u => Client(u, key, workers)).ToList();

        // Checkout+release: each worker its own user on one of the licenses (never full); both requests count.
        var checkouts = await ClosedLoopAsync(workers, warmup, duration, async (w, n, latency) =>
        {
            var client = clients[w % clients.Count];
            var started = Stopwatch.GetTimestamp();
            var session = await SendAsync(client, HttpMethod.Post, "/v1/sessions",
                new { licenseId = licenses[w % Licenses], user = $"u{w}-{n}", device = $"d{w}", client = "desktop" }, HttpStatusCode.Created);
            latency(started);
            started = Stopwatch.GetTimestamp();
            await SendAsync(client, HttpMethod.Delete, $"/v1/sessions/{session.GetProperty("id").GetString()}", null, HttpStatusCode.NoContent,
                session.GetProperty("sessionToken").GetString());
            latency(started);
        });

        // Heartbeats: round-robin over live sessions made beforehand (spread over the licenses).
        var sessionIds = new string[heartbeatSessions];
        var sessionTokens = new string[heartbeatSessions];
        await Parallel.ForAsync(0, heartbeatSessions, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (i, _) =>
        {
            var session = await SendAsync(clients[i % clients.Count], HttpMethod.Post, "/v1/sessions",
                new { licenseId = licenses[i % Licenses], user = $"h{i}", device = $"hd{i}", client = "desktop" }, HttpStatusCode.Created);
            (sessionIds[i], sessionTokens[i]) = (session.GetProperty("id").GetString()!, session.GetProperty("sessionToken").GetString()!);
        });
        var heartbeats = await ClosedLoopAsync(workers, warmup, duration, async (w, n, latency) =>
        {
            var started = Stopwatch.GetTimestamp();
            var i = (w + (n * workers)) % heartbeatSessions;
            await SendAsync(clients[w % clients.Count], HttpMethod.Post, $"/v1/sessions/{sessionIds[i]}/heartbeat",
                new { active = true }, HttpStatusCode.OK, sessionTokens[i]);
            latency(started);
        });

        var rows = new StringBuilder();
        rows.AppendLine(Row(label, urls.Count, "checkout+release", checkouts));
        rows.AppendLine(Row(label, urls.Count, "heartbeats", heartbeats));
        await File.AppendAllTextAsync(options.Get("out"), rows.ToString());
        Console.Write(rows);
        foreach (var client in clients)
            client.Dispose();
    }

    internal sealed record LoopResult(long Requests, double Seconds, Histogram Latency, long Errors);

    /// <summary>Runs <paramref name="step"/> on every worker until warm-up plus duration; counts requests (latency calls) inside the window.</summary>
    internal static async Task<LoopResult> ClosedLoopAsync(int workers, TimeSpan warmup, TimeSpan duration,
        Func<int, int, Action<long>, Task> step)
    {
        var histogram = new Histogram();
        long errors = 0;
        var begin = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = begin + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        void Latency(long started)
        {
            var now = Stopwatch.GetTimestamp();
            if (started >= begin && now <= end)
                histogram.Record((long)((now - started) * 1e6 / Stopwatch.Frequency));
        }
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; Stopwatch.GetTimestamp() < end; n++)
            {
                try
                {
                    await step(w, n, Latency);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })));
        return new LoopResult(histogram.Count, duration.TotalSeconds, histogram, errors);
    }

    private static string Row(string label, int nodes, string mix, LoopResult r) => string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {nodes} | {mix} | {r.Requests / r.Seconds:F0} | {r.Latency.PercentileMs(50):F1} | {r.Latency.PercentileMs(99):F1} | {r.Errors} |");

    internal static HttpClient Client(Uri url, string key, int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false, UseCookies = false })
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    internal static async Task<string> IdOfAsync(HttpClient client, HttpMethod method, string path, object body) =>
        (await SendAsync(client, method, path, body, HttpStatusCode.Created)).GetProperty("id").GetString()!;

    internal static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected,
        string? sessionToken = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (sessionToken is not null)
            request.Headers.TryAddWithoutValidation(Setup.SessionTokenHeader, sessionToken);
        if (body is not null)
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        return bytes.Length == 0 ? default : JsonDocument.Parse(bytes).RootElement.Clone();
    }
}
