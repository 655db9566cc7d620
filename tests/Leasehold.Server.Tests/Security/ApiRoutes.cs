using System.Reflection;
using Leasehold.Server.Auth;
using Leasehold.Server.Sessions;
using Leasehold.Server.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Leasehold.Server.Tests.Security;

/// <summary>The four key roles (docs/api.md, "Authentication").</summary>
[Flags]
internal enum Roles
{
    None = 0,
    Operator = 1,
    Admin = 2,
    Client = 4,
    Installation = 8,
    OperatorOnly = Operator,
    Admins = Operator | Admin,
    AnyTenantKey = Operator | Admin | Client,
}

/// <summary>
/// One API route and method as the running server maps it, with who may call it: the rule docs/api.md's
/// roles table gives it (<see cref="ApiRoutes.Rules"/>), checked against the authorization policy on the
/// endpoint itself.
/// </summary>
internal sealed record ApiRoute(string Method, string Pattern, Roles MayCall, bool NeedsSessionToken, IReadOnlyList<string> Parameters)
{
    public override string ToString() => $"{Method} {Pattern}";

    /// <summary>Whether the path names an object (<c>{id}</c>, <c>{licenseId}</c>, <c>{user}</c>).</summary>
    public bool NamesAnObject => Parameters.Count > 0;
}

/// <summary>
/// Every endpoint the server maps, read from the host's <see cref="EndpointDataSource"/>: a route
/// added later is in the list by itself, and the suite fails until it has a rule here (who may call
/// it) or is named public on purpose.
/// </summary>
internal static class ApiRoutes
{
    /// <summary>
    /// Who may call each API route: docs/api.md's roles table, per route. A route the server maps
    /// that is missing here fails <c>EveryRoute_HasARule_OrIsPublicOnPurpose</c>: decide who may call
    /// it, write it here and in docs/api.md.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Roles> Rules = new Dictionary<string, Roles>
    {
        ["POST /v1/tenants"] = Roles.OperatorOnly,
        ["GET /v1/tenants"] = Roles.Admins,
        ["GET /v1/tenants/{id}"] = Roles.Admins,
        ["POST /v1/licenses"] = Roles.OperatorOnly,
        ["GET /v1/licenses"] = Roles.Admins,
        ["GET /v1/licenses/{id}"] = Roles.Admins,
        ["PATCH /v1/licenses/{id}"] = Roles.OperatorOnly,
        ["GET /v1/licenses/{licenseId}/cool-downs"] = Roles.Admins,
        ["DELETE /v1/licenses/{licenseId}/cool-downs/{user}"] = Roles.Admins,
        ["POST /v1/connections"] = Roles.OperatorOnly,
        ["GET /v1/connections"] = Roles.Admins,
        ["GET /v1/connections/{id}"] = Roles.AnyTenantKey,
        ["PATCH /v1/connections/{id}"] = Roles.Admins,
        ["PUT /v1/connections/{id}"] = Roles.Admins,
        ["DELETE /v1/connections/{id}"] = Roles.Admins,
        ["POST /v1/api-keys"] = Roles.Admins,
        ["GET /v1/api-keys"] = Roles.Admins,
        ["DELETE /v1/api-keys/{id}"] = Roles.Admins,
        ["POST /v1/sessions"] = Roles.AnyTenantKey,
        ["GET /v1/sessions"] = Roles.Admins,
        ["GET /v1/sessions/{id}"] = Roles.AnyTenantKey,
        ["DELETE /v1/sessions/{id}"] = Roles.AnyTenantKey,
        ["POST /v1/sessions/{id}/heartbeat"] = Roles.AnyTenantKey,
        ["POST /v1/sessions/heartbeats"] = Roles.AnyTenantKey,
        ["GET /v1/sessions/{id}/events"] = Roles.AnyTenantKey,
        ["POST /v1/sessions/{id}/stop"] = Roles.Admins,
        ["PUT /v1/sessions/{id}/state"] = Roles.AnyTenantKey,
        ["GET /v1/sessions/{id}/state"] = Roles.AnyTenantKey,
        ["POST /v1/checks"] = Roles.AnyTenantKey,
        ["POST /v1/waits"] = Roles.AnyTenantKey,
        ["GET /v1/waits"] = Roles.Admins,
        ["GET /v1/waits/{id}"] = Roles.AnyTenantKey,
        ["POST /v1/waits/{id}/heartbeat"] = Roles.AnyTenantKey,
        ["GET /v1/waits/{id}/events"] = Roles.AnyTenantKey,
        ["POST /v1/waits/{id}/session"] = Roles.AnyTenantKey,
        ["DELETE /v1/waits/{id}"] = Roles.AnyTenantKey,
        ["GET /v1/usage/events"] = Roles.Admins,
        ["GET /v1/usage/events.csv"] = Roles.Admins,
        ["GET /v1/usage/licenses/{id}/concurrency"] = Roles.Admins,
        ["GET /v1/usage/licenses/{id}/holders"] = Roles.Admins,
        ["GET /v1/usage/licenses/{id}/denials"] = Roles.Admins,
        ["GET /v1/usage/licenses/{id}/limit-warnings"] = Roles.Admins,
        ["GET /v1/usage/licenses/{id}/what-if"] = Roles.Admins,
        ["GET /v1/usage/licenses/{id}/right-size"] = Roles.Admins,
        ["GET /v1/usage/licenses/{id}/idle-holders"] = Roles.Admins,
        ["POST /v1/installations"] = Roles.Admins,
        ["GET /v1/installations"] = Roles.Admins,
        ["GET /v1/installations/{id}"] = Roles.Admins,
        ["PATCH /v1/installations/{id}"] = Roles.Admins,
        ["POST /v1/installations/{id}/license-file"] = Roles.Admins,
        ["POST /v1/installations/{id}/key"] = Roles.Admins,
        ["GET /v1/installations/self"] = Roles.Installation,
        ["POST /v1/installations/self/license-file"] = Roles.Installation,
        ["POST /v1/installations/self/taken"] = Roles.Installation,
        // Installation mode only (404 on any other server), for its operator and admins.
        ["GET /v1/installation"] = Roles.Admins,
        ["POST /v1/installation/update"] = Roles.Admins,
        ["GET /v1/signing-keys"] = Roles.OperatorOnly,
        ["POST /v1/signing-keys"] = Roles.OperatorOnly,
        ["GET /v1/audit"] = Roles.Admins,
        // Prometheus's scrape (docs/operations.md, "Metrics and traces"): the operator's, unless LEASEHOLD_METRICS=public.
        ["GET /metrics"] = Roles.OperatorOnly,
    };

