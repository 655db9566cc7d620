using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Leasehold.Bench;

/// <summary>
/// The waiting line (issue 17; docs/benchmarks.md, "Waiting line"), against one or more nodes that share one store
/// (bench/waits.sh starts them):
/// <list type="number">
/// <item><b>Hand-off</b>: the time from a holder's sign-off being sent to the head of the line holding the seat, that is its
/// take (<c>POST /v1/waits/{id}/session</c>) answered 201, the head following its entry's events stream and taking the seat the
/// moment <c>offered</c> arrives, as the SDK does. One seat, a standing line of <c>--standing</c> followers (each with its
/// stream open), one hand-off at a time; with several nodes the sign-off goes through another node than the head's stream.</item>
/// <item><b>Throughput while 1,000 wait</b>: three mixes in closed loops, in alternating rounds: with no line, then with
/// <c>--line</c> entries waiting on a full license of 100 seats (joined just before, removed by an admin just after), and so
/// on <c>--rounds</c> times, and once more with no line; the figures are the means of the rounds of each kind, so the
/// machine's drift falls on both sides. Mixes: checkout+release on 20 other licenses
/// (never full), heartbeats of the full license's 100 holders, and checkouts on the full license that do not wait (<c>POST /v1/sessions</c>)
/// (refused, 409: what a client that does not wait gets).</item>
/// </list>
/// Writes one markdown row to <c>--out</c> and the round-by-round figures to the console.
/// </summary>
internal static class WaitsBench
{
    private const int OtherLicenses = 20;
    private const int Holders = 100;
    private const string Kind = "desktop";

    private static readonly object LinePolicy = new
    {
        waitingLine = new { enabled = true, maxLength = 10_000, offerSeconds = 60, maxWaitSeconds = 86_400 },
        clientTypes = new Dictionary<string, object> { [Kind] = new { ttlSeconds = 7_200, idleTimeoutSeconds = 0 } },
    };

    private sealed record Entry(string Id, string Token, int Node, SseStream Stream);

