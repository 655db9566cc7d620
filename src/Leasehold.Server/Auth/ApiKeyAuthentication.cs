using System.Text.Encodings.Web;
using Leasehold.Server.Errors;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Leasehold.Server.Auth;

/// <summary><c>Authorization: Bearer lh_...</c> against the stored key hashes; 401 and 403 answer in problem+json.</summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyDirectory keys,
    FailedKeyLimiter failures,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string OperatorPolicy = "operator";
    public const string AdminPolicy = "admin";
    public const string AnyKeyPolicy = "any-key";
    public const string InstallationPolicy = "installation";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrWhiteSpace(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");

        var secret = header["Bearer ".Length..].Trim();
        // The hot path (a key this node verified lately) never touches the failure limiter; a blocked
        // address still gets through with such a key, while a guess from it is not even checked.
        var key = keys.FindRecentlyVerified(secret);
        if (key is null)
        {
            var address = Context.Connection.RemoteIpAddress;
            if (failures.IsBlocked(address, out var retryAfter))
            {
                Context.Items[BlockedFor] = retryAfter;
                return AuthenticateResult.Fail("Too many unknown keys from this address: wait before trying again.");
            }
            key = await keys.FindActiveAsync(secret, Context.RequestAborted);
            if (key is null)
                failures.Failed(address);
        }
        return key is null
            ? AuthenticateResult.Fail("This API key is not valid, or it was revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(Caller.ToPrincipal(key, SchemeName), SchemeName));
    }

    private const string BlockedFor = "leasehold:blocked-for";

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (Context.Items[BlockedFor] is TimeSpan wait)
        {
            await TooManyRequests.WriteAsync(Context, wait, result.Failure!.Message);
            return;
        }
        Response.StatusCode = ProblemCodes.Unauthorized.Status;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteAsync(ProblemCodes.Unauthorized, result.Failure?.Message ?? "Send an API key in the header 'Authorization: Bearer <api key>'.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = ProblemCodes.Forbidden.Status;
        var role = Context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value?.ToLowerInvariant() ?? "this";
        await WriteAsync(ProblemCodes.Forbidden, $"A {role} key may not call {Request.Method} {Request.Path}.");
    }

    private Task WriteAsync(ProblemCode code, string detail) =>
        problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = code.Status, Title = code.Title, Detail = detail, Extensions = { ["code"] = code.Code } },
        }).AsTask();

    public static IServiceCollection AddApiKeyAuthentication(IServiceCollection services)
    {
        services.AddSingleton<ApiKeyDirectory>();
        services.AddSingleton<FailedKeyLimiter>();
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, p => p.RequireRole(nameof(ApiKeyRole.Operator)))
            .AddPolicy(AdminPolicy, p => p.RequireRole(nameof(ApiKeyRole.Operator), nameof(ApiKeyRole.Admin)))
            .AddPolicy(AnyKeyPolicy, p => p.RequireRole(nameof(ApiKeyRole.Operator), nameof(ApiKeyRole.Admin), nameof(ApiKeyRole.Client)))
            .AddPolicy(InstallationPolicy, p => p.RequireRole(nameof(ApiKeyRole.Installation)));
        return services;
    }
}
