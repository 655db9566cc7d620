using System.Reflection;
using System.Security.Claims;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Auth;

/// <summary>Who is calling: the API key's id, role and tenant. Bound straight into endpoint handlers.</summary>
internal sealed record Caller(string KeyId, ApiKeyRole Role, string? TenantId)
{
    public const string KeyIdClaim = "leasehold:key";
    public const string TenantClaim = "leasehold:tenant";
    public const string InstallationClaim = "leasehold:installation";
    public const string KeyNameClaim = "leasehold:key-name";

    /// <summary>The tenant every read and write is confined to; null for the operator, who sees all.</summary>
    public string? TenantScope => Role == ApiKeyRole.Operator ? null : TenantId;

    public bool IsOperator => Role == ApiKeyRole.Operator;

    /// <summary>The installation an installation key speaks for (null for other keys).</summary>
    public string? InstallationId { get; init; }

    /// <summary>The key's name (null when it has none): who did it, in the audit trail.</summary>
    public string? KeyName { get; init; }

    /// <summary>The key as the audit trail names who made a change.</summary>
    public AuditActor Actor => new(KeyId, KeyName, Role.ToString().ToLowerInvariant());

    public static ClaimsPrincipal ToPrincipal(ApiKey key, string scheme)
    {
        var claims = new List<Claim> { new(KeyIdClaim, key.Id), new(ClaimTypes.Role, key.Role.ToString()) };
        if (key.TenantId is not null)
            claims.Add(new Claim(TenantClaim, key.TenantId));
        if (key.Name is not null)
            claims.Add(new Claim(KeyNameClaim, key.Name));
        if (key.Role == ApiKeyRole.Installation && key.Name is not null)
            claims.Add(new Claim(InstallationClaim, key.Name));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<Caller?>(From(context.User));

    /// <summary>The caller a signed-in principal stands for (an API key's, or the console's cookie, which carries the same claims).</summary>
    public static Caller From(ClaimsPrincipal user)
    {
        var keyId = user.FindFirstValue(KeyIdClaim);
        var role = user.FindFirstValue(ClaimTypes.Role);
        if (keyId is null || !Enum.TryParse<ApiKeyRole>(role, out var parsed))
            throw new InvalidOperationException("Caller read where nobody signed in.");
        return new Caller(keyId, parsed, user.FindFirstValue(TenantClaim)) { InstallationId = user.FindFirstValue(InstallationClaim), KeyName = user.FindFirstValue(KeyNameClaim) };
    }
}