    public static async Task RunAsync(Options options)
    {
        var urls = options.Get("urls").Split(',').Select(u => new Uri(u)).ToList();
        var adminKey = options.Get("admin-key");
        var label = options.Get("label");
        var workers = options.Int("connections", 32);
        var duration = options.Seconds("duration", 8);
        var warmup = options.Seconds("warmup", 2);
        var settle = options.Seconds("settle", 10);
        var handoffs = options.Int("handoffs", 300);
        var standing = options.Int("standing", 10);
        var lineLength = options.Int("line", 1000);
        var rounds = options.Int("rounds", 2);

        using var op = NodesBench.Client(urls[0], adminKey, 4);
        var tenantId = await NodesBench.IdOfAsync(op, HttpMethod.Post, "/v1/tenants", new { name = "bench-waits", timeZone = "UTC" });
        var key = (await NodesBench.SendAsync(op, HttpMethod.Post, "/v1/api-keys", new { tenantId, role = "client" }, HttpStatusCode.Created)).GetProperty("key").GetString()!;
        var adminTenantKey = (await NodesBench.SendAsync(op, HttpMethod.Post, "/v1/api-keys", new { tenantId, role = "admin" }, HttpStatusCode.Created)).GetProperty("key").GetString()!;
        var others = new List<string>();
        for (var i = 0; i < OtherLicenses; i++)
            others.Add(await NodesBench.IdOfAsync(op, HttpMethod.Post, "/v1/licenses", new { tenantId, product = $"other-{i}", seats = 100_000 }));
        var full = await NodesBench.IdOfAsync(op, HttpMethod.Post, "/v1/licenses", new { tenantId, product = "full", seats = Holders, policy = LinePolicy });
        var single = await NodesBench.IdOfAsync(op, HttpMethod.Post, "/v1/licenses", new { tenantId, product = "handoff", seats = 1, policy = LinePolicy });
        var clients = urls.Select(u => NodesBench.Client(u, key, workers)).ToList();
        var admins = urls.Select(u => NodesBench.Client(u, adminTenantKey, workers)).ToList();
        // Streams hold a connection each for as long as they follow: a client of their own, without a connection limit.
        var streamClients = urls.Select(u => new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false })
        {
            BaseAddress = u,
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
        }).ToList();

        // The full license's holders (spread over the nodes), for the heartbeat mix.
        var holderIds = new string[Holders];
        var holderTokens = new string[Holders];
        await Parallel.ForAsync(0, Holders, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var session = await NodesBench.SendAsync(clients[i % clients.Count], HttpMethod.Post, "/v1/sessions",
                new { licenseId = full, user = $"holder-{i}", device = $"pc-holder-{i}", client = Kind }, HttpStatusCode.Created);
            (holderIds[i], holderTokens[i]) = (session.GetProperty("id").GetString()!, session.GetProperty("sessionToken").GetString()!);
        });

        async Task<Dictionary<string, NodesBench.LoopResult>> RoundAsync(TimeSpan warm, TimeSpan measured)
        {
            var results = new Dictionary<string, NodesBench.LoopResult>(StringComparer.Ordinal)
            {
                ["checkout+release"] = await NodesBench.ClosedLoopAsync(workers, warm, measured, async (w, n, latency) =>
                {
                    var client = clients[w % clients.Count];
                    var started = Stopwatch.GetTimestamp();
                    var session = await NodesBench.SendAsync(client, HttpMethod.Post, "/v1/sessions",
                        new { licenseId = others[w % OtherLicenses], user = $"u{w}-{n}", device = $"d{w}", client = Kind }, HttpStatusCode.Created);
                    latency(started);
                    started = Stopwatch.GetTimestamp();
                    await NodesBench.SendAsync(client, HttpMethod.Delete, $"/v1/sessions/{session.GetProperty("id").GetString()}", null,
                        HttpStatusCode.NoContent, session.GetProperty("sessionToken").GetString());
                    latency(started);
                }),
                ["heartbeats"] = await NodesBench.ClosedLoopAsync(workers, warm, measured, async (w, n, latency) =>
                {
                    var i = (w + (n * workers)) % Holders;
                    var started = Stopwatch.GetTimestamp();
                    await NodesBench.SendAsync(clients[w % clients.Count], HttpMethod.Post, $"/v1/sessions/{holderIds[i]}/heartbeat",
                        new { active = true }, HttpStatusCode.OK, holderTokens[i]);
                    latency(started);
                }),
                ["refused checkouts"] = await NodesBench.ClosedLoopAsync(workers, warm, measured, async (w, n, latency) =>
                {
                    var started = Stopwatch.GetTimestamp();
                    await NodesBench.SendAsync(clients[w % clients.Count], HttpMethod.Post, "/v1/sessions",
                        new { licenseId = full, user = $"r{w}-{n % 50}", device = $"rd{w}", client = Kind }, HttpStatusCode.Conflict);
                    latency(started);
                }),
            };
            return results;
        }

        // Settle (the JIT's second pass); then rounds with no line and with the line, alternating, no-line first and last.
        Console.WriteLine($"== {label}, {urls.Count} node(s): settling {settle.TotalSeconds:0} s");
        await RoundAsync(TimeSpan.Zero, settle / 3);
        var noLine = new List<Dictionary<string, NodesBench.LoopResult>>();
        var withLine = new List<Dictionary<string, NodesBench.LoopResult>>();
        var joinRates = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            Console.WriteLine($"== no line ({round + 1} of {rounds + 1})");
            noLine.Add(await RoundAsync(warmup, duration));
            Print(noLine[^1]);

            // The line: lineLength entries join the full license (8 at a time, round-robin over the nodes).
            var joinClock = Stopwatch.StartNew();
            var line = new string[lineLength];
            await Parallel.ForAsync(0, lineLength, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            {
                var entry = await NodesBench.SendAsync(clients[i % clients.Count], HttpMethod.Post, "/v1/waits",
                    new { licenseId = full, user = $"waiter-{round}-{i}", device = $"pc-waiter-{i}", client = Kind, waitSeconds = 86_400 }, HttpStatusCode.Accepted);
                line[i] = entry.GetProperty("id").GetString()!;
            });
            joinRates.Add(lineLength / joinClock.Elapsed.TotalSeconds);
            var waiting = await CountLineAsync(admins[0], full);
            if (waiting != lineLength)
                throw new InvalidOperationException($"The line holds {waiting} entries, not {lineLength}.");
            Console.WriteLine($"== {lineLength} waiting (joined at {joinRates[^1]:F0}/s) ({round + 1} of {rounds})");
            withLine.Add(await RoundAsync(warmup, duration));
            Print(withLine[^1]);
            waiting = await CountLineAsync(admins[0], full);
            if (waiting != lineLength)
                throw new InvalidOperationException($"After the round the line holds {waiting} entries, not {lineLength}: something was granted or ended.");
            // An admin removes them all: the next round has no line again.
            await Parallel.ForAsync(0, lineLength, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
                await NodesBench.SendAsync(admins[i % admins.Count], HttpMethod.Delete, $"/v1/waits/{line[i]}", null, HttpStatusCode.NoContent));
        }
        Console.WriteLine($"== no line ({rounds + 1} of {rounds + 1})");
        noLine.Add(await RoundAsync(warmup, duration));
        Print(noLine[^1]);

        // Hand-offs on the one-seat license, with a standing line of followers.
        Console.WriteLine($"== {handoffs} hand-offs, a standing line of {standing} followers with their streams open");
        var handoff = await HandoffsAsync(single, clients, streamClients, handoffs, standing);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   sign-off sent -> take answered 201: p50 {handoff.PercentileMs(50):F2} ms, p99 {handoff.PercentileMs(99):F2} ms, mean {handoff.MeanMs:F2} ms, max {handoff.MaxMs:F2} ms (n = {handoff.Count})"));

        var errors = noLine.Concat(withLine).SelectMany(r => r.Values).Sum(r => r.Errors);
        var row = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {urls.Count} | {handoff.PercentileMs(50):F1} / {handoff.PercentileMs(99):F1} ms (n = {handoff.Count}) |"));
        foreach (var mix in noLine[0].Keys)
        {
            var baseline = noLine.Average(r => Rate(r[mix]));
            var during = withLine.Average(r => Rate(r[mix]));
            row.Append(string.Create(CultureInfo.InvariantCulture,
                $" {baseline:N0} -> {during:N0} req/s = **{during / baseline:F2}x** (p99 {noLine.Average(r => r[mix].Latency.PercentileMs(99)):F1} -> {withLine.Average(r => r[mix].Latency.PercentileMs(99)):F1} ms) |"));
        }
        row.Append(string.Create(CultureInfo.InvariantCulture, $" {joinRates.Average():N0}/s | {errors} |"));
        await File.AppendAllTextAsync(options.Get("out"), row + Environment.NewLine);
        Console.WriteLine(row);
        foreach (var client in clients.Concat(admins).Concat(streamClients))
            client.Dispose();
    }

    private static double Rate(NodesBench.LoopResult r) => r.Requests / r.Seconds;

        private static void Print(Dictionary<string, NodesBench.LoopResult> round)
    {
        foreach (var (mix, r) in round)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {mix,-18} {Rate(r),8:F0} req/s  p50 {r.Latency.PercentileMs(50):F1} ms  p99 {r.Latency.PercentileMs(99):F1} ms  errors {r.Errors}"));
        }
    }

    /// <summary>The open entries of the license's line (the admin list, page by page).</summary>
    private static async Task<int> CountLineAsync(HttpClient admin, string licenseId)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = await NodesBench.SendAsync(admin, HttpMethod.Get,
                $"/v1/waits?licenseId={licenseId}&limit=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), null, HttpStatusCode.OK);
            count += page.GetProperty("items").GetArrayLength();
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return count;
    }

    /// <summary>
    /// One seat, one holder, <paramref name="standing"/> entries in line, each following its stream on its node. Each hand-off:
    /// the holder signs off (through the node after the head's), the head reads <c>offered</c> and takes the seat on its node;
    /// timed from the sign-off sent to the take answered. Then a new follower joins at the tail. A tenth of the hand-offs
    /// (at least 10) first, unrecorded, as warm-up.
    /// </summary>
    private static async Task<Histogram> HandoffsAsync(string licenseId, List<HttpClient> clients, List<HttpClient> streamClients, int count, int standing)
    {
        var nodes = clients.Count;
        var joined = 0;
        async Task<Entry> JoinAsync()
        {
            var node = joined % nodes;
            var entry = await NodesBench.SendAsync(clients[node], HttpMethod.Post, "/v1/waits",
                new { licenseId, user = $"follower-{joined}", device = $"pc-follower-{joined}", client = Kind, waitSeconds = 86_400 }, HttpStatusCode.Accepted);
            joined++;
            var id = entry.GetProperty("id").GetString()!;
            var token = entry.GetProperty("waitToken").GetString()!;
            var stream = await SseStream.OpenAsync(streamClients[node], $"/v1/waits/{id}/events", token);
            var first = await stream.NextAsync();
            if (first.Name != "waiting")
                throw new InvalidOperationException($"A new follower's stream opened with '{first.Name}', not 'waiting'.");
            return new Entry(id, token, node, stream);
        }

        var holder = await NodesBench.SendAsync(clients[0], HttpMethod.Post, "/v1/sessions",
            new { licenseId, user = "first-holder", device = "pc-first", client = Kind }, HttpStatusCode.Created);
        var (holderId, holderToken) = (holder.GetProperty("id").GetString()!, holder.GetProperty("sessionToken").GetString()!);
        var followers = new Queue<Entry>();
        for (var i = 0; i < standing; i++)
            followers.Enqueue(await JoinAsync());

        var histogram = new Histogram();
        var warm = Math.Max(10, count / 10);
        for (var h = 0; h < warm + count; h++)
        {
            var head = followers.Dequeue();
            var freeing = (head.Node + 1) % nodes;
            var started = Stopwatch.GetTimestamp();
            var signOff = NodesBench.SendAsync(clients[freeing], HttpMethod.Delete, $"/v1/sessions/{holderId}", null, HttpStatusCode.NoContent, holderToken);
            while (true)
            {
                var next = await head.Stream.NextAsync();
                if (next.Name == "offered")
                    break;
                if (next.Name != "waiting")
                    throw new InvalidOperationException($"The head of the line read '{next.Name}' before its offer.");
            }
            var session = await NodesBench.SendAsync(clients[head.Node], HttpMethod.Post, $"/v1/waits/{head.Id}/session", null, HttpStatusCode.Created, head.Token);
            var took = Stopwatch.GetTimestamp();
            await signOff;
            if (h >= warm)
                histogram.Record((long)((took - started) * 1e6 / Stopwatch.Frequency));
            (holderId, holderToken) = (session.GetProperty("id").GetString()!, session.GetProperty("sessionToken").GetString()!);
            await head.Stream.DisposeAsync();
            followers.Enqueue(await JoinAsync());
        }
        foreach (var follower in followers)
            await follower.Stream.DisposeAsync();
        return histogram;
    }

    /// <summary>A server-sent event stream read one event at a time (a minute's patience per event: only a broken server waits that long).</summary>
    private sealed class SseStream : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private SseStream(HttpResponseMessage response, StreamReader reader)
        {
            _response = response;
            _reader = reader;
        }

        public static async Task<SseStream> OpenAsync(HttpClient client, string path, string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.TryAddWithoutValidation(Setup.SessionTokenHeader, token);
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        public async Task<(string Name, string Data)> NextAsync()
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            string? name = null, data = null;
            while (await _reader.ReadLineAsync(patience.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                    name = line["event: ".Length..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    data = line["data: ".Length..];
                else if (line.Length == 0 && name is not null)
                    return (name, data ?? "");
            }
            return ("(closed)", "");
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
