using Leasehold.Core.Policies;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.ApiKeys;

internal sealed record CreateApiKeyRequest(string? TenantId, string? Role, string? Name);

/// <summary>An API key; <see cref="Key"/> (the secret) is only ever shown in the answer that creates it.</summary>
internal sealed record ApiKeyResponse(
    string Id, string? TenantId, string Role, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? Key)
{
    internal static ApiKeyResponse From(ApiKey k, string? secret = null) =>
        new(k.Id, k.TenantId, k.Role.ToString().ToLowerInvariant(), k.Name, k.CreatedAt, k.RevokedAt, secret);
}

/// <summary>
/// API keys. The operator makes keys of any role for any tenant (and more operator keys); a tenant
/// admin makes admin and client keys for its own tenant only.
/// </summary>
internal static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapApiKeys(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(ApiKeyAuthentication.AdminPolicy);
        group.MapPost("/", CreateAsync).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404)
            .WithSummary("Create an API key; the secret is in the answer, once.");
        group.MapGet("/", ListAsync).WithSummary("List API keys (never their secrets).");
        group.MapDelete("/{id}", RevokeAsync).ProducesProblem(404).WithSummary("Revoke an API key at once.");
        return group;
    }

    private static async Task<Results<Created<ApiKeyResponse>, ProblemHttpResult>> CreateAsync(
        CreateApiKeyRequest request, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        ApiKeyRole? role = request.Role switch
        {
            "client" => ApiKeyRole.Client,
            "admin" => ApiKeyRole.Admin,
            "operator" => ApiKeyRole.Operator,
            _ => null,
        };
        if (role is null)
            errors.Add(new("role", "Must be one of: client, admin, operator."));
        if (request.Name is not null)
            errors.Required(request.Name, "name", 100);

        var tenantId = request.TenantId ?? caller.TenantScope;
        if (role == ApiKeyRole.Operator && request.TenantId is not null)
            errors.Add(new("tenantId", "An operator key belongs to no tenant: leave tenantId out."));
        else if (role is ApiKeyRole.Client or ApiKeyRole.Admin && tenantId is null)
            errors.Add(new("tenantId", "Required for client and admin keys."));
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        if (role == ApiKeyRole.Operator)
        {
            if (!caller.IsOperator)
                return Problems.Forbidden("Only an operator key may create operator keys.");
            tenantId = null;
        }
        else if (await store.GetTenantAsync(tenantId!, caller.TenantScope, ct) is null)
        {
            return Problems.NotFound("tenant", "tenantId");
        }

        var secret = ApiKeySecrets.Generate();
        var key = new ApiKey(ApiKeySecrets.NewId("key"), tenantId, role!.Value, request.Name?.Trim(), ApiKeySecrets.Hash(secret), clock.Now(), null);
        await store.CreateApiKeyAsync(key, ct);
        return TypedResults.Created($"/v1/api-keys/{key.Id}", ApiKeyResponse.From(key, secret));
    }

    private static async Task<Ok<ApiKeyResponse[]>> ListAsync(string? tenantId, Caller caller, ILeaseholdStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListApiKeysAsync(caller.TenantScope, tenantId, ct)).Select(k => ApiKeyResponse.From(k)).ToArray());

    private static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> RevokeAsync(
        string id, Caller caller, ILeaseholdStore store, ApiKeyDirectory directory, TimeProvider clock, CancellationToken ct)
    {
        var key = await store.RevokeApiKeyAsync(id, caller.TenantScope, clock.Now(), ct);
        if (key is null)
            return Problems.NotFound("API key");
        directory.Forget(key.Id);
        return TypedResults.Ok(ApiKeyResponse.From(key));
    }
}
