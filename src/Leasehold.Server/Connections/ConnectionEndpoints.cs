using System.Text.Json;
using Leasehold.Core.Access;
using Leasehold.Core.Policies;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Connections;

/// <param name="AccessPlan">A preset name (<c>"business-hours"</c>, <c>"always"</c>) or a plan document (see docs/policies.md).</param>
internal sealed record CreateConnectionRequest(string? TenantId, string? Name, string? Email, JsonElement? AccessPlan);

/// <summary>A connection and whether its access window is open now (instants with the tenant's UTC offset).</summary>
internal sealed record ConnectionResponse(
    string Id, string TenantId, string Name, string? Email, AccessPlanDocument AccessPlan,
    bool OpenNow, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, DateTimeOffset CreatedAt)
{
    internal static ConnectionResponse From(Connection c, string timeZone, DateTimeOffset now)
    {
        var access = AccessSchedule.Evaluate(c.AccessPlan, timeZone, now);
        return new(c.Id, c.TenantId, c.Name, c.Email, AccessPlanDocument.From(c.AccessPlan), access.IsOpen,
            Local(access.OpensAt, timeZone), Local(access.ClosesAt, timeZone), c.CreatedAt);
    }

    private static DateTimeOffset? Local(DateTimeOffset? at, string timeZone) => at is { } value ? AccessSchedule.ToLocalOffset(value, timeZone) : null;
}

/// <summary>
/// Connections: a tenant's access credentials to a hosted service (SPEC rule 10), counted apart
/// from seats. The operator creates them; tenant admins read their own.
/// </summary>
internal static class ConnectionEndpoints
{
    public static RouteGroupBuilder MapConnections(this RouteGroupBuilder group)
    {
        group.MapPost("/", CreateAsync).RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).WithSummary("Create a connection with its access plan (operator).");
        group.MapGet("/", ListAsync).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .WithSummary("List connections, and whether each is open now.");
        group.MapGet("/{id}", GetAsync).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(404).WithSummary("Read one connection, and whether it is open now.");
        return group;
    }

    private static async Task<Results<Created<ConnectionResponse>, ProblemHttpResult>> CreateAsync(
        CreateConnectionRequest request, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var tenantId = errors.Required(request.TenantId, "tenantId", 64);
        var name = errors.Required(request.Name, "name", 100);
        var email = request.Email is null ? null : errors.Required(request.Email, "email", 320);
        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
            errors.Add(new("email", "Must be an e-mail address."));
        var plan = ReadPlan(request.AccessPlan, errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (await store.GetTenantAsync(tenantId!, null, ct) is not { } tenant)
            return Problems.NotFound("tenant", "tenantId");
        if ((await store.ListConnectionsAsync(null, tenant.Id, ct)).Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
            return Problems.Conflict("connection_exists", "A connection with that name exists.", $"The tenant already has a connection named '{name}'.");

        var connection = new Connection(ApiKeySecrets.NewId("con"), tenant.Id, name!, email, plan, clock.Now());
        await store.CreateConnectionAsync(connection, ct);
        return TypedResults.Created($"/v1/connections/{connection.Id}", ConnectionResponse.From(connection, tenant.TimeZone, clock.Now()));
    }

    private static AccessPlan ReadPlan(JsonElement? element, List<FieldError> errors)
    {
        switch (element)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                errors.Add(new("accessPlan", $"Required: one of {string.Join(", ", AccessPlanDocument.Presets)}, or a plan document."));
                return AccessPlan.Always;
            case { ValueKind: JsonValueKind.String } preset:
                if (AccessPlanDocument.Preset(preset.GetString()!) is { } document)
                    return AccessPlanValidation.Build(document, "accessPlan", errors);
                errors.Add(new("accessPlan", $"Unknown preset. Use one of {string.Join(", ", AccessPlanDocument.Presets)}, or a plan document."));
                return AccessPlan.Always;
            case { ValueKind: JsonValueKind.Object } custom:
                try
                {
                    return AccessPlanValidation.Build(custom.Deserialize<AccessPlanDocument>(StrictJson.Options), "accessPlan", errors);
                }
                catch (JsonException e)
                {
                    errors.Add(new("accessPlan" + (e.Path is { Length: > 1 } path ? path[1..] : ""), "Not a valid access plan document."));
                    return AccessPlan.Always;
                }
            default:
                errors.Add(new("accessPlan", "Must be a preset name or a plan document."));
                return AccessPlan.Always;
        }
    }

    private static async Task<Ok<ConnectionResponse[]>> ListAsync(
        string? tenantId, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        var zones = (await store.ListTenantsAsync(caller.TenantScope, ct)).ToDictionary(t => t.Id, t => t.TimeZone);
        var now = clock.Now();
        return TypedResults.Ok((await store.ListConnectionsAsync(caller.TenantScope, tenantId, ct))
            .Select(c => ConnectionResponse.From(c, zones[c.TenantId], now)).ToArray());
    }

    private static async Task<Results<Ok<ConnectionResponse>, ProblemHttpResult>> GetAsync(
        string id, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetConnectionAsync(id, caller.TenantScope, ct) is not { } connection)
            return Problems.NotFound("connection");
        var tenant = await store.GetTenantAsync(connection.TenantId, null, ct);
        return TypedResults.Ok(ConnectionResponse.From(connection, tenant!.TimeZone, clock.Now()));
    }
}