    /// <summary>
    /// Routes that answer without an API key, on purpose. Each says why; a new anonymous route
    /// fails the suite until it is added here with its reason.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Public = new Dictionary<string, string>
    {
        ["GET /healthz"] = "the liveness probe of load balancers and uptime checkers",
        ["HEAD /healthz"] = "the same probe, by HEAD",
        ["GET /readyz"] = "the readiness probe of load balancers: says only whether the database answers",
        ["HEAD /readyz"] = "the same probe, by HEAD",
        ["GET /openapi/{documentName}.json"] = "the API's description, the same as docs/openapi.v1.json in the repository",
        ["GET /.well-known/jwks.json"] = "the public halves of the license-signing keys: installations pin them",
        ["GET /"] = "a redirect to the console",
        ["GET /_framework/opaque-redirect"] = "the console's framework (Blazor) turning a form's redirect into a navigation; reads and changes nothing",
    };

    /// <summary>
    /// The web console: its pages and its sign-in form are reached with the console's own cookie,
    /// never with an API key; their guards are tested by tests/Leasehold.Console.Tests in a real browser.
    /// Endpoints here that require the console policy are still probed with every API key
    /// (<c>ConsoleEndpoints_AreNotOpenedByAnyApiKey</c>).
    /// </summary>
    public const string ConsolePrefix = "/console";

    private static readonly Dictionary<string, Roles> PolicyRoles = new()
    {
        [ApiKeyAuthentication.OperatorPolicy] = Roles.OperatorOnly,
        [ApiKeyAuthentication.AdminPolicy] = Roles.Admins,
        [ApiKeyAuthentication.AnyKeyPolicy] = Roles.AnyTenantKey,
        [ApiKeyAuthentication.InstallationPolicy] = Roles.Installation,
    };

    /// <summary>Every (method, route) the host maps, as "METHOD /pattern" with its endpoint.</summary>
    public static IReadOnlyList<(string Name, RouteEndpoint Endpoint, string Method)> Mapped(TestHost host)
    {
        var source = host.Service<EndpointDataSource>();
        var all = new List<(string, RouteEndpoint, string)>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            foreach (var method in methods)
                all.Add(($"{method} {pattern}", endpoint, method));
        }
        return all;
    }

    /// <summary>The API routes (under /v1), each with its rule. Throws for a route without one: the rule test says which.</summary>
    public static IReadOnlyList<ApiRoute> Api(TestHost host) =>
    [
        .. Mapped(host)
            .Where(m => m.Name.Contains(" /v1/", StringComparison.Ordinal) || m.Name.EndsWith(" /v1", StringComparison.Ordinal))
            .Select(m => new ApiRoute(m.Method, m.Name[(m.Method.Length + 1)..],
                Rules.TryGetValue(m.Name, out var rule) ? rule : throw new InvalidOperationException($"{m.Name} has no rule in ApiRoutes.Rules: say who may call it"),
                NeedsToken(m.Endpoint),
                [.. m.Endpoint.RoutePattern.Parameters.Select(p => p.Name)]))
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal),
    ];

    /// <summary>The roles the endpoint's own authorization policies let in (None when it has none).</summary>
    public static Roles RolesOfPolicies(Endpoint endpoint)
    {
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
        if (policies.Count == 0)
            return Roles.None;
        var roles = Roles.Operator | Roles.Admin | Roles.Client | Roles.Installation;
        foreach (var policy in policies) // every policy on an endpoint must pass: the roles all of them admit
            roles &= PolicyRoles.GetValueOrDefault(policy!, Roles.None);
        return roles;
    }

    public static bool IsAnonymous(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || !endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any();

    public static bool RequiresConsoleSignIn(Endpoint endpoint) =>
        endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Leasehold.Server.WebConsole.ConsoleSetup.Policy);

    /// <summary>A handler that reads the session's token (<c>Leasehold-Session-Token</c>): a call on a session that only its holder may make.</summary>
    private static bool NeedsToken(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
            .Any(p => p.GetCustomAttribute<FromHeaderAttribute>()?.Name == SessionTokens.Header) == true;
}
