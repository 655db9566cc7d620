using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Leasehold.Bench;

/// <summary>What every benchmark needs first, made through the public API with the operator key.</summary>
internal static class Setup
{
    /// <summary>The client type of the benchmark's sessions: they stay live until released (a week, no idle end).</summary>
    public const string LongClient = "bench";

    public static async Task<string> CreateTenantAsync(HttpClient admin, string name, string timeZone = "UTC") =>
        Id(await PostAsync(admin, "/v1/tenants", new JsonObject { ["name"] = name, ["timeZone"] = timeZone }));

    public static Task<string> CreateClientKeyAsync(HttpClient admin, string tenantId) => CreateKeyAsync(admin, tenantId, "client");

    /// <summary>A new API key of <paramref name="role"/> (client or admin) in the tenant: its secret.</summary>
    public static async Task<string> CreateKeyAsync(HttpClient admin, string tenantId, string role)
    {
        var key = await PostAsync(admin, "/v1/api-keys", new JsonObject { ["tenantId"] = tenantId, ["role"] = role, ["name"] = "bench " + role });
        return key.GetProperty("key").GetString()!;
    }

    /// <summary>A license of <paramref name="seats"/> seats with one client type, <paramref name="client"/>.</summary>
    public static async Task<string> CreateLicenseAsync(HttpClient admin, string tenantId, string product, int seats,
        string client, int ttlSeconds, int idleTimeoutSeconds)
    {
        var policy = new JsonObject
        {
            ["seatKey"] = "session",
            ["clientTypes"] = new JsonObject
            {
                [client] = new JsonObject { ["ttlSeconds"] = ttlSeconds, ["idleTimeoutSeconds"] = idleTimeoutSeconds },
            },
        };
        return Id(await PostAsync(admin, "/v1/licenses", new JsonObject
        {
            ["tenantId"] = tenantId, ["product"] = product, ["seats"] = seats, ["policy"] = policy,
        }));
    }

    /// <summary><paramref name="count"/> licenses alike, created <paramref name="concurrency"/> at a time.</summary>
    public static async Task<string[]> CreateLicensesAsync(HttpClient admin, string tenantId, int count, int seats,
        string client, int ttlSeconds, int idleTimeoutSeconds, int concurrency)
    {
        var ids = new string[count];
        var next = -1;
        var workers = Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
                ids[i] = await CreateLicenseAsync(admin, tenantId, $"product-{i}", seats, client, ttlSeconds, idleTimeoutSeconds);
        }));
        await Task.WhenAll(workers);
        return ids;
    }

    /// <summary>A checkout body as an application sends it.</summary>
    public static byte[] CheckoutBody(string licenseId, string user, string device, string client) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["licenseId"] = licenseId, ["user"] = user, ["device"] = device, ["client"] = client,
        }.ToJsonString());

    public static byte[] CheckBody(string licenseId, string user, string client) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["licenseId"] = licenseId, ["user"] = user, ["client"] = client }.ToJsonString());

    public static readonly byte[] HeartbeatBody = Encoding.UTF8.GetBytes("""{"active":true}""");

    /// <summary>The header a session's holder sends its token in.</summary>
    public const string SessionTokenHeader = "Leasehold-Session-Token";

    /// <summary>The <c>id</c> of a JSON answer (a session's is its first property).</summary>
    public static string? ReadId(byte[] json) => ReadString(json, "id"u8);

    /// <summary>The <c>sessionToken</c> of a checkout answer: what calls on the session send.</summary>
    public static string? ReadToken(byte[] json) => ReadString(json, "sessionToken"u8);

    private static string? ReadString(byte[] json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(name))
            {
                reader.Read();
                return reader.GetString();
            }
        }
        return null;
    }

    /// <summary>
    /// Checks out sessions number <paramref name="from"/> to <paramref name="to"/> (exclusive), as
    /// fast as <paramref name="workers"/> concurrent clients can: session i on license
    /// i / <paramref name="perLicense"/>. Failures are counted in <paramref name="op"/>, not retried.
    /// With <paramref name="ids"/>, stores each new session's id at index i - from (and its token in <paramref name="tokens"/>).
    /// </summary>
    public static async Task<TimeSpan> CreateSessionsAsync(Requester requester, OpStats op, string[] licenses, int perLicense,
        long from, long to, int workers, string client, string[]? ids = null, string? progressLabel = null, string[]? tokens = null)
    {
        var started = Stopwatch.GetTimestamp();
        var next = from - 1;
        var done = 0L;
        using var stop = new CancellationTokenSource();
        var progress = progressLabel is null ? Task.CompletedTask : ReportProgressAsync(progressLabel, () => Interlocked.Read(ref done), from, to, stop.Token);
        var loops = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            long i;
            while ((i = Interlocked.Increment(ref next)) < to)
            {
                var body = CheckoutBody(licenses[i / perLicense], $"user-{i}", $"device-{i}", client);
                var answer = await requester.SendAsync(op, HttpMethod.Post, "/v1/sessions", body, 201);
                if (answer is not null && ids is not null)
                    ids[i - from] = ReadId(answer)!;
                if (answer is not null && tokens is not null)
                    tokens[i - from] = ReadToken(answer)!;
                Interlocked.Increment(ref done);
            }
        }));
        await Task.WhenAll(loops);
        await stop.CancelAsync();
        await progress;
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task ReportProgressAsync(string label, Func<long> done, long from, long to, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), ct);
                var n = done();
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var rate = n / seconds;
                var eta = rate > 0 ? (to - from - n) / rate : double.NaN;
                await Console.Error.WriteLineAsync(
                    $"  {label}: {from + n:N0} of {to:N0} sessions, {rate:N0}/s over the last {seconds:N0} s, about {eta:N0} s to go");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient admin, string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        for (var attempt = 1; ; attempt++)
        {
            using var response = await admin.PostAsync(new Uri(path, UriKind.Relative), content);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Created)
                return JsonDocument.Parse(text).RootElement.Clone();
            if ((int)response.StatusCode < 500 || attempt == 3)
                throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
            await Task.Delay(500);
        }
    }

    private static string Id(JsonElement element) => element.GetProperty("id").GetString()!;
}
