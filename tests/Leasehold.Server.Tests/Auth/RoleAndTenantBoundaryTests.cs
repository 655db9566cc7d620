using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Auth;

/// <summary>
/// Who may call what, through real HTTP: no key or a bad one is 401; a client key on an admin
/// call is 403; a key of tenant B sees nothing of tenant A (404, exactly as for an id that never
/// existed) and changes nothing; the operator sees everything; revoked keys stop at once.
/// </summary>
public sealed class RoleAndTenantBoundaryTests : HostedTests
{
    private const string TenantBody = """{"name":"Intruder Inc","timeZone":"Europe/Berlin"}""";
    private const string LicenseBody = """{"tenantId":"{tenant}","product":"cam","seats":5}""";
    private const string ClientKeyBody = """{"tenantId":"{tenant}","role":"client"}""";
    private const string AdminKeyBody = """{"tenantId":"{tenant}","role":"admin"}""";
    private const string CheckoutBody = """{"licenseId":"{license}","user":"mallory","device":"pc-9","client":"desktop"}""";
    private const string HeartbeatBody = """{"active":true}""";
    private const string CheckBody = """{"licenseId":"{license}","user":"mallory","client":"desktop"}""";

    /// <summary>Ids of the right shape that belong to nobody.</summary>
    private static readonly Party Nobody = new("ten_AAAAAAAAAAAAAAAAAAAAAA", "lic_AAAAAAAAAAAAAAAAAAAAAA", "", "key_AAAAAAAAAAAAAAAAAAAAAA",
        "", "key_BBBBBBBBBBBBBBBBBBBBBB", "ses_AAAAAAAAAAAAAAAAAAAAAA");

