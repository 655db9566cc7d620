using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Security;

/// <summary>
/// One tenant's objects, each of a kind a route can name: a license, a connection, a live session
/// (with its token), a user cooling down after a stop, an installation, a key of every role, and a
/// place in a waiting line (with its token) on a second license of one seat.
/// </summary>
internal sealed record Party(
    string TenantId, string TenantName, string LicenseId, string ConnectionId, string SessionId, string SessionToken,
    string CoolingUser, string InstallationId, string AdminKey, string AdminKeyId, string ClientKey, string ClientKeyId,
    string InstallationKey, string WaitId = "", string WaitToken = "")
{
    /// <summary>Ids of the right shape that belong to nobody: what "another tenant's id" must look exactly like.</summary>
    public static Party Nobody { get; } = new("ten_AAAAAAAAAAAAAAAAAAAAAA", "Nobody", "lic_AAAAAAAAAAAAAAAAAAAAAA", "con_AAAAAAAAAAAAAAAAAAAAAA",
        "ses_01AAAAAAAAAAAAAAAAAAAAAAAA", "lhs_nobody", "nobody-cooling", "ins_AAAAAAAAAAAAAAAAAAAAAA", "", "key_AAAAAAAAAAAAAAAAAAAAAA", "",
        "key_BBBBBBBBBBBBBBBBBBBBBB", "", "wait_01AAAAAAAAAAAAAAAAAAAAAAAA", "lhw_nobody");

    /// <summary>What of this tenant must never show in an answer to another tenant's key.</summary>
    public IEnumerable<string> Secrets =>
        [TenantId, TenantName, LicenseId, ConnectionId, SessionId, SessionToken, CoolingUser, InstallationId, AdminKeyId, ClientKeyId, "alice-of-" + TenantName,
            WaitId, WaitToken];

    /// <summary>Fills {tenant}, {license}, {connection}, {session}, {key} (the client key's id), {installation} and {user}.</summary>
    public string Resolve(string template) => template
        .Replace("{tenant}", TenantId, StringComparison.Ordinal)
        .Replace("{license}", LicenseId, StringComparison.Ordinal)
        .Replace("{connection}", ConnectionId, StringComparison.Ordinal)
        .Replace("{session}", SessionId, StringComparison.Ordinal)
        .Replace("{key}", ClientKeyId, StringComparison.Ordinal)
        .Replace("{installation}", InstallationId, StringComparison.Ordinal)
        .Replace("{user}", Uri.EscapeDataString(CoolingUser), StringComparison.Ordinal);

    /// <summary>
    /// The route's path with this party's objects in its parameters: an <c>{id}</c> is of the kind the
    /// segment before it names. A parameter the suite does not know fails: teach it here.
    /// </summary>
    public string PathOf(ApiRoute route)
    {
        var segments = route.Pattern.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = segments[i] switch
            {
                "{id}" => segments[i - 1] switch
                {
                    "tenants" => TenantId,
                    "licenses" => LicenseId,
                    "connections" => ConnectionId,
                    "api-keys" => ClientKeyId,
                    "sessions" => SessionId,
                    "installations" => InstallationId,
                    "waits" => WaitId,
                    var other => throw new InvalidOperationException($"{route}: the suite does not know what an id under '{other}' is; add it to Party.PathOf."),
                },
                "{licenseId}" => LicenseId,
                "{user}" => Uri.EscapeDataString(CoolingUser),
                ['{', ..] => throw new InvalidOperationException($"{route}: the suite does not know the parameter {segments[i]}; add it to Party.PathOf."),
                var literal => literal,
            };
        }
        return string.Join('/', segments);
    }
}

/// <summary>What one probe sent and got back.</summary>
internal sealed record Probe(string Method, string Url, string Who, int Status, string? MediaType, string Text)
{
    public override string ToString() => $"{Who}: {Method} {Url} answered {Status} ({MediaType}): {Shorten(Text)}";

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "..." : text;
}

/// <summary>
/// A server with two tenants, A (whose objects every probe names) and B (the intruder), each with
/// everything a route can name, plus revoked keys of every role; and the requests the suites send.
/// The failed-key limiter is raised for this host only: the suites send thousands of bad keys from
/// one address on purpose (the limiter itself is tested in <c>Auth/AbuseLimitTests</c>).
/// </summary>
internal sealed class SecurityWorld : IAsyncDisposable
{
    private static readonly Regex TraceId = new("\"traceId\":\"[^\"]*\"", RegexOptions.Compiled);

