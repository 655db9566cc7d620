using System.Text.Json;
using System.Text.Json.Serialization;
using Leasehold.Core;
using Leasehold.Core.Access;
using Leasehold.Server.Audit;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Lists;
using Leasehold.Server.Storage;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Connections;

/// <param name="AccessPlan">A preset name (<c>"business-hours"</c>, <c>"always"</c>) or a plan document (see docs/policies.md).</param>
/// <param name="User">Its user: the one who may use it without the shared e-mail. Left out: the first user to sign in on it.</param>
internal sealed record CreateConnectionRequest(
    [property: Text(64)] string? TenantId,
    [property: Text(100)] string? Name,
    [property: Text(320, Optional = true), Email] string? Email,
    JsonElement? AccessPlan,
    [property: Text(Optional = true)] string? User = null) : ICheckedRequest
{
    /// <summary>The access plan read from <see cref="AccessPlan"/> by <see cref="Check"/>.</summary>
    [JsonIgnore]
    public AccessPlan Plan { get; private set; } = Core.Access.AccessPlan.Always;

    public void Check(List<FieldError> errors) => Plan = AccessPlans.Read(AccessPlan, errors);
}

/// <summary>A change to a connection: fields left out stay as they are (to remove the shared e-mail, replace the connection with PUT).</summary>
/// <param name="User">Its new user (to clear it, so that the next sign-in makes its user, replace the connection with PUT).</param>
internal sealed record UpdateConnectionRequest(
    [property: Text(100, Optional = true)] string? Name,
    [property: Text(320, Optional = true), Email] string? Email,
    JsonElement? AccessPlan,
    [property: Text(Optional = true)] string? User = null) : ICheckedRequest
{
    /// <summary>The new access plan, when <see cref="AccessPlan"/> was given (read by <see cref="Check"/>).</summary>
    [JsonIgnore]
    public AccessPlan? Plan { get; private set; }

    public void Check(List<FieldError> errors) =>
        Plan = AccessPlan is null or { ValueKind: JsonValueKind.Null } ? null : AccessPlans.Read(AccessPlan, errors);
}

/// <summary>
/// A connection as a whole: the name and access plan are required; no <see cref="Email"/> removes the shared e-mail,
/// no <see cref="User"/> its user (the next user to sign in on it becomes its user).
/// </summary>
internal sealed record ReplaceConnectionRequest(
    [property: Text(100)] string? Name,
    [property: Text(320, Optional = true), Email] string? Email,
    JsonElement? AccessPlan,
    [property: Text(Optional = true)] string? User = null) : ICheckedRequest
{
    [JsonIgnore]
    public AccessPlan Plan { get; private set; } = Core.Access.AccessPlan.Always;

    public void Check(List<FieldError> errors) => Plan = AccessPlans.Read(AccessPlan, errors);
}

/// <summary>A connection and whether its access window is open now (instants with the tenant's UTC offset).</summary>
/// <param name="User">Its user: named by an admin, or the first user who signed in on it; null until then.</param>
internal sealed record ConnectionResponse(
    string Id, string TenantId, string Name, string? Email, AccessPlanDocument AccessPlan,
    bool OpenNow, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, DateTimeOffset CreatedAt, string? User)
{
    internal static ConnectionResponse From(Connection c, string timeZone, DateTimeOffset now)
    {
        var access = AccessSchedule.Evaluate(c.AccessPlan, timeZone, now);
        return new(c.Id, c.TenantId, c.Name, c.Email, AccessPlanDocument.From(c.AccessPlan), access.IsOpen,
            Local(access.OpensAt, timeZone), Local(access.ClosesAt, timeZone), c.CreatedAt, c.User);
    }

    private static DateTimeOffset? Local(DateTimeOffset? at, string timeZone) => at is { } value ? AccessSchedule.ToLocalOffset(value, timeZone) : null;
}

/// <summary>What every connection handler needs.</summary>
internal sealed record ConnectionServices(IConnectionStore Connections, ITenantStore Tenants, TimeProvider Clock);

