using Leasehold.Core;
using Leasehold.Core.Tenants;
using Leasehold.Server.Audit;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Lists;
using Leasehold.Server.Storage;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Tenants;

internal sealed record CreateTenantRequest(
    [property: Text(200)] string? Name,
    [property: Text(64), TimeZoneId] string? TimeZone);

internal sealed record TenantResponse(string Id, string Name, string TimeZone, DateTimeOffset CreatedAt)
{
    internal static TenantResponse From(Tenant t) => new(t.Id, t.Name, t.TimeZone, t.CreatedAt);
}

/// <summary>What every tenant handler needs.</summary>
internal sealed record TenantServices(ITenantStore Tenants, TimeProvider Clock);

/// <summary>Tenants: customer organizations. The operator creates them; a tenant admin can read its own.</summary>
internal static class TenantsApi
{
    public static RouteGroupBuilder MapTenantsApi(this RouteGroupBuilder group)
    {
        group.MapPost("/", CreateTenant).RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .ProducesProblem(400).WithSummary("Create a tenant (operator).");
        group.MapGet("/", ListTenants).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(400).WithSummary("List tenants, a page at a time by creation: all for the operator, its own for a tenant admin.");
        group.MapGet("/{id}", GetTenant).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(404).WithSummary("Read one tenant.");
        return group;
    }

    public static async Task<Created<TenantResponse>> CreateTenant(
        CreateTenantRequest request, Caller caller, [AsParameters] TenantServices services, CancellationToken ct)
    {
        var tenant = new Tenant(Ids.Tenant(), request.Name!, request.TimeZone!, services.Clock.Now());
        await services.Tenants.CreateTenantAsync(tenant, [AuditViews.Tenant(caller, tenant.CreatedAt, tenant)], ct);
        return TypedResults.Created($"/v1/tenants/{tenant.Id}", TenantResponse.From(tenant));
    }

    /// <summary>Tenants by creation time, then id, a page at a time.</summary>
    public static async Task<Results<Ok<Page<TenantResponse>>, ProblemHttpResult>> ListTenants(
        [AsParameters] PageQuery query, Caller caller, [AsParameters] TenantServices services, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var page = Paging.Read(query, "t1", errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var tenants = await services.Tenants.ListTenantsAsync(caller.TenantScope, page, ct);
        return TypedResults.Ok(Paging.Of(tenants, page, "t1", t => new PageKey(t.CreatedAt.ToUnixTimeMilliseconds(), t.Id), TenantResponse.From));
    }

    public static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> GetTenant(
        string id, Caller caller, [AsParameters] TenantServices services, CancellationToken ct) =>
        await services.Tenants.GetTenantAsync(id, caller.TenantScope, ct) is { } tenant
            ? TypedResults.Ok(TenantResponse.From(tenant))
            : Problems.NotFound("tenant");
}
