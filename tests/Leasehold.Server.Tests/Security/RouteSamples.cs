namespace Leasehold.Server.Tests.Security;

/// <summary>
/// A well-formed request for each route that takes a query or a body, naming tenant A's objects
/// (templates for <see cref="Party.Resolve"/>): a key that may call the route gets past validation,
/// so its answer is about whose objects they are, not about a malformed body. A route not listed
/// is sent with no query and no body.
/// </summary>
internal static class RouteSamples
{
    private static readonly Dictionary<string, (string? Query, string? Body)> Samples = new()
    {
        ["POST /v1/tenants"] = (null, """{"name":"Intruder Inc","timeZone":"Europe/Berlin"}"""),
        ["POST /v1/licenses"] = (null, """{"tenantId":"{tenant}","product":"cam","seats":5}"""),
        ["GET /v1/licenses"] = ("tenantId={tenant}", null),
        ["PATCH /v1/licenses/{id}"] = (null, """{"seats":4}"""),
        ["POST /v1/connections"] = (null, """{"tenantId":"{tenant}","name":"rdp-99","accessPlan":"always"}"""),
        ["GET /v1/connections"] = ("tenantId={tenant}", null),
        ["PATCH /v1/connections/{id}"] = (null, """{"name":"rdp-renamed"}"""),
        ["PUT /v1/connections/{id}"] = (null, """{"name":"rdp-replaced","accessPlan":"always"}"""),
        ["POST /v1/api-keys"] = (null, """{"tenantId":"{tenant}","role":"client"}"""),
        ["GET /v1/api-keys"] = ("tenantId={tenant}", null),
        ["POST /v1/sessions"] = (null, """{"licenseId":"{license}","user":"mallory","device":"pc-9","client":"desktop"}"""),
        ["GET /v1/sessions"] = ("licenseId={license}", null),
        ["POST /v1/sessions/{id}/heartbeat"] = (null, """{"active":true}"""),
        ["POST /v1/sessions/{id}/stop"] = (null, """{"coolDownMinutes":5}"""),
        ["PUT /v1/sessions/{id}/state"] = (null, """{"screens":["overwritten"]}"""),
        ["POST /v1/checks"] = (null, """{"licenseId":"{license}","user":"mallory","client":"desktop"}"""),
        ["POST /v1/waits"] = (null, """{"licenseId":"{license}","user":"mallory","device":"pc-9","client":"desktop","waitSeconds":60}"""),
        ["GET /v1/waits"] = ("licenseId={license}", null),
        ["GET /v1/usage/events"] = ("licenseId={license}", null),
        ["GET /v1/usage/events.csv"] = ("licenseId={license}", null),
        ["GET /v1/usage/licenses/{id}/holders"] = ("at=2026-03-02T09:00:00Z", null),
        ["GET /v1/usage/licenses/{id}/what-if"] = ("seats=2", null),
        ["POST /v1/installations"] = (null, """{"licenseId":"{license}","name":"rogue","fingerprint":"rogue-pc","seats":1}"""),
        ["GET /v1/installations"] = ("licenseId={license}", null),
        ["PATCH /v1/installations/{id}"] = (null, """{"seats":0}"""),
        ["POST /v1/installations/self/license-file"] = (null, "{}"),
        ["POST /v1/installations/self/taken"] = (null, """{"serial":1}"""),
        ["GET /v1/audit"] = ("tenantId={tenant}", null),
    };

    /// <summary>The URL (path and query) and body of <paramref name="route"/> naming <paramref name="party"/>'s objects.</summary>
    public static (string Url, string? Body) For(ApiRoute route, Party party)
    {
        var (query, body) = Samples.GetValueOrDefault(route.ToString());
        var url = party.PathOf(route) + (query is null ? "" : "?" + party.Resolve(query));
        return (url, body is null ? null : party.Resolve(body));
    }

    /// <summary>Whether the request names objects at all (in its path, query or body): only then can it reach another tenant's.</summary>
    public static bool NamesObjects(ApiRoute route)
    {
        var (query, body) = Samples.GetValueOrDefault(route.ToString());
        return route.NamesAnObject || (query ?? "").Contains('{', StringComparison.Ordinal) || (body ?? "").Contains("\"{", StringComparison.Ordinal);
    }

    public static IEnumerable<string> Listed => Samples.Keys;
}
