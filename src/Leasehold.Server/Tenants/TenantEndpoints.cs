using Leasehold.Core.Policies;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Tenants;

internal sealed record CreateTenantRequest(string? Name, string? TimeZone);

internal sealed record TenantResponse(string Id, string Name, string TimeZone, DateTimeOffset CreatedAt)
{
    internal static TenantResponse From(Tenant t) => new(t.Id, t.Name, t.TimeZone, t.CreatedAt);
}

/// <summary>Tenants: customer organizations. The operator creates them; a tenant admin can read its own.</summary>
internal static class TenantEndpoints
{
    public static RouteGroupBuilder MapTenants(this RouteGroupBuilder group)
    {
        group.MapPost("/", CreateAsync).RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .ProducesProblem(400).WithSummary("Create a tenant (operator).");
        group.MapGet("/", ListAsync).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .WithSummary("List tenants: all for the operator, its own for a tenant admin.");
        group.MapGet("/{id}", GetAsync).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(404).WithSummary("Read one tenant.");
        return group;
    }

    private static async Task<Results<Created<TenantResponse>, ProblemHttpResult>> CreateAsync(
        CreateTenantRequest request, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var name = errors.Required(request.Name, "name", 200);
        var timeZone = errors.Required(request.TimeZone, "timeZone", 64);
        if (timeZone is not null && !TimeZones.IsKnown(timeZone))
            errors.Add(new("timeZone", $"'{timeZone}' is not an IANA time zone id (for example Europe/Berlin or Australia/Sydney)."));
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var tenant = new Tenant(ApiKeySecrets.NewId("ten"), name!, timeZone!, clock.Now());
        await store.CreateTenantAsync(tenant, ct);
        return TypedResults.Created($"/v1/tenants/{tenant.Id}", TenantResponse.From(tenant));
    }

    private static async Task<Ok<TenantResponse[]>> ListAsync(Caller caller, ILeaseholdStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListTenantsAsync(caller.TenantScope, ct)).Select(TenantResponse.From).ToArray());

    private static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> GetAsync(
        string id, Caller caller, ILeaseholdStore store, CancellationToken ct) =>
        await store.GetTenantAsync(id, caller.TenantScope, ct) is { } tenant
            ? TypedResults.Ok(TenantResponse.From(tenant))
            : Problems.NotFound("tenant");
}
