using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.BadInput;

/// <summary>
/// Every endpoint with a body, fed what a careless or hostile client sends: each answer is 400
/// problem+json whose <c>code</c> and <c>field</c> name the fault, and the refused request
/// changed nothing (no tenant, license or key made, no seat taken, no heartbeat counted).
/// </summary>
public sealed partial class BadInputTests : HostedTests
{
    private const string Tenants = "/v1/tenants";
    private const string Licenses = "/v1/licenses";
    private const string ApiKeys = "/v1/api-keys";
    private const string Sessions = "/v1/sessions";
    private const string Heartbeat = "/v1/sessions/{session}/heartbeat";
    private const string Checks = "/v1/checks";

    [Theory]
    [InlineData(Tenants, "{not json", "body")]
    [InlineData(Tenants, """{"name":"Acme",""", "body")]
    [InlineData(Tenants, """{'name':'Acme','timeZone':'Europe/Berlin'}""", "body")]
    [InlineData(Tenants, """{"name":"Acme","timeZone":"Europe/Berlin"} trailing""", "body")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":2,}""", "body")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":0x10}""", "seats")]
    [InlineData(ApiKeys, "{role:client}", "body")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"alice" "device":"pc"}""", "body")]
    [InlineData(Heartbeat, "{oops", "body")]
    [InlineData(Checks, "not json at all", "body")]
    public async Task MalformedJson_IsRefused_NamingTheBody_OrTheValueThatBrokeIt(string path, string body, string field)
    {
        var problem = await RefusedAsync("POST", path, body, field);

        problem.Str("detail").ShouldStartWith("The body is not valid JSON");
    }

    [Theory]
    [InlineData(Tenants, "null")]
    [InlineData(Tenants, "[]")]
    [InlineData(Licenses, "42")]
    [InlineData(ApiKeys, "\"client\"")]
    [InlineData(Sessions, "[{}]")]
    [InlineData(Heartbeat, "true")]
    [InlineData(Checks, "null")]
    public async Task BodyThatIsNotAnObject_IsRefused_NamingTheBody(string path, string body) =>
        await RefusedAsync("POST", path, body, "body");

    [Theory]
    [InlineData(Tenants)]
    [InlineData(Licenses)]
    [InlineData(ApiKeys)]
    [InlineData(Sessions)]
    [InlineData(Checks)]
    public async Task MissingBody_IsRefused_NamingTheBody(string path) =>
        await RefusedAsync("POST", path, null, "body");

    [Theory]
    [InlineData(Tenants, """{"name":"Acme","timeZone":"Europe/Berlin"}""")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":"pc","client":"desktop"}""")]
    [InlineData(Checks, """{"licenseId":"{license}","user":"bob","client":"desktop"}""")]
    public async Task JsonSentAsPlainText_IsRefusedAsUnsupportedMediaType(string path, string body)
    {
        var world = await CreateWorldAsync();
        var before = await Host.SnapshotAsync();
        using var client = ClientFor(path, world);

        var reply = await client.SendRawAsync(HttpMethod.Post, world.Expand(path), world.Expand(body), contentType: "text/plain");

        reply.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await Host.ShouldBeUnchangedSinceAsync(before, $"text/plain body on {path}");
    }

    [Theory]
    [InlineData(Tenants, """{"name":5,"timeZone":"Europe/Berlin"}""", "name")]
    [InlineData(Tenants, """{"name":"Acme","timeZone":["Europe/Berlin"]}""", "timeZone")]
    [InlineData(Licenses, """{"tenantId":7,"product":"cad","seats":2}""", "tenantId")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":true,"seats":2}""", "product")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":"many"}""", "seats")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":1.5}""", "seats")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":true}""", "seats")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":[2]}""", "seats")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":2,"policy":"strict"}""", "policy")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":2,"policy":{"seatKey":1}}""", "policy.seatKey")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":2,"policy":{"clientTypes":["web"]}}""", "policy.clientTypes")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":2,"policy":{"clientTypes":{"web":{"ttlSeconds":"x"}}}}""", "policy.clientTypes.web.ttlSeconds")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":2,"policy":{"clientTypes":{"web":{"weight":1.5}}}}""", "policy.clientTypes.web.weight")]
    [InlineData(ApiKeys, """{"tenantId":"{tenant}","role":1}""", "role")]
    [InlineData(ApiKeys, """{"tenantId":"{tenant}","role":"client","name":{}}""", "name")]
    [InlineData(ApiKeys, """{"tenantId":["{tenant}"],"role":"client"}""", "tenantId")]
    [InlineData(Sessions, """{"licenseId":1,"user":"bob","device":"pc","client":"desktop"}""", "licenseId")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":{"name":"bob"},"device":"pc","client":"desktop"}""", "user")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":false,"client":"desktop"}""", "device")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":"pc","client":2}""", "client")]
    [InlineData(Heartbeat, """{"active":"yes"}""", "active")]
    [InlineData(Heartbeat, """{"active":1}""", "active")]
    [InlineData(Checks, """{"licenseId":"{license}","user":1,"client":"desktop"}""", "user")]
    public async Task WrongType_IsRefused_NamingTheField(string path, string body, string field) =>
        await RefusedAsync("POST", path, body, field);

    [Theory]
    [InlineData(Tenants, """{"name":"Acme","timeZone":"Europe/Berlin","plan":"gold"}""", "plan")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":2,"expires":"2030-01-01"}""", "expires")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":2,"policy":{"maxSeats":9}}""", "policy.maxSeats")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":2,"policy":{"clientTypes":{"web":{"color":"red"}}}}""", "policy.clientTypes.web.color")]
    [InlineData(ApiKeys, """{"tenantId":"{tenant}","role":"client","scope":"all"}""", "scope")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":"pc","client":"desktop","seats":2}""", "seats")]
    [InlineData(Heartbeat, """{"active":true,"idle":false}""", "idle")]
    [InlineData(Checks, """{"licenseId":"{license}","user":"bob","client":"desktop","device":"pc"}""", "device")]
    public async Task UnknownField_IsRefused_NamingTheField(string path, string body, string field) =>
        await RefusedAsync("POST", path, body, field);

    [Theory]
    [InlineData(Tenants, "{}", "name")]
    [InlineData(Tenants, """{"name":"Acme"}""", "timeZone")]
    [InlineData(Tenants, """{"timeZone":"Europe/Berlin"}""", "name")]
    [InlineData(Tenants, """{"name":null,"timeZone":"Europe/Berlin"}""", "name")]
    [InlineData(Licenses, """{"product":"cad","seats":2}""", "tenantId")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","seats":2}""", "product")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad"}""", "seats")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad","seats":null}""", "seats")]
    [InlineData(ApiKeys, """{"tenantId":"{tenant}"}""", "role")]
    [InlineData(ApiKeys, """{"role":"client"}""", "tenantId")]
    [InlineData(ApiKeys, """{"role":"admin"}""", "tenantId")]
    [InlineData(Sessions, """{"user":"bob","device":"pc","client":"desktop"}""", "licenseId")]
    [InlineData(Sessions, """{"licenseId":"{license}","device":"pc","client":"desktop"}""", "user")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","client":"desktop"}""", "device")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":"pc"}""", "client")]
    [InlineData(Checks, """{"user":"bob","client":"desktop"}""", "licenseId")]
    [InlineData(Checks, """{"licenseId":"{license}","client":"desktop"}""", "user")]
    [InlineData(Checks, """{"licenseId":"{license}","user":"bob"}""", "client")]
    public async Task MissingRequiredField_IsRefused_NamingTheField(string path, string body, string field) =>
        await RefusedAsync("POST", path, body, field);

    [Theory]
    [InlineData(Tenants, "name", "timeZone")]
    [InlineData(Licenses, "tenantId", "product", "seats")]
    [InlineData(Sessions, "licenseId", "user", "device", "client")]
    [InlineData(Checks, "licenseId", "user", "client")]
    public async Task EmptyObject_ListsEveryMissingField(string path, params string[] fields)
    {
        var problem = await RefusedAsync("POST", path, "{}", fields[0]);

        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldBe(fields, ignoreOrder: true);
    }

    [Theory]
    [InlineData("""{"tenantId":"{tenant}","role":"superuser"}""", "role")]
    [InlineData("""{"tenantId":"{tenant}","role":"root"}""", "role")]
    [InlineData("""{"tenantId":"{tenant}","role":"operator"}""", "tenantId")]
    [InlineData("""{"tenantId":"{tenant}","role":null}""", "role")]
    public async Task InvalidRole_OrTenantForAnOperatorKey_IsRefused(string body, string field) =>
        await RefusedAsync("POST", ApiKeys, body, field);

    [Theory]
    [InlineData(Tenants, """{"name":"","timeZone":"Europe/Berlin"}""", "name")]
    [InlineData(Tenants, """{"name":"   ","timeZone":"Europe/Berlin"}""", "name")]
    [InlineData(Tenants, """{"name":"Acme","timeZone":""}""", "timeZone")]
    [InlineData(Licenses, """{"tenantId":"","product":"cad","seats":2}""", "tenantId")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":" ","seats":2}""", "product")]
    [InlineData(ApiKeys, """{"tenantId":"{tenant}","role":""}""", "role")]
    [InlineData(ApiKeys, """{"tenantId":"{tenant}","role":"client","name":""}""", "name")]
    [InlineData(ApiKeys, """{"tenantId":"{tenant}","role":"client","name":"  "}""", "name")]
    [InlineData(Sessions, """{"licenseId":"","user":"bob","device":"pc","client":"desktop"}""", "licenseId")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"","device":"pc","client":"desktop"}""", "user")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":"\t","client":"desktop"}""", "device")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":"pc","client":""}""", "client")]
    [InlineData(Checks, """{"licenseId":"{license}","user":" ","client":"desktop"}""", "user")]
    [InlineData(Checks, """{"licenseId":"{license}","user":"bob","client":""}""", "client")]
    public async Task EmptyOrBlankString_IsRefused_NamingTheField(string path, string body, string field) =>
        await RefusedAsync("POST", path, body, field);

    [Theory]
    [InlineData(Tenants, """{"name":"{long:201}","timeZone":"Europe/Berlin"}""", "name")]
    [InlineData(Tenants, """{"name":"Acme","timeZone":"{long:65}"}""", "timeZone")]
    [InlineData(Licenses, """{"tenantId":"{long:65}","product":"cad","seats":2}""", "tenantId")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"{long:101}","seats":2}""", "product")]
    [InlineData(ApiKeys, """{"tenantId":"{tenant}","role":"client","name":"{long:101}"}""", "name")]
    [InlineData(Sessions, """{"licenseId":"{long:65}","user":"bob","device":"pc","client":"desktop"}""", "licenseId")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"{long:257}","device":"pc","client":"desktop"}""", "user")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":"{long:257}","client":"desktop"}""", "device")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":"pc","client":"{long:33}"}""", "client")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"{long:30000}","device":"pc","client":"desktop"}""", "user")]
    [InlineData(Checks, """{"licenseId":"{long:65}","user":"bob","client":"desktop"}""", "licenseId")]
    [InlineData(Checks, """{"licenseId":"{license}","user":"{long:257}","client":"desktop"}""", "user")]
    [InlineData(Checks, """{"licenseId":"{license}","user":"bob","client":"{long:33}"}""", "client")]
    public async Task OverLongString_IsRefused_NamingTheField(string path, string body, string field) =>
        await RefusedAsync("POST", path, body, field);

    [Theory]
    [InlineData(Tenants, """{"name":"{long:200}","timeZone":"Europe/Berlin"}""")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"{long:100}","seats":2}""")]
    [InlineData(ApiKeys, """{"tenantId":"{tenant}","role":"client","name":"{long:100}"}""")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"{long:256}","device":"{long:256}","client":"desktop"}""")]
    public async Task StringAtItsLimit_IsAccepted(string path, string body)
    {
        var world = await CreateWorldAsync();
        using var client = ClientFor(path, world);

        var reply = await client.SendRawAsync(HttpMethod.Post, world.Expand(path), world.Expand(body));

        reply.StatusCode.ShouldBe(201, reply.ToString());
    }

    [Theory]
    [InlineData(Tenants, """{"name":"Acme\u0000","timeZone":"Europe/Berlin"}""", "name")]
    [InlineData(Licenses, """{"tenantId":"{tenant}","product":"cad\r\nX-Injected: 1","seats":2}""", "product")]
    [InlineData(ApiKeys, """{"tenantId":"{tenant}","role":"client","name":"ci\u001b[31m"}""", "name")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob\nadmin","device":"pc","client":"desktop"}""", "user")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":"pc\u0007","client":"desktop"}""", "device")]
    [InlineData(Checks, """{"licenseId":"{license}","user":"bob\u0085","client":"desktop"}""", "user")]
    public async Task ControlCharacters_AreRefused_NamingTheField(string path, string body, string field) =>
        await RefusedAsync("POST", path, body, field);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-2147483648")]
    [InlineData("1000001")]
    [InlineData("2147483647")]
    public async Task SeatsOutOfRange_AreRefused(string seats) =>
        await RefusedAsync("POST", Licenses, $$"""{"tenantId":"{tenant}","product":"cad","seats":{{seats}}}""", "seats");

    [Theory]
    [InlineData("2147483648")]
    [InlineData("1e3")]
    [InlineData("99999999999999999999")]
    public async Task SeatsThatAreNoInt32_AreRefusedAsWrongType(string seats) =>
        await RefusedAsync("POST", Licenses, $$"""{"tenantId":"{tenant}","product":"cad","seats":{{seats}}}""", "seats");

    [Theory]
    [InlineData(1)]
    [InlineData(1_000_000)]
    public async Task SeatsAtTheLimits_AreAccepted(int seats)
    {
        var world = await CreateWorldAsync();

        var created = await Host.Operator.PostAsync(Licenses, new { tenantId = world.TenantId, product = "cad", seats }, HttpStatusCode.Created);

        created.Int("seats").ShouldBe(seats);
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("Europe/Atlantis")]
    [InlineData("GMT+99")]
    [InlineData("../../etc/localtime")]
    [InlineData("Europe/Berlin ; DROP TABLE tenants")]
    public async Task UnknownTimeZone_IsRefused(string timeZone) =>
        await RefusedAsync("POST", Tenants, JsonSerializer.Serialize(new { name = "Acme", timeZone }), "timeZone");

    [Theory]
    [InlineData("""{"seatKey":"team"}""", "policy.seatKey")]
    [InlineData("""{"seatKey":""}""", "policy.seatKey")]
    [InlineData("""{"clientTypes":{}}""", "policy.clientTypes")]
    [InlineData("""{"clientTypes":{"web":{"ttlSeconds":1}}}""", "policy.clientTypes.web.ttlSeconds")]
    [InlineData("""{"clientTypes":{"web":{"ttlSeconds":604801}}}""", "policy.clientTypes.web.ttlSeconds")]
    [InlineData("""{"clientTypes":{"web":{"weight":0}}}""", "policy.clientTypes.web.weight")]
    [InlineData("""{"clientTypes":{"web":{"weight":10001}}}""", "policy.clientTypes.web.weight")]
    [InlineData("""{"clientTypes":{"web":{"idleTimeoutSeconds":-1}}}""", "policy.clientTypes.web.idleTimeoutSeconds")]
    [InlineData("""{"clientTypes":{"web":{"consumption":"free"}}}""", "policy.clientTypes.web.consumption")]
    [InlineData("""{"clientTypes":{"web":{"denialCode":"No Seat!"}}}""", "policy.clientTypes.web.denialCode")]
    [InlineData("""{"clientTypes":{"web":{"denialMessage":""}}}""", "policy.clientTypes.web.denialMessage")]
    [InlineData("""{"clientTypes":{"web":{"denialMessage":"{long:501}"}}}""", "policy.clientTypes.web.denialMessage")]
    [InlineData("""{"clientTypes":{"Web!":{}}}""", "policy.clientTypes.Web!")]
    [InlineData("""{"defaultClientType":"toaster"}""", "policy.defaultClientType")]
    [InlineData("""{"clientTypes":{"desktop":{}},"defaultClientType":"web"}""", "policy.defaultClientType")]
    public async Task InvalidPolicy_IsRefused_NamingThePolicyField(string policy, string field) =>
        await RefusedAsync("POST", Licenses, $$"""{"tenantId":"{tenant}","product":"cad","seats":2,"policy":{{policy}}}""", field);

    [Fact]
    public async Task TooManyClientTypes_AreRefused()
    {
        var types = string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"t{i}\":{{}}"));

        await RefusedAsync("POST", Licenses, """{"tenantId":"{tenant}","product":"cad","seats":2,"policy":{"clientTypes":{""" + types + "}}}",
            "policy.clientTypes");
    }

    [Theory]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":"pc","client":"toaster"}""")]
    [InlineData(Sessions, """{"licenseId":"{license}","user":"bob","device":"pc","client":"mobile"}""")]
    [InlineData(Checks, """{"licenseId":"{license}","user":"bob","client":"toaster"}""")]
    public async Task UnknownClientType_IsRefused_AndTakesNoSeat(string path, string body)
    {
        var problem = await RefusedAsync("POST", path, body, "client", code: "unknown_client_type");

        problem.Str("detail").ShouldContain("desktop, web");
    }

    [Fact]
    public async Task ClientTypeTheLicenseDoesNotName_IsUnknown_EvenIfItIsADefaultName()
    {
        var world = await CreateWorldAsync();
        var licenseId = await Host.CreateLicenseAsync(world.TenantId, seats: 2, policy: new { clientTypes = new { desktop = new { } } });
        using var client = Host.Client(world.ClientKey);
        var before = await Host.SnapshotAsync();

        var reply = await client.SendRawAsync(HttpMethod.Post, Sessions, new { licenseId, user = "bob", device = "pc", client = "web" });

        reply.ShouldBeProblem(HttpStatusCode.BadRequest, "unknown_client_type", "client");
        await Host.ShouldBeUnchangedSinceAsync(before, "checkout with a client type the license does not name");
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("{long:256}")]
    [InlineData("tab\there")]
    [InlineData("del\u007fkey")]
    public async Task BadIdempotencyKey_IsRefused_NamingTheHeader(string key)
    {
        var world = await CreateWorldAsync();
        await RefusedAsync("POST", Sessions, """{"licenseId":"{license}","user":"bob","device":"pc","client":"desktop"}""", "Idempotency-Key",
            headers: new Dictionary<string, string> { ["Idempotency-Key"] = world.Expand(key) }, world: world);
    }

    [Fact]
    public async Task EmptyIdempotencyKey_IsRefused_NamingTheHeader() =>
        await RefusedAsync("POST", Sessions, """{"licenseId":"{license}","user":"bob","device":"pc","client":"desktop"}""", "Idempotency-Key",
            headers: new Dictionary<string, string> { ["Idempotency-Key"] = "" });

    [Fact]
    public async Task IdempotencyKeyAtItsLimit_IsAccepted()
    {
        var world = await CreateWorldAsync();
        using var client = Host.Client(world.ClientKey);

        await client.CheckoutAsync(world.LicenseId, "bob", idempotencyKey: new string('k', 255));
    }

    [Theory]
    [InlineData("POST", Licenses, """{"tenantId":"ten_AAAAAAAAAAAAAAAAAAAAAA","product":"cad","seats":2}""", "tenantId")]
    [InlineData("POST", ApiKeys, """{"tenantId":"ten_AAAAAAAAAAAAAAAAAAAAAA","role":"client"}""", "tenantId")]
    [InlineData("POST", Sessions, """{"licenseId":"lic_AAAAAAAAAAAAAAAAAAAAAA","user":"bob","device":"pc","client":"desktop"}""", "licenseId")]
    [InlineData("POST", Checks, """{"licenseId":"lic_AAAAAAAAAAAAAAAAAAAAAA","user":"bob","client":"desktop"}""", "licenseId")]
    [InlineData("GET", "/v1/sessions?licenseId=lic_AAAAAAAAAAAAAAAAAAAAAA", null, "licenseId")]
    [InlineData("GET", "/v1/tenants/ten_AAAAAAAAAAAAAAAAAAAAAA", null, null)]
    [InlineData("GET", "/v1/licenses/lic_AAAAAAAAAAAAAAAAAAAAAA", null, null)]
    [InlineData("DELETE", "/v1/api-keys/key_AAAAAAAAAAAAAAAAAAAAAA", null, null)]
    [InlineData("GET", "/v1/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA", null, null)]
    [InlineData("POST", "/v1/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA/heartbeat", """{"active":true}""", null)]
    [InlineData("DELETE", "/v1/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA", null, null)]
    [InlineData("POST", "/v1/sessions/ses_AAAAAAAAAAAAAAAAAAAAAA/stop", null, null)]
    [InlineData("GET", "/v1/licenses/{session}", null, null)]
    [InlineData("GET", "/v1/sessions/{license}", null, null)]
    [InlineData("POST", Sessions, """{"licenseId":"{tenant}","user":"bob","device":"pc","client":"desktop"}""", "licenseId")]
    public async Task UnknownId_IsNotFound(string method, string path, string? body, string? field)
    {
        var problem = await RefusedAsync(method, path, body, field, HttpStatusCode.NotFound, "not_found", asOperator: true);

        problem.FieldOf().ShouldBe(field);
    }

    [Theory]
    [InlineData("GET", "/v1/nope", true)]
    [InlineData("GET", "/v1/nope", false)]
    [InlineData("GET", "/nope", false)]
    [InlineData("GET", "/v2/tenants", true)]
    [InlineData("POST", "/v1/sessions/{session}/pause", true)]
    [InlineData("GET", "/v1/tenants/{tenant}/licenses", true)]
    public async Task UnknownRoute_IsNotFound_AsProblemJson(string method, string path, bool withKey)
    {
        var world = await CreateWorldAsync();
        using var client = withKey ? Host.Client(TestHost.OperatorKey) : Host.Client();

        var reply = await client.SendRawAsync(new HttpMethod(method), world.Expand(path), method == "POST" ? "{}" : null);

        reply.ShouldBeProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("PUT", Tenants)]
    [InlineData("PUT", "/v1/licenses/{license}")]
    [InlineData("DELETE", "/v1/tenants/{tenant}")]
    [InlineData("GET", "/v1/sessions/{session}/heartbeat")]
    public async Task WrongMethod_IsMethodNotAllowed_AsProblemJson(string method, string path)
    {
        var world = await CreateWorldAsync();
        var before = await Host.SnapshotAsync();

        var reply = await Host.Operator.SendRawAsync(new HttpMethod(method), world.Expand(path), method is "PUT" or "PATCH" ? "{}" : null);

        reply.ShouldBeProblem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        await Host.ShouldBeUnchangedSinceAsync(before, $"{method} {path}");
    }

    /// <summary>
    /// Sends one bad request in a fresh world (or <paramref name="world"/>) with the key the
    /// endpoint is meant for, asserts the problem, and that the server's state did not move.
    /// </summary>
    private async Task<JsonElement> RefusedAsync(string method, string path, string? body, string? field,
        HttpStatusCode status = HttpStatusCode.BadRequest, string code = "invalid_request", IDictionary<string, string>? headers = null,
        bool asOperator = false, World? world = null)
    {
        world ??= await CreateWorldAsync();
        using var client = asOperator ? Host.Client(TestHost.OperatorKey) : ClientFor(path, world);
        var before = await Host.SnapshotAsync();

        var reply = await client.SendRawAsync(new HttpMethod(method), world.Expand(path), world.Expand(body), headers);

        reply.ShouldBeProblem(status, code, field);
        await Host.ShouldBeUnchangedSinceAsync(before, $"{method} {path} {body}");
        using var admin = Host.Client(world.AdminKey);
        (await admin.GetJsonAsync($"/v1/licenses/{world.LicenseId}")).Int("seatsInUse").ShouldBe(1);
        return reply.Body;
    }

    /// <summary>Tenants, licenses and keys are made by the operator; sessions and checks by the application's client key.</summary>
    private HttpClient ClientFor(string path, World world) =>
        path.StartsWith(Sessions, StringComparison.Ordinal) || path.StartsWith(Checks, StringComparison.Ordinal)
            ? Host.Client(world.ClientKey)
            : Host.Client(TestHost.OperatorKey);

    /// <summary>A tenant with a 2-seat license, admin and client keys, and alice's session holding one seat; then a minute passes.</summary>
    private async Task<World> CreateWorldAsync()
    {
        var tenantId = await Host.CreateTenantAsync();
        var licenseId = await Host.CreateLicenseAsync(tenantId, seats: 2);
        var adminKey = await Host.CreateKeyAsync(tenantId, "admin");
        var clientKey = await Host.CreateKeyAsync(tenantId, "client");
        using var app = Host.Client(clientKey);
        var session = await app.CheckoutAsync(licenseId, "alice");
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        return new World(tenantId, licenseId, adminKey, clientKey, session.Str("id"));
    }

    private sealed partial record World(string TenantId, string LicenseId, string AdminKey, string ClientKey, string SessionId)
    {
        /// <summary>Fills {tenant}, {license} and {session} with this world's ids, and {long:N} with N letters.</summary>
        [return: NotNullIfNotNull(nameof(template))]
        public string? Expand(string? template) => template is null
            ? null
            : LongPattern().Replace(template, m => new string('x', int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
                .Replace("{tenant}", TenantId, StringComparison.Ordinal)
                .Replace("{license}", LicenseId, StringComparison.Ordinal)
                .Replace("{session}", SessionId, StringComparison.Ordinal);

        [GeneratedRegex(@"\{long:(\d+)\}")]
        private static partial Regex LongPattern();
    }
}
