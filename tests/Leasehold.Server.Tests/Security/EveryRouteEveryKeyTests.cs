using System.Text;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Security;

/// <summary>
/// The boundaries of every route the server maps (read from its endpoint table, so a route added
/// later is probed by itself), with tenant A's real objects in every parameter: no key, wrong keys
/// and revoked keys are 401; a role the roles table (docs/api.md) does not give is 403; another
/// tenant's key answers exactly as for ids of nobody and sees nothing of A; a client key without
/// the session's token is 403 <c>session_token_invalid</c>. Every refusal is problem+json with a
/// <c>code</c>, and leaves every row of every table as it was.
/// </summary>
public sealed class EveryRouteEveryKeyTests : IAsyncLifetime
{
    private SecurityWorld _world = null!;
    private readonly List<string> _failures = [];
    private string _snapshot = "";

    public async Task InitializeAsync() => _world = await SecurityWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private TestHost Host => _world.Host;
    private Party A => _world.A;
    private Party B => _world.B;

    [Fact]
    public void EveryRoute_HasARule_OrIsPublicOnPurpose()
    {
        var mapped = ApiRoutes.Mapped(Host);
        var names = mapped.Select(m => m.Name).ToHashSet();
        foreach (var (name, endpoint, _) in mapped)
        {
            var path = name[(name.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            if (path == ApiRoutes.ConsolePrefix || path.StartsWith(ApiRoutes.ConsolePrefix + "/", StringComparison.Ordinal))
                continue; // the console: its own cookie, its own tests (see ApiRoutes.ConsolePrefix)
            if (ApiRoutes.Public.ContainsKey(name))
            {
                if (!ApiRoutes.IsAnonymous(endpoint))
                    _failures.Add($"{name} is listed as public but requires a key: take it off the list");
            }
            else if (ApiRoutes.Rules.TryGetValue(name, out var rule))
            {
                var enforced = ApiRoutes.RolesOfPolicies(endpoint);
                if (enforced != rule)
                    _failures.Add($"{name}: docs/api.md gives it to {rule}, its endpoint's policy lets in {enforced}");
            }
            else
            {
                _failures.Add($"{name} has no rule: add who may call it to ApiRoutes.Rules (and docs/api.md), or, if it needs no key, to ApiRoutes.Public with why");
            }
        }
        foreach (var stale in ApiRoutes.Rules.Keys.Concat(ApiRoutes.Public.Keys).Concat(RouteSamples.Listed).Where(r => !names.Contains(r)))
            _failures.Add($"{stale} is in the suite's tables but the server maps no such route");

        ShouldHaveNoFailures("routes without a rule");
        ApiRoutes.Api(Host).Count.ShouldBeGreaterThan(40, "the enumeration found the API's routes");
    }

    [Fact]
    public async Task EveryRoute_RefusesNoKey_WrongKeys_AndRevokedKeys_Unauthorized_ChangingNothing()
    {
        string?[] credentials =
        [
            null,
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + TestHost.OperatorKey)),
            "Bearer",
            .. _world.Revoked.Values.Select(SecurityWorld.Bearer),
        ];
        // Keys of the right shape that no SHA-256 finds each cost the server a slow hash, one at a time
        // (it could be the human-chosen operator key: docs/security.md, Stored secrets), ~0.4 s here:
        // each route gets one of them, in turn, rather than all four.
        string[] unknown =
        [
            "Bearer lh_this-key-was-never-issued-0123456789",
            SecurityWorld.Bearer(A.AdminKey + "x"),
            SecurityWorld.Bearer(A.AdminKey[..^1]),
            SecurityWorld.Bearer(A.SessionToken), // a session's token is no API key
        ];
        _snapshot = await DatabaseSnapshot.TakeAsync(Host);

        var routes = ApiRoutes.Api(Host);
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            var (url, body) = RouteSamples.For(route, A);
            foreach (var credential in credentials.Append(unknown[i % unknown.Length]))
            {
                var probe = await _world.SendAsync(credential ?? "no key", credential, route.Method, url, body);
                ExpectProblem(probe, 401, "unauthorized");
                await ExpectUnchangedAsync(probe);
            }
        }