/// <summary>
/// Connections: a tenant's access credentials to a hosted service (a remote-desktop login, say), open
/// only in their access windows and counted apart from seats. The operator creates them; tenant admins
/// read, change and remove their own. A change applies to the next decision on a session that uses the
/// connection (its next checkout or heartbeat): a window that closes ends or keeps its sessions as the
/// license's policy says; a connection open sessions use cannot be removed. A connection belongs to its
/// user (named here, or the first to sign in on it): only they, and users with its shared e-mail, may use it.
/// </summary>
internal static class ConnectionsApi
{
    public static RouteGroupBuilder MapConnectionsApi(this RouteGroupBuilder group)
    {
        group.MapPost("/", CreateConnection).WithBodyLimit(BodyLimits.Medium).RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).WithSummary("Create a connection with its access plan (operator).");
        group.MapGet("/", ListConnections).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(400).WithSummary("List connections, a page at a time by creation, and whether each is open now.");
        group.MapGet("/{id}", GetConnection).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(404).WithSummary("Read one connection, and whether it is open now.");
        group.MapPatch("/{id}", UpdateConnection).WithBodyLimit(BodyLimits.Medium).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Change a connection's name, shared e-mail, access plan (a planned maintenance window, say) or user; fields left out stay.");
        group.MapPut("/{id}", ReplaceConnection).WithBodyLimit(BodyLimits.Medium).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Replace a connection's name, shared e-mail, access plan and user; what is left out is removed.");
        group.MapDelete("/{id}", DeleteConnection).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Remove a connection no open session uses (409 connection_in_use otherwise).");
        return group;
    }

    public static async Task<Results<Created<ConnectionResponse>, ProblemHttpResult>> CreateConnection(
        CreateConnectionRequest request, Caller caller, [AsParameters] ConnectionServices services, CancellationToken ct)
    {
        if (await services.Tenants.GetTenantAsync(request.TenantId!, null, ct) is not { } tenant)
            return Problems.NotFound("tenant", "tenantId");
        if ((await services.Connections.ListConnectionsAsync(null, tenant.Id, null, ct)).Any(c => string.Equals(c.Name, request.Name, StringComparison.OrdinalIgnoreCase)))
            return Problems.Conflict(ProblemCodes.ConnectionExists, $"The tenant already has a connection named '{request.Name}'.");

        var now = services.Clock.Now();
        var connection = new Connection(Ids.Connection(), tenant.Id, request.Name!, request.Email, request.Plan, now) { User = request.User };
        await services.Connections.CreateConnectionAsync(connection, [AuditViews.ConnectionCreation(caller, now, connection)], ct);
        return TypedResults.Created($"/v1/connections/{connection.Id}", ConnectionResponse.From(connection, tenant.TimeZone, now));
    }

    /// <summary>Connections by creation time, then id, a page at a time.</summary>
    /// <param name="tenantId">Only this tenant's connections.</param>
    public static async Task<Results<Ok<Page<ConnectionResponse>>, ProblemHttpResult>> ListConnections(
        [FromQuery(Name = "tenantId")] string? tenantId, [AsParameters] PageQuery query, Caller caller, [AsParameters] ConnectionServices services,
        CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var page = Paging.Read(query, "c1", errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var connections = await services.Connections.ListConnectionsAsync(caller.TenantScope, tenantId, page, ct);
        var zones = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in connections.Select(c => c.TenantId).Distinct(StringComparer.Ordinal))
            zones[id] = (await services.Tenants.GetTenantAsync(id, null, ct))?.TimeZone ?? "UTC";
        var now = services.Clock.Now();
        return TypedResults.Ok(Paging.Of(connections, page, "c1", c => new PageKey(c.CreatedAt.ToUnixTimeMilliseconds(), c.Id),
            c => ConnectionResponse.From(c, zones[c.TenantId], now)));
    }

    /// <summary>Every connection in the caller's scope: the console's list.</summary>
    internal static async Task<ConnectionResponse[]> ListAllAsync(Caller caller, ConnectionServices services, CancellationToken ct)
    {
        var zones = (await services.Tenants.ListTenantsAsync(caller.TenantScope, null, ct)).ToDictionary(t => t.Id, t => t.TimeZone);
        var now = services.Clock.Now();
        return [.. (await services.Connections.ListConnectionsAsync(caller.TenantScope, null, null, ct)).Select(c => ConnectionResponse.From(c, zones[c.TenantId], now))];
    }

    public static async Task<Results<Ok<ConnectionResponse>, ProblemHttpResult>> GetConnection(
        string id, Caller caller, [AsParameters] ConnectionServices services, CancellationToken ct)
    {
        if (await services.Connections.GetConnectionAsync(id, caller.TenantScope, ct) is not { } connection)
            return Problems.NotFound("connection");
        var tenant = await services.Tenants.GetTenantAsync(connection.TenantId, null, ct);
        return TypedResults.Ok(ConnectionResponse.From(connection, tenant!.TimeZone, services.Clock.Now()));
    }

    public static Task<Results<Ok<ConnectionResponse>, ProblemHttpResult>> UpdateConnection(
        string id, UpdateConnectionRequest request, Caller caller, [AsParameters] ConnectionServices services, CancellationToken ct) =>
        ChangeAsync(id, caller, services, c => c with
        {
            Name = request.Name ?? c.Name,
            Email = request.Email ?? c.Email,
            AccessPlan = request.Plan ?? c.AccessPlan,
            User = request.User ?? c.User,
        }, ct);

    public static Task<Results<Ok<ConnectionResponse>, ProblemHttpResult>> ReplaceConnection(
        string id, ReplaceConnectionRequest request, Caller caller, [AsParameters] ConnectionServices services, CancellationToken ct) =>
        ChangeAsync(id, caller, services, c => c with { Name = request.Name!, Email = request.Email, AccessPlan = request.Plan, User = request.User }, ct);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteConnection(
        string id, Caller caller, [AsParameters] ConnectionServices services, CancellationToken ct)
    {
        if (await services.Connections.GetConnectionAsync(id, caller.TenantScope, ct) is not { } connection)
            return Problems.NotFound("connection");
        var removal = await services.Connections.DeleteConnectionAsync(connection,
            [AuditViews.ConnectionRemoval(caller, services.Clock.Now(), connection)], ct);
        if (removal.OpenSessions > 0)
            return Problems.Conflict(ProblemCodes.ConnectionInUse,
                $"{removal.OpenSessions} open session(s) use connection '{connection.Name}': stop them first, or let them end.",
                new Dictionary<string, object?> { ["openSessions"] = removal.OpenSessions });
        return removal.Removed ? TypedResults.NoContent() : Problems.NotFound("connection");
    }

    private static async Task<Results<Ok<ConnectionResponse>, ProblemHttpResult>> ChangeAsync(
        string id, Caller caller, ConnectionServices services, Func<Connection, Connection> change, CancellationToken ct)
    {
        if (await services.Connections.GetConnectionAsync(id, caller.TenantScope, ct) is not { } connection)
            return Problems.NotFound("connection");
        var changed = change(connection);
        if (!string.Equals(changed.Name, connection.Name, StringComparison.OrdinalIgnoreCase)
            && (await services.Connections.ListConnectionsAsync(null, connection.TenantId, null, ct)).Any(c => string.Equals(c.Name, changed.Name, StringComparison.OrdinalIgnoreCase)))
            return Problems.Conflict(ProblemCodes.ConnectionExists, $"The tenant already has a connection named '{changed.Name}'.",
                new Dictionary<string, object?> { ["field"] = "name" });
        if (!await services.Connections.UpdateConnectionAsync(changed, [AuditViews.ConnectionChange(caller, services.Clock.Now(), connection, changed)], ct))
            return Problems.NotFound("connection");
        var tenant = await services.Tenants.GetTenantAsync(connection.TenantId, null, ct);
        return TypedResults.Ok(ConnectionResponse.From(changed, tenant!.TimeZone, services.Clock.Now()));
    }
}
