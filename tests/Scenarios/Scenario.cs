using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Scenarios.Tests;

/// <summary>
/// What the scenarios do over and over, in the words of an application and an operator: a tenant
/// whose license takes its policy from <c>examples/</c>, sign-ins, heartbeats, sign-offs and checks.
/// Everything goes through the public HTTP API; nothing reaches into the server.
/// </summary>
internal static class Scenario
{
    /// <summary>The policy of <c>examples/{name}.json</c>, exactly as the file says it.</summary>
    public static JsonElement Policy(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepoPaths.Of("examples", name + ".json")));
        return document.RootElement.Clone();
    }

    /// <summary>
    /// A tenant in <paramref name="timeZone"/> with a license of <paramref name="seats"/> seats whose
    /// policy is posted from <c>examples/{example}.json</c>, an admin key and an application key.
    /// </summary>
    public static async Task<Tenancy> TenantWithLicenseAsync(this TestHost host, string name, string timeZone, string product,
        int seats, string example)
    {
        var tenantId = await host.CreateTenantAsync(name, timeZone);
        var license = await host.Operator.PostAsync("/v1/licenses",
            new { tenantId, product, seats, policy = Policy(example) }, HttpStatusCode.Created);
        return new Tenancy(tenantId, license.Str("id"),
            host.Client(await host.CreateKeyAsync(tenantId, "admin")),
            host.Client(await host.CreateKeyAsync(tenantId, "client")));
    }

    /// <summary>The operator creates a connection (a remote-desktop login, say) with an access plan preset or document.</summary>
    public static async Task<string> CreateConnectionAsync(this TestHost host, string tenantId, string name, object accessPlan,
        string? email = null)
    {
        var body = new Dictionary<string, object> { ["tenantId"] = tenantId, ["name"] = name, ["accessPlan"] = accessPlan };
        if (email is not null)
            body["email"] = email;
        return (await host.Operator.PostAsync("/v1/connections", body, HttpStatusCode.Created)).Str("id");
    }

    /// <summary>
    /// An application asks for a session: <c>POST /v1/sessions</c> with only the fields given
    /// (connection, e-mail and SSO are left out unless named).
    /// </summary>
    public static Task<JsonElement> SignInAsync(this HttpClient app, string licenseId, string user, string device, string client,
        HttpStatusCode expected = HttpStatusCode.Created, string? connection = null, string? email = null, bool? sso = null,
        string? idempotencyKey = null)
    {
        var body = new Dictionary<string, object>
        {
            ["licenseId"] = licenseId,
            ["user"] = user,
            ["device"] = device,
            ["client"] = client,
        };
        if (connection is not null)
            body["connection"] = connection;
        if (email is not null)
            body["email"] = email;
        if (sso is not null)
            body["sso"] = sso.Value;
        return app.PostAsync("/v1/sessions", body, expected,
            idempotencyKey is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey });
    }

    public static Task<JsonElement> HeartbeatAsync(this HttpClient app, JsonElement session, bool active = true,
        HttpStatusCode expected = HttpStatusCode.OK) =>
        app.PostAsync($"/v1/sessions/{session.Str("id")}/heartbeat", new { active }, expected);

    /// <summary>The session has ended: its next heartbeat answers 410 with this reason.</summary>
    public static async Task ShouldHaveEndedAsync(this HttpClient app, JsonElement session, string reason)
    {
        var gone = await app.HeartbeatAsync(session, expected: HttpStatusCode.Gone);
        gone.Str("code").ShouldBe("session_ended");
        gone.Str("reason").ShouldBe(reason, $"session of {session.Str("user")} on {session.Str("client")}");
    }

    public static Task SignOffAsync(this HttpClient app, JsonElement session) =>
        app.DeleteAsync($"/v1/sessions/{session.Str("id")}", HttpStatusCode.NoContent);

    public static Task<JsonElement> CheckAsync(this HttpClient app, string licenseId, string user, string client) =>
        app.PostAsync("/v1/checks", new { licenseId, user, client }, HttpStatusCode.OK);

    /// <summary>
    /// Lets <paramref name="total"/> pass on the fake clock in steps of at most <paramref name="step"/>,
    /// with the given sessions heart-beating (the user at work) after each step.
    /// </summary>
    public static async Task PassTimeAsync(this TestHost host, HttpClient app, TimeSpan total, TimeSpan step, bool active,
        params JsonElement[] working)
    {
        for (var passed = TimeSpan.Zero; passed < total;)
        {
            var next = total - passed < step ? total - passed : step;
            host.Clock.Advance(next);
            passed += next;
            foreach (var session in working)
                await app.HeartbeatAsync(session, active);
        }
    }

    /// <summary>
    /// A quiet stretch passes (a night, a weekend, weeks to an end date) with no client running:
    /// the clock is set to a minute before <paramref name="until"/>, then advanced through the last
    /// minute so the server's timers (the reaper) fire. Advancing days in one go would fire every
    /// periodic timer on the fake clock once per period (Kestrel's one-second heartbeat alone runs
    /// 86,400 times per fake day, about 1.5 s of real time) for an outcome that is the same: every
    /// answer is computed as of now, and ends are dated when they were due.
    /// </summary>
    public static void LetQuietTimePassUntil(this TestHost host, DateTimeOffset until)
    {
        var lastMinute = TimeSpan.FromMinutes(1);
        var now = host.Clock.GetUtcNow();
        (until > now).ShouldBeTrue($"the story only moves forward: {until} is not after {now}");
        if (until - now > lastMinute)
            host.Clock.AdjustTime(until - lastMinute);
        host.Clock.Advance(until - host.Clock.GetUtcNow());
    }

    public static void LetQuietTimePass(this TestHost host, TimeSpan span) => host.LetQuietTimePassUntil(host.Clock.GetUtcNow() + span);

    public static async Task<JsonElement> LicenseAsync(this Tenancy tenancy) =>
        await tenancy.Admin.GetJsonAsync($"/v1/licenses/{tenancy.LicenseId}");

    /// <summary>The admin's list of who holds seats now.</summary>
    public static async Task<JsonElement[]> ActiveSessionsAsync(this Tenancy tenancy) =>
        [.. (await tenancy.Admin.GetJsonAsync($"/v1/sessions?licenseId={tenancy.LicenseId}")).GetProperty("items").EnumerateArray()];

    /// <summary>The codes of the warnings an answer carries (none when it has no <c>warnings</c>).</summary>
    public static string[] WarningCodes(this JsonElement answer) =>
        answer.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == JsonValueKind.Array
            ? [.. warnings.EnumerateArray().Select(w => w.Str("code"))]
            : [];

    /// <summary>The one warning with <paramref name="code"/> an answer carries.</summary>
    public static JsonElement Warning(this JsonElement answer, string code) =>
        answer.GetProperty("warnings").EnumerateArray().Single(w => w.Str("code") == code);

    public static DateTimeOffset Time(this JsonElement element, string property) => element.GetProperty(property).GetDateTimeOffset();
}