        ShouldHaveNoFailures("unauthorized probes");
    }

    [Fact]
    public async Task EveryRoute_RefusesEveryRoleTheRolesTableDoesNotGiveIt_Forbidden_ChangingNothing()
    {
        _snapshot = await DatabaseSnapshot.TakeAsync(Host);
        var probes = 0;
        foreach (var route in ApiRoutes.Api(Host))
        {
            var (url, body) = RouteSamples.For(route, A);
            foreach (var (who, role, key) in TenantKeys())
            {
                if (route.MayCall.HasFlag(role))
                    continue;
                var probe = await _world.SendAsync(who, SecurityWorld.Bearer(key), route.Method, url, body);
                ExpectProblem(probe, 403, "forbidden");
                await ExpectUnchangedAsync(probe);
                probes++;
            }
        }

        ShouldHaveNoFailures("forbidden probes");
        probes.ShouldBeGreaterThan(100);
    }

    [Fact]
    public async Task EveryRoute_AnswersAnotherTenantsKey_ExactlyAsForIdsOfNobody_ShowingAndChangingNothingOfTheTenant()
    {
        _snapshot = await DatabaseSnapshot.TakeAsync(Host);
        var compared = 0;
        foreach (var route in ApiRoutes.Api(Host))
        {
            foreach (var (who, role, key) in TenantKeys().Where(k => k.Who.StartsWith("B ", StringComparison.Ordinal)))
            {
                if (!route.MayCall.HasFlag(role))
                    continue; // the forbidden test
                var (url, body) = RouteSamples.For(route, A);
                var probe = await _world.SendAsync(who, SecurityWorld.Bearer(key), route.Method, url, body);
                ExpectNoServerError(probe);
                ExpectNothingOf(A, probe);
                if (!RouteSamples.NamesObjects(route))
                {
                    // Nothing of A named (B's own lists, B's installation fetching its own file): what it answers is B's.
                    if (route.Method == "GET" || probe.Status >= 400)
                        await ExpectUnchangedAsync(probe);
                    else
                        _snapshot = await DatabaseSnapshot.TakeAsync(Host);
                    continue;
                }
                if (probe.Status is >= 200 and < 300 && route.Method != "GET")
                    _failures.Add($"{probe}\n   tenant B's key acted on tenant A's objects");
                await ExpectUnchangedAsync(probe);

                var (nobodyUrl, nobodyBody) = RouteSamples.For(route, Party.Nobody);
                var unknown = await _world.SendAsync(who, SecurityWorld.Bearer(key), route.Method, nobodyUrl, nobodyBody);
                await ExpectUnchangedAsync(unknown);
                if (probe.Status != unknown.Status || SecurityWorld.WithoutTraceId(probe.Text) != SecurityWorld.WithoutTraceId(unknown.Text))
                    _failures.Add($"{probe}\n   tells tenant A's ids from ids of nobody:\n   {unknown}");
                if (route.NamesAnObject && probe.Status != 404)
                    _failures.Add($"{probe}\n   another tenant's object in the path must be 404 not_found, as an unknown id");
                if (probe.Status == 404)
                    ExpectProblem(probe, 404, "not_found");
                compared++;
            }
        }

        ShouldHaveNoFailures("tenant B's keys on tenant A's objects");
        compared.ShouldBeGreaterThan(40);
    }

    [Fact]
    public async Task EverySessionRoute_RefusesAClientKeyOfTheTenant_WithoutTheSessionsToken_ChangingNothing()
    {
        var routes = ApiRoutes.Api(Host).Where(r => r.NeedsSessionToken).ToList();
        routes.Select(r => r.ToString()).ShouldBe(
            ["DELETE /v1/sessions/{id}", "GET /v1/sessions/{id}/events", "POST /v1/sessions/{id}/heartbeat", "GET /v1/sessions/{id}/state", "PUT /v1/sessions/{id}/state",
             "GET /v1/waits/{id}", "POST /v1/waits/{id}/heartbeat", "GET /v1/waits/{id}/events", "POST /v1/waits/{id}/session", "DELETE /v1/waits/{id}"],
            ignoreOrder: true, "the calls only a session's (or a place in line's) holder may make (docs/api.md, Session tokens)");
        using var otherApp = Host.Client(await Host.CreateKeyAsync(A.TenantId, "client"), sendSessionTokens: false);
        var otherAppKey = otherApp.DefaultRequestHeaders.Authorization!.ToString();
        _snapshot = await DatabaseSnapshot.TakeAsync(Host);

        foreach (var route in routes)
        {
            var (url, body) = RouteSamples.For(route, A);
            foreach (var authorization in new[] { SecurityWorld.Bearer(A.ClientKey), otherAppKey })
            {
                var own = route.Pattern.StartsWith("/v1/waits/", StringComparison.Ordinal) ? A.WaitToken : A.SessionToken;
                foreach (var token in new string?[] { null, "", "lhs_not-a-token", B.SessionToken, B.WaitToken, A.SessionToken == own ? A.WaitToken : A.SessionToken, own + "x" })
                {
                    var headers = token is null ? [] : new Dictionary<string, string> { [SessionTokenJar.Header] = token };
                    var probe = await _world.SendAsync($"A's client key with token '{token}'", authorization, route.Method, url, body, headers);
                    ExpectProblem(probe, 403, "session_token_invalid");
                    await ExpectUnchangedAsync(probe);
                }
            }
        }

        ShouldHaveNoFailures("session calls without the session's token");
    }

    /// <summary>
    /// The control that makes the probes above mean something: with the same paths, queries and bodies,
    /// each role the table gives a route gets past authentication, authorization and the tenant check
    /// (no 401, 403 or 404), so the ids are real and the refusals above are about the key.
    /// </summary>
    [Fact]
    public async Task EveryRoute_LetsInTheRolesTheRolesTableGivesIt_WithTheSameRequests()
    {
        // Reads first; then changes; last the two that revoke the keys the others use.
        var revokesKeys = new[] { "POST /v1/installations/{id}/key", "DELETE /v1/api-keys/{id}" };
        var routes = ApiRoutes.Api(Host)
            .OrderBy(r => revokesKeys.Contains(r.ToString()))
            .ThenBy(r => r.Method != "GET")
            .ThenBy(r => r.Method == "DELETE")
            .ToList();
        var keys = TenantKeys().Where(k => k.Who.StartsWith("A ", StringComparison.Ordinal))
            .Append((Who: "operator", Role: Roles.Operator, Key: TestHost.OperatorKey)).ToList();

        foreach (var route in routes)
        {
            var (url, body) = RouteSamples.For(route, A);
            var done = false; // a DELETE done by one role is 404 for the next: only the first is judged on that
            foreach (var (who, role, key) in keys.Where(k => route.MayCall.HasFlag(k.Role)))
            {
                var headers = route.NeedsSessionToken && role == Roles.Client
                    ? new Dictionary<string, string> { [SessionTokenJar.Header] = route.Pattern.StartsWith("/v1/waits/", StringComparison.Ordinal) ? A.WaitToken : A.SessionToken }
                    : [];
                var probe = await _world.SendAsync(who, SecurityWorld.Bearer(key), route.Method, url, body, headers);
                ExpectNoServerError(probe);
                var installationModeOnly = route.Pattern.StartsWith("/v1/installation/", StringComparison.Ordinal) || route.Pattern == "/v1/installation";
                if (probe.Status is 401 or 403 || (probe.Status == 404 && !installationModeOnly && !done))
                    _failures.Add($"{probe}\n   the roles table gives {who} this route: the request should have reached it");
                done |= route.Method == "DELETE" && probe.Status is >= 200 and < 300;
            }
        }

        ShouldHaveNoFailures("the roles a route is for");
    }

    [Fact]
    public async Task ConsoleEndpoints_AreNotOpenedByAnyApiKey()
    {
        var console = ApiRoutes.Mapped(Host).Where(m => ApiRoutes.RequiresConsoleSignIn(m.Endpoint)).ToList();
        console.Count.ShouldBeGreaterThanOrEqualTo(2, "the console's export and live stream require its sign-in");
        _snapshot = await DatabaseSnapshot.TakeAsync(Host);

        foreach (var (name, _, method) in console)
        {
            var url = System.Text.RegularExpressions.Regex.Replace(name[(method.Length + 1)..], "\\{[^}]*\\}", "x");
            foreach (var (who, _, key) in TenantKeys().Append((Who: "operator", Role: Roles.Operator, Key: TestHost.OperatorKey)))
            {
                var probe = await _world.SendAsync(who, SecurityWorld.Bearer(key), method, url, null);
                if (probe.Status is >= 200 and < 300 or >= 500)
                    _failures.Add($"{probe}\n   the console answers only its own cookie, never an API key");
                await ExpectUnchangedAsync(probe);
            }
        }

        ShouldHaveNoFailures("console endpoints with API keys");
    }

    /// <summary>Tenant A's and tenant B's keys of every tenant role.</summary>
    private IEnumerable<(string Who, Roles Role, string Key)> TenantKeys() =>
    [
        ("A admin", Roles.Admin, A.AdminKey), ("A client", Roles.Client, A.ClientKey), ("A installation", Roles.Installation, A.InstallationKey),
        ("B admin", Roles.Admin, B.AdminKey), ("B client", Roles.Client, B.ClientKey), ("B installation", Roles.Installation, B.InstallationKey),
    ];

    private void ExpectProblem(Probe probe, int status, string code)
    {
        if (probe.Status != status)
        {
            _failures.Add($"{probe}\n   expected {status} {code}");
            return;
        }
        if (!ProblemChecks.IsProblemWithCode(probe, out var actual) || actual != code)
            _failures.Add($"{probe}\n   expected problem+json with code {code}");
    }

    private void ExpectNoServerError(Probe probe)
    {
        if (probe.Status >= 500)
            _failures.Add($"{probe}\n   a server error");
        else if (probe.Status >= 400 && !ProblemChecks.IsProblemWithCode(probe, out _))
            _failures.Add($"{probe}\n   an error that is not problem+json with a code");
    }

    private void ExpectNothingOf(Party party, Probe probe)
    {
        foreach (var secret in party.Secrets.Where(s => probe.Text.Contains(s, StringComparison.Ordinal)))
            _failures.Add($"{probe}\n   shows '{secret}' of another tenant");
    }

    private async Task ExpectUnchangedAsync(Probe probe)
    {
        var now = await DatabaseSnapshot.TakeAsync(Host);
        if (now != _snapshot)
        {
            _failures.Add($"{probe}\n   changed the database: {DatabaseSnapshot.FirstDifference(_snapshot, now)}");
            _snapshot = now;
        }
    }

    private void ShouldHaveNoFailures(string what)
    {
        if (_failures.Count > 0)
            Assert.Fail($"{_failures.Count} {what} went wrong:\n" + string.Join("\n", _failures.Take(40)));
    }
}

/// <summary>What every error answer must be: RFC 9457 problem+json with a stable <c>code</c>.</summary>
internal static class ProblemChecks
{
    public static bool IsProblemWithCode(Probe probe, out string? code)
    {
        code = null;
        if (probe.MediaType != ProblemAssertions.ProblemJson)
            return false;
        try
        {
            using var body = JsonDocument.Parse(probe.Text);
            if (body.RootElement.ValueKind != JsonValueKind.Object
                || !body.RootElement.TryGetProperty("code", out var value) || value.ValueKind != JsonValueKind.String
                || !body.RootElement.TryGetProperty("status", out var status) || status.GetInt32() != probe.Status)
                return false;
            code = value.GetString();
            return !string.IsNullOrEmpty(code);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