    [Theory]
    [InlineData("POST", "/v1/tenants", TenantBody)]
    [InlineData("GET", "/v1/tenants", null)]
    [InlineData("GET", "/v1/tenants/{tenant}", null)]
    [InlineData("POST", "/v1/licenses", LicenseBody)]
    [InlineData("GET", "/v1/licenses", null)]
    [InlineData("GET", "/v1/licenses/{license}", null)]
    [InlineData("POST", "/v1/api-keys", ClientKeyBody)]
    [InlineData("GET", "/v1/api-keys", null)]
    [InlineData("DELETE", "/v1/api-keys/{key}", null)]
    [InlineData("POST", "/v1/sessions", CheckoutBody)]
    [InlineData("GET", "/v1/sessions", null)]
    [InlineData("GET", "/v1/sessions/{session}", null)]
    [InlineData("POST", "/v1/sessions/{session}/heartbeat", HeartbeatBody)]
    [InlineData("DELETE", "/v1/sessions/{session}", null)]
    [InlineData("POST", "/v1/sessions/{session}/stop", null)]
    [InlineData("POST", "/v1/checks", CheckBody)]
    public async Task NoKey_WrongKey_OrRevokedKey_IsUnauthorized_AndChangesNothing(string method, string path, string? body)
    {
        var a = await CreatePartyAsync("Acme");
        var revoked = await CreateKeyAsync(a.TenantId, "admin");
        using (var warm = Host.Client(revoked.Key))
            await warm.GetJsonAsync($"/v1/licenses/{a.LicenseId}");
        await Host.Operator.SendAsync(HttpMethod.Delete, $"/v1/api-keys/{revoked.Id}", null, HttpStatusCode.OK);
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var before = await Host.SnapshotAsync();

        string?[] credentials =
        [
            null,
            "Bearer lh_this-key-was-never-issued-0123456789",
            "Bearer " + a.AdminKey + "x",
            "Bearer " + a.AdminKey[..^1],
            "Bearer " + revoked.Key,
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + TestHost.OperatorKey)),
            "Bearer",
            "Bearer    ",
        ];
        foreach (var authorization in credentials)
        {
            using var client = RawClient(authorization);
            var reply = await client.SendRawAsync(new HttpMethod(method), a.Resolve(path), a.Resolve(body));
            reply.ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
            reply.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer", reply.ToString());
            await Host.ShouldBeUnchangedSinceAsync(before, $"Authorization '{authorization}' on {method} {path}");
        }
        (await Host.Operator.GetJsonAsync($"/v1/sessions/{a.SessionId}")).Str("status").ShouldBe("active");
    }

    [Theory]
    [InlineData("POST", "/v1/tenants", TenantBody)]
    [InlineData("GET", "/v1/tenants", null)]
    [InlineData("GET", "/v1/tenants/{tenant}", null)]
    [InlineData("POST", "/v1/licenses", LicenseBody)]
    [InlineData("GET", "/v1/licenses", null)]
    [InlineData("GET", "/v1/licenses/{license}", null)]
    [InlineData("POST", "/v1/api-keys", ClientKeyBody)]
    [InlineData("POST", "/v1/api-keys", AdminKeyBody)]
    [InlineData("GET", "/v1/api-keys", null)]
    [InlineData("DELETE", "/v1/api-keys/{key}", null)]
    [InlineData("DELETE", "/v1/api-keys/{adminKey}", null)]
    [InlineData("GET", "/v1/sessions", null)]
    [InlineData("GET", "/v1/sessions?licenseId={license}", null)]
    [InlineData("POST", "/v1/sessions/{session}/stop", null)]
    public async Task ClientKey_OnAdminOnlyEndpoints_IsForbidden_EvenForItsOwnTenant(string method, string path, string? body)
    {
        var a = await CreatePartyAsync("Acme");
        using var client = Host.Client(a.ClientKey);
        var before = await Host.SnapshotAsync();

        var reply = await client.SendRawAsync(new HttpMethod(method), a.Resolve(path), a.Resolve(body));

        reply.ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
        await Host.ShouldBeUnchangedSinceAsync(before, $"client key on {method} {path}");
        (await client.GetJsonAsync($"/v1/sessions/{a.SessionId}")).Str("status").ShouldBe("active");
    }

    [Theory]
    [InlineData("POST", "/v1/tenants", TenantBody)]
    [InlineData("POST", "/v1/licenses", LicenseBody)]
    public async Task AdminKey_OnOperatorOnlyEndpoints_IsForbidden(string method, string path, string body)
    {
        var a = await CreatePartyAsync("Acme");
        using var admin = Host.Client(a.AdminKey);
        var before = await Host.SnapshotAsync();

        var reply = await admin.SendRawAsync(new HttpMethod(method), path, a.Resolve(body));

        reply.ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
        await Host.ShouldBeUnchangedSinceAsync(before, $"admin key on {method} {path}");
    }

    [Theory]
    [InlineData("admin", "GET", "/v1/tenants/{tenant}", null, null)]
    [InlineData("admin", "GET", "/v1/licenses/{license}", null, null)]
    [InlineData("admin", "GET", "/v1/sessions?licenseId={license}", null, "licenseId")]
    [InlineData("admin", "GET", "/v1/sessions/{session}", null, null)]
    [InlineData("admin", "POST", "/v1/sessions/{session}/heartbeat", HeartbeatBody, null)]
    [InlineData("admin", "POST", "/v1/sessions/{session}/heartbeat", null, null)]
    [InlineData("admin", "DELETE", "/v1/sessions/{session}", null, null)]
    [InlineData("admin", "POST", "/v1/sessions/{session}/stop", null, null)]
    [InlineData("admin", "POST", "/v1/sessions", CheckoutBody, "licenseId")]
    [InlineData("admin", "POST", "/v1/checks", CheckBody, "licenseId")]
    [InlineData("admin", "DELETE", "/v1/api-keys/{key}", null, null)]
    [InlineData("admin", "DELETE", "/v1/api-keys/{adminKey}", null, null)]
    [InlineData("admin", "DELETE", "/v1/api-keys/{operatorKey}", null, null)]
    [InlineData("admin", "POST", "/v1/api-keys", ClientKeyBody, "tenantId")]
    [InlineData("admin", "POST", "/v1/api-keys", AdminKeyBody, "tenantId")]
    [InlineData("client", "GET", "/v1/sessions/{session}", null, null)]
    [InlineData("client", "POST", "/v1/sessions/{session}/heartbeat", HeartbeatBody, null)]
    [InlineData("client", "DELETE", "/v1/sessions/{session}", null, null)]
    [InlineData("client", "POST", "/v1/sessions", CheckoutBody, "licenseId")]
    [InlineData("client", "POST", "/v1/checks", CheckBody, "licenseId")]
    public async Task KeyOfTenantB_TouchingTenantAsIds_IsNotFound_LikeAnUnknownId_AndChangesNothing(
        string role, string method, string path, string? body, string? field)
    {
        var a = await CreatePartyAsync("Acme");
        var b = await CreatePartyAsync("Bolt");
        using var intruder = Host.Client(role == "admin" ? b.AdminKey : b.ClientKey);
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var before = await Host.SnapshotAsync();

        var reply = await intruder.SendRawAsync(new HttpMethod(method), a.Resolve(path), a.Resolve(body));
        var unknown = await intruder.SendRawAsync(new HttpMethod(method), Nobody.Resolve(path), Nobody.Resolve(body));

        reply.ShouldBeProblem(HttpStatusCode.NotFound, "not_found", field);
        reply.Body.FieldOf().ShouldBe(field, reply.ToString());
        reply.ShouldLookTheSameAs(unknown);
        await Host.ShouldBeUnchangedSinceAsync(before, $"{role} key of tenant B on {method} {path}");
        using var aClient = Host.Client(a.ClientKey);
        var session = await aClient.GetJsonAsync($"/v1/sessions/{a.SessionId}");
        session.Str("status").ShouldBe("active");
        session.GetProperty("lastHeartbeatAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch);
        using var aAdmin = Host.Client(a.AdminKey);
        (await aAdmin.GetJsonAsync($"/v1/licenses/{a.LicenseId}")).Int("seatsInUse").ShouldBe(1);
    }

    [Theory]
    [InlineData("admin", "GET", "/v1/sessions/{session}", null)]
    [InlineData("admin", "POST", "/v1/sessions/{session}/heartbeat", HeartbeatBody)]
    [InlineData("admin", "DELETE", "/v1/sessions/{session}", null)]
    [InlineData("admin", "POST", "/v1/sessions/{session}/stop", null)]
    [InlineData("client", "POST", "/v1/sessions/{session}/heartbeat", HeartbeatBody)]
    [InlineData("client", "DELETE", "/v1/sessions/{session}", null)]
    [InlineData("admin", "DELETE", "/v1/api-keys/{key}", null)]
    public async Task EndedSessionOrRevokedKeyOfTenantA_IsStillNotFound_ForTenantB_NeverGone(string role, string method, string path, string? body)
    {
        var a = await CreatePartyAsync("Acme");
        var b = await CreatePartyAsync("Bolt");
        await Host.Operator.PostAsync($"/v1/sessions/{a.SessionId}/stop", null, HttpStatusCode.OK);
        await Host.Operator.SendAsync(HttpMethod.Delete, $"/v1/api-keys/{a.ClientKeyId}", null, HttpStatusCode.OK);
        using var intruder = Host.Client(role == "admin" ? b.AdminKey : b.ClientKey);
        var before = await Host.SnapshotAsync();

        var reply = await intruder.SendRawAsync(new HttpMethod(method), a.Resolve(path), a.Resolve(body));
        var unknown = await intruder.SendRawAsync(new HttpMethod(method), Nobody.Resolve(path), Nobody.Resolve(body));

        reply.ShouldBeProblem(HttpStatusCode.NotFound, "not_found");
        reply.ShouldLookTheSameAs(unknown);
        await Host.ShouldBeUnchangedSinceAsync(before, $"{role} key of tenant B on {method} {path}");
    }

    [Fact]
    public async Task IdempotencyKeys_ArePerTenant_NeitherReplayedNorRefusedAcrossTenants()
    {
        var a = await CreatePartyAsync("Acme");
        var b = await CreatePartyAsync("Bolt");
        using var aClient = Host.Client(a.ClientKey);
        using var bClient = Host.Client(b.ClientKey);

        var first = await aClient.CheckoutAsync(a.LicenseId, "alice", device: "pc-2", idempotencyKey: "shared-retry-key");
        var other = await bClient.CheckoutAsync(b.LicenseId, "bob", idempotencyKey: "shared-retry-key");

        other.Str("id").ShouldNotBe(first.Str("id"));
        other.Str("tenantId").ShouldBe(b.TenantId);
        (await Host.Operator.GetJsonAsync($"/v1/licenses/{a.LicenseId}")).Int("seatsInUse").ShouldBe(2);
        (await Host.Operator.GetJsonAsync($"/v1/licenses/{b.LicenseId}")).Int("seatsInUse").ShouldBe(2);
    }

    [Fact]
    public async Task TenantAdmin_ListsOnlyItsOwnTenant_LicensesKeysAndSessions()
    {
        var a = await CreatePartyAsync("Acme");
        var b = await CreatePartyAsync("Bolt");
        using var admin = Host.Client(b.AdminKey);

        var tenants = (await admin.GetJsonAsync("/v1/tenants")).GetProperty("items");
        Ids(tenants).ShouldBe([b.TenantId]);
        Ids((await admin.GetJsonAsync("/v1/licenses")).GetProperty("items")).ShouldBe([b.LicenseId]);
        Ids((await admin.GetJsonAsync($"/v1/licenses?tenantId={a.TenantId}")).GetProperty("items")).ShouldBeEmpty();
        Ids((await admin.GetJsonAsync("/v1/api-keys")).GetProperty("items")).ShouldBe([b.AdminKeyId, b.ClientKeyId], ignoreOrder: true);
        Ids((await admin.GetJsonAsync($"/v1/api-keys?tenantId={a.TenantId}")).GetProperty("items")).ShouldBeEmpty();
        Ids((await admin.GetJsonAsync("/v1/sessions")).GetProperty("items")).ShouldBe([b.SessionId]);
        (await admin.GetJsonAsync("/v1/api-keys")).GetProperty("items").EnumerateArray().ShouldAllBe(k => k.GetProperty("key").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task Operator_SeesAndReachesEveryTenant()
    {
        var a = await CreatePartyAsync("Acme");
        var b = await CreatePartyAsync("Bolt");
        var op = Host.Operator;

        Ids((await op.GetJsonAsync("/v1/tenants")).GetProperty("items")).ShouldBe([a.TenantId, b.TenantId], ignoreOrder: true);
        Ids((await op.GetJsonAsync("/v1/licenses")).GetProperty("items")).ShouldBe([a.LicenseId, b.LicenseId], ignoreOrder: true);
        Ids((await op.GetJsonAsync($"/v1/licenses?tenantId={b.TenantId}")).GetProperty("items")).ShouldBe([b.LicenseId]);
        Ids((await op.GetJsonAsync("/v1/api-keys")).GetProperty("items")).ShouldContain(a.ClientKeyId);
        Ids((await op.GetJsonAsync("/v1/api-keys")).GetProperty("items")).ShouldContain(b.AdminKeyId);
        Ids((await op.GetJsonAsync("/v1/sessions")).GetProperty("items")).ShouldBe([a.SessionId, b.SessionId], ignoreOrder: true);
        Ids((await op.GetJsonAsync($"/v1/sessions?licenseId={a.LicenseId}")).GetProperty("items")).ShouldBe([a.SessionId]);
        foreach (var party in new[] { a, b })
        {
            (await op.GetJsonAsync($"/v1/tenants/{party.TenantId}")).Str("id").ShouldBe(party.TenantId);
            (await op.GetJsonAsync($"/v1/licenses/{party.LicenseId}")).Int("seatsInUse").ShouldBe(1);
            (await op.GetJsonAsync($"/v1/sessions/{party.SessionId}")).Str("tenantId").ShouldBe(party.TenantId);
        }

        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        (await op.PostAsync($"/v1/sessions/{a.SessionId}/heartbeat", new { active = true }, HttpStatusCode.OK))
            .GetProperty("lastHeartbeatAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddMinutes(1));
        (await op.PostAsync($"/v1/sessions/{b.SessionId}/stop", null, HttpStatusCode.OK)).Str("endReason").ShouldBe("stopped");
        await op.DeleteAsync($"/v1/sessions/{a.SessionId}", HttpStatusCode.NoContent);
        (await op.CheckoutAsync(b.LicenseId, "ops-probe")).Str("tenantId").ShouldBe(b.TenantId);
        (await op.PostAsync("/v1/checks", new { licenseId = a.LicenseId, user = "ops", client = "web" }, HttpStatusCode.OK))
            .GetProperty("pass").GetBoolean().ShouldBeTrue();

        await op.SendAsync(HttpMethod.Delete, $"/v1/api-keys/{a.ClientKeyId}", null, HttpStatusCode.OK);
        using var revoked = Host.Client(a.ClientKey);
        (await revoked.SendRawAsync(HttpMethod.Post, "/v1/checks", new { licenseId = a.LicenseId, user = "x", client = "desktop" }))
            .ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Operator_CanCreateOperatorKeys_ThatWork()
    {
        var created = await Host.Operator.PostAsync("/v1/api-keys", new { role = "operator", name = "second operator" }, HttpStatusCode.Created);

        created.Str("role").ShouldBe("operator");
        created.GetProperty("tenantId").ValueKind.ShouldBe(JsonValueKind.Null);
        using var second = Host.Client(created.Str("key"));
        await second.PostAsync("/v1/tenants", new { name = "Made by the second operator", timeZone = "Asia/Tokyo" }, HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("client", true)]
    [InlineData("client", false)]
    [InlineData("admin", true)]
    [InlineData("admin", false)]
    public async Task TenantAdmin_CreatesClientAndAdminKeys_ForItsOwnTenant(string role, bool namesTheTenant)
    {
        var a = await CreatePartyAsync("Acme");
        var b = await CreatePartyAsync("Bolt");
        using var admin = Host.Client(a.AdminKey);

        var body = namesTheTenant ? $$"""{"tenantId":"{{a.TenantId}}","role":"{{role}}"}""" : $$"""{"role":"{{role}}"}""";

        var created = await admin.PostAsync("/v1/api-keys", body, HttpStatusCode.Created);

        created.Str("tenantId").ShouldBe(a.TenantId);
        created.Str("role").ShouldBe(role);
        created.Str("key").ShouldStartWith("lh_");
        using var key = Host.Client(created.Str("key"));
        await key.PostAsync("/v1/checks", new { licenseId = a.LicenseId, user = "zoe", client = "desktop" }, HttpStatusCode.OK);
        (await key.SendRawAsync(HttpMethod.Post, "/v1/checks", new { licenseId = b.LicenseId, user = "zoe", client = "desktop" }))
            .ShouldBeProblem(HttpStatusCode.NotFound, "not_found", "licenseId");
        var readLicense = await key.SendRawAsync(HttpMethod.Get, $"/v1/licenses/{a.LicenseId}");
        readLicense.StatusCode.ShouldBe(role == "admin" ? 200 : 403, readLicense.ToString());
    }

    [Theory]
    [InlineData("""{"role":"operator"}""")]
    [InlineData("""{"role":"operator","name":"backdoor"}""")]
    public async Task TenantAdmin_MayNotCreateOperatorKeys(string body)
    {
        var a = await CreatePartyAsync("Acme");
        using var admin = Host.Client(a.AdminKey);
        var before = await Host.SnapshotAsync();

        (await admin.SendRawAsync(HttpMethod.Post, "/v1/api-keys", body)).ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");

        await Host.ShouldBeUnchangedSinceAsync(before, "tenant admin asked for an operator key");
    }

    [Theory]
    [InlineData("client", "operator")]
    [InlineData("client", "admin")]
    [InlineData("admin", "operator")]
    [InlineData("admin", "admin")]
    [InlineData("admin", "self")]
    public async Task RevokedKey_StopsWorkingAtOnce(string victimRole, string revoker)
    {
        var a = await CreatePartyAsync("Acme");
        var victim = await CreateKeyAsync(a.TenantId, victimRole);
        using var victimClient = Host.Client(victim.Key);
        var probe = victimRole == "admin" ? $"/v1/licenses/{a.LicenseId}" : $"/v1/sessions/{a.SessionId}";
        await victimClient.GetJsonAsync(probe);

        using var revokerClient = revoker switch
        {
            "operator" => Host.Client(TestHost.OperatorKey),
            "admin" => Host.Client(a.AdminKey),
            _ => Host.Client(victim.Key),
        };
        var revoked = await revokerClient.SendAsync(HttpMethod.Delete, $"/v1/api-keys/{victim.Id}", null, HttpStatusCode.OK);

        revoked.Str("id").ShouldBe(victim.Id);
        revoked.GetProperty("revokedAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch);
        revoked.GetProperty("key").ValueKind.ShouldBe(JsonValueKind.Null);
        (await victimClient.SendRawAsync(HttpMethod.Get, probe)).ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
        (await victimClient.SendRawAsync(HttpMethod.Post, "/v1/sessions",
                new { licenseId = a.LicenseId, user = "late", device = "pc", client = "desktop" }))
            .ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
        (await victimClient.SendRawAsync(HttpMethod.Post, $"/v1/sessions/{a.SessionId}/heartbeat", new { active = true }))
            .ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
        using var admin = Host.Client(a.AdminKey);
        (await admin.GetJsonAsync($"/v1/licenses/{a.LicenseId}")).Int("seatsInUse").ShouldBe(1);
    }

    [Fact]
    public async Task ClientKey_MayDoEverySessionCall_AndChecks_ForItsTenant()
    {
        var a = await CreatePartyAsync("Acme");
        using var client = Host.Client(a.ClientKey);

        var session = await client.CheckoutAsync(a.LicenseId, "carol");
        var id = session.Str("id");
        (await client.GetJsonAsync($"/v1/sessions/{id}")).Str("user").ShouldBe("carol");
        await client.PostAsync($"/v1/sessions/{id}/heartbeat", new { active = true }, HttpStatusCode.OK);
        await client.PostAsync("/v1/checks", new { licenseId = a.LicenseId, user = "dave", client = "web" }, HttpStatusCode.OK);
        await client.DeleteAsync($"/v1/sessions/{id}", HttpStatusCode.NoContent);
    }

    private static List<string> Ids(JsonElement list) => [.. list.EnumerateArray().Select(e => e.Str("id"))];

    private HttpClient RawClient(string? authorization)
    {
        var client = new HttpClient { BaseAddress = Host.BaseAddress };
        if (authorization is not null)
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization).ShouldBeTrue();
        return client;
    }

    private async Task<(string Id, string Key)> CreateKeyAsync(string tenantId, string role)
    {
        var created = await Host.Operator.PostAsync("/v1/api-keys", new { tenantId, role }, HttpStatusCode.Created);
        return (created.Str("id"), created.Str("key"));
    }

    /// <summary>A tenant with a 3-seat license, an admin and a client key, and one session (alice) holding a seat.</summary>
    private async Task<Party> CreatePartyAsync(string name)
    {
        var tenantId = await Host.CreateTenantAsync(name);
        var licenseId = await Host.CreateLicenseAsync(tenantId, seats: 3);
        var admin = await CreateKeyAsync(tenantId, "admin");
        var client = await CreateKeyAsync(tenantId, "client");
        using var app = Host.Client(client.Key);
        var session = await app.CheckoutAsync(licenseId, "alice");
        var operatorKeyId = (await Host.Operator.GetJsonAsync("/v1/api-keys")).GetProperty("items").EnumerateArray()
            .First(k => k.Str("role") == "operator").Str("id");
        return new Party(tenantId, licenseId, admin.Key, admin.Id, client.Key, client.Id, session.Str("id"), operatorKeyId);
    }

    private sealed record Party(string TenantId, string LicenseId, string AdminKey, string AdminKeyId, string ClientKey, string ClientKeyId,
        string SessionId, string OperatorKeyId = "key_CCCCCCCCCCCCCCCCCCCCCC")
    {
        /// <summary>Fills {tenant}, {license}, {session}, {key} (the client key's id), {adminKey} and {operatorKey} with this party's ids.</summary>
        [return: NotNullIfNotNull(nameof(template))]
        public string? Resolve(string? template) => template?
            .Replace("{tenant}", TenantId, StringComparison.Ordinal)
            .Replace("{license}", LicenseId, StringComparison.Ordinal)
            .Replace("{session}", SessionId, StringComparison.Ordinal)
            .Replace("{key}", ClientKeyId, StringComparison.Ordinal)
            .Replace("{adminKey}", AdminKeyId, StringComparison.Ordinal)
            .Replace("{operatorKey}", OperatorKeyId, StringComparison.Ordinal);
    }
}
