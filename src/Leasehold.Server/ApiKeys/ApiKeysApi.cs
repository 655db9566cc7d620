using Leasehold.Server.Lists;
using Microsoft.AspNetCore.Mvc;
using System.Text.Json.Serialization;
using Leasehold.Core;
using Leasehold.Server.Audit;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.ApiKeys;

internal sealed record CreateApiKeyRequest(
    string? TenantId,
    [property: OneOf("client", "admin", "operator")] string? Role,
    [property: Text(100, Optional = true)] string? Name)
{
    /// <summary>The role, once the field rules have found it one of the three.</summary>
    [JsonIgnore]
    public ApiKeyRole KeyRole => Enum.Parse<ApiKeyRole>(Role!, ignoreCase: true);
}

/// <summary>An API key; <see cref="Key"/> (the secret) is only ever shown in the answer that creates it.</summary>
internal sealed record ApiKeyResponse(
    string Id, string? TenantId, string Role, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? Key)
{
    internal static ApiKeyResponse From(ApiKey k, string? secret = null) =>
        new(k.Id, k.TenantId, k.Role.ToString().ToLowerInvariant(), k.Name, k.CreatedAt, k.RevokedAt, secret);
}

/// <summary>What every API key handler needs.</summary>
internal sealed record ApiKeyServices(IApiKeyStore Keys, ITenantStore Tenants, ApiKeyDirectory Directory, TimeProvider Clock, LeaseholdSettings Settings);

/// <summary>
/// API keys. The operator makes keys of any role for any tenant (and more operator keys); a tenant
/// admin makes admin and client keys for its own tenant only. A tenant holds at most
/// <see cref="LeaseholdSettings.MaxKeysPerTenant"/> standing admin and client keys together.
/// </summary>
internal static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(ApiKeyAuthentication.AdminPolicy);
        group.MapPost("/", CreateApiKey).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Create an API key; the secret is in the answer, once.");
        group.MapGet("/", ListApiKeys).ProducesProblem(400).WithSummary("List API keys (never their secrets), a page at a time by creation.");
        group.MapDelete("/{id}", RevokeApiKey).ProducesProblem(404).WithSummary("Revoke an API key at once.");
        return group;
    }

    public static async Task<Results<Created<ApiKeyResponse>, ProblemHttpResult>> CreateApiKey(
        CreateApiKeyRequest request, Caller caller, [AsParameters] ApiKeyServices services, CancellationToken ct)
    {
        // Which tenant a key belongs to depends on its role and on who asks: checked here, not by field rules.
        var role = request.KeyRole;
        var tenantId = request.TenantId ?? caller.TenantScope;
        if (role == ApiKeyRole.Operator && request.TenantId is not null)
            return Problems.Invalid("tenantId", "An operator key belongs to no tenant: leave tenantId out.");
        if (role != ApiKeyRole.Operator && tenantId is null)
            return Problems.Invalid("tenantId", "Required for client and admin keys.");

        if (role == ApiKeyRole.Operator)
        {
            if (!caller.IsOperator)
                return Problems.Forbidden("Only an operator key may create operator keys.");
        }
        else if (await services.Tenants.GetTenantAsync(tenantId!, caller.TenantScope, ct) is null)
        {
            return Problems.NotFound("tenant", "tenantId");
        }

        var secret = ApiKeySecrets.Generate();
        var key = new ApiKey(Ids.ApiKey(), role == ApiKeyRole.Operator ? null : tenantId, role, request.Name,
            ApiKeySecrets.Hash(secret), services.Clock.Now(), null);
        IReadOnlyList<AuditEntry> audit = [AuditViews.KeyCreation(caller, key.CreatedAt, key)];
        if (role == ApiKeyRole.Operator)
            await services.Keys.CreateApiKeyAsync(key, audit, ct);
        else if (!await services.Keys.CreateApiKeyWithinQuotaAsync(key, services.Settings.MaxKeysPerTenant, audit, ct))
            return QuotaExceeded(services.Settings.MaxKeysPerTenant);
        return TypedResults.Created($"/v1/api-keys/{key.Id}", ApiKeyResponse.From(key, secret));
    }

    /// <summary>409 <c>quota_exceeded</c>: the tenant holds as many standing keys as it may; nothing was created.</summary>
    private static ProblemHttpResult QuotaExceeded(int limit) =>
        Problems.Conflict(ProblemCodes.QuotaExceeded,
            $"The tenant already holds {limit} API keys (admin and client keys not revoked), the most it may: revoke keys it no longer uses first.",
            new Dictionary<string, object?> { ["field"] = "tenantId", ["limit"] = limit });

    /// <summary>Keys by creation time, then id, a page at a time.</summary>
    /// <param name="tenantId">Only this tenant's keys.</param>
    public static async Task<Results<Ok<Page<ApiKeyResponse>>, ProblemHttpResult>> ListApiKeys(
        [FromQuery(Name = "tenantId")] string? tenantId, [AsParameters] PageQuery query, Caller caller, [AsParameters] ApiKeyServices services,
        CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var page = Paging.Read(query, "k1", errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var keys = await services.Keys.ListApiKeysAsync(caller.TenantScope, tenantId, page, ct);
        return TypedResults.Ok(Paging.Of(keys, page, "k1", k => new PageKey(k.CreatedAt.ToUnixTimeMilliseconds(), k.Id), k => ApiKeyResponse.From(k)));
    }

    public static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> RevokeApiKey(
        string id, Caller caller, [AsParameters] ApiKeyServices services, CancellationToken ct)
    {
        var key = await services.Keys.RevokeApiKeyAsync(id, caller.TenantScope, services.Clock.Now(), caller.Actor, ct);
        if (key is null)
            return Problems.NotFound("API key");
        services.Directory.Forget(key.Id);
        return TypedResults.Ok(ApiKeyResponse.From(key));
    }
}