    private SecurityWorld(TestHost host, Party a, Party b, IReadOnlyDictionary<string, string> revoked)
    {
        Host = host;
        A = a;
        B = b;
        Revoked = revoked;
        Http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AllowAutoRedirect = false,
            // Header values as UTF-8 bytes: the fuzzing sends unicode in headers, which the client would otherwise refuse to send.
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public TestHost Host { get; }
    public Party A { get; }
    public Party B { get; }

    /// <summary>Revoked keys of tenant A, by role (and a revoked operator key).</summary>
    public IReadOnlyDictionary<string, string> Revoked { get; }

    /// <summary>One client for every probe: the key goes on each request, never a session token unless the probe adds it.</summary>
    public HttpClient Http { get; }

    public static async Task<SecurityWorld> StartAsync(int failedKeysPerMinute = 1_000_000)
    {
        var data = Path.Combine(Path.GetTempPath(), "leasehold-test-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>(await TestStore.SettingsAsync(data))
        {
            ["LEASEHOLD_FAILED_KEYS_PER_MINUTE"] = failedKeysPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var host = await TestHost.StartAsync(data, storeSettings: settings);
        try
        {
            var a = await PartyAsync(host, "Acme-Security");
            var b = await PartyAsync(host, "Bolt-Intruders");
            var revoked = new Dictionary<string, string>();
            foreach (var role in new[] { "admin", "client" })
            {
                var made = await host.Operator.PostAsync("/v1/api-keys", new { tenantId = a.TenantId, role }, HttpStatusCode.Created);
                await host.Operator.DeleteAsync($"/v1/api-keys/{made.Str("id")}", HttpStatusCode.OK);
                revoked[role] = made.Str("key");
            }
            var op = await host.Operator.PostAsync("/v1/api-keys", new { role = "operator" }, HttpStatusCode.Created);
            await host.Operator.DeleteAsync($"/v1/api-keys/{op.Str("id")}", HttpStatusCode.OK);
            revoked["operator"] = op.Str("key");
            // An installation's key is revoked when the installation is given a new one.
            var install = await host.Operator.PostAsync("/v1/installations",
                new { licenseId = a.LicenseId, name = "old-laptop", fingerprint = "old-laptop", seats = 0 }, HttpStatusCode.Created);
            await host.Operator.PostAsync($"/v1/installations/{install.Str("id")}/key", null, HttpStatusCode.OK);
            revoked["installation"] = install.Str("installationKey");
            return new SecurityWorld(host, a, b, revoked);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static async Task<Party> PartyAsync(TestHost host, string name)
    {
        var op = host.Operator;
        var tenantId = await host.CreateTenantAsync(name);
        var licenseId = await host.CreateLicenseAsync(tenantId, seats: 6);
        var connectionId = (await op.PostAsync("/v1/connections",
            new { tenantId, name = "rdp-of-" + name, email = "desk@" + name.ToLowerInvariant() + ".example", accessPlan = "always" },
            HttpStatusCode.Created)).Str("id");
        var admin = await op.PostAsync("/v1/api-keys", new { tenantId, role = "admin", name = "admin of " + name }, HttpStatusCode.Created);
        var client = await op.PostAsync("/v1/api-keys", new { tenantId, role = "client", name = "app of " + name }, HttpStatusCode.Created);
        using var app = host.Client(client.Str("key"), sendSessionTokens: false);
        var session = await app.CheckoutAsync(licenseId, "alice-of-" + name);
        var cooling = "carol-of-" + name;
        var stopped = await app.CheckoutAsync(licenseId, cooling, device: "pc-2");
        await op.PostAsync($"/v1/sessions/{stopped.Str("id")}/stop", new { coolDownMinutes = 60 }, HttpStatusCode.OK);
        await app.SendAsync(HttpMethod.Put, $"/v1/sessions/{session.Str("id")}/state", new { screens = new[] { "secret-screen-of-" + name } },
            HttpStatusCode.NoContent, new Dictionary<string, string> { [SessionTokenJar.Header] = session.Str("sessionToken") });
        var installation = await op.PostAsync("/v1/installations",
            new { licenseId, name = "laptop-of-" + name, fingerprint = "fp-" + name, seats = 1 }, HttpStatusCode.Created);
        using (var self = host.Client(installation.Str("installationKey")))
            await self.PostAsync("/v1/installations/self/license-file", new { }, HttpStatusCode.OK);
        // A license of one seat with a waiting line: dave waits behind erin.
        var lined = await host.CreateLicenseAsync(tenantId, seats: 1, new { waitingLine = new { enabled = true } }, product: "planner");
        await app.CheckoutAsync(lined, "erin-of-" + name, device: "pc-3");
        var place = await app.PostAsync("/v1/waits", new { licenseId = lined, user = "dave-of-" + name, device = "pc-4", client = "desktop", waitSeconds = 3600 },
            HttpStatusCode.Accepted);
        return new Party(tenantId, name, licenseId, connectionId, session.Str("id"), session.Str("sessionToken"), cooling,
            installation.Str("id"), admin.Str("key"), admin.Str("id"), client.Str("key"), client.Str("id"), installation.Str("installationKey"),
            place.Str("id"), place.Str("waitToken"));
    }

    /// <summary>
    /// Sends one request exactly as given. An answer of 200 <c>text/event-stream</c> is not read to its
    /// end (a stream lasts as long as its session): its headers say enough.
    /// </summary>
    public async Task<Probe> SendAsync(string who, string? authorization, string method, string url, string? body,
        IEnumerable<KeyValuePair<string, string>>? headers = null, string? contentType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        foreach (var (name, value) in headers ?? [])
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
                request.Content?.Headers.TryAddWithoutValidation(name, value);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var text = mediaType == "text/event-stream" && response.IsSuccessStatusCode ? "(an events stream)" : await response.Content.ReadAsStringAsync(timeout.Token);
        return new Probe(method, url, who, (int)response.StatusCode, mediaType, text);
    }

    /// <summary>The answer's text without its traceId: two answers that must be indistinguishable are compared so.</summary>
    public static string WithoutTraceId(string text) => TraceId.Replace(text, "\"traceId\":\"-\"");

    public static string Bearer(string key) => "Bearer " + key;

    public ValueTask DisposeAsync()
    {
        Http.Dispose();
        return Host.DisposeAsync();
    }
}
