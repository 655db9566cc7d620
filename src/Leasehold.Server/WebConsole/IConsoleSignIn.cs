using System.Security.Claims;
using Leasehold.Server.Auth;
using Leasehold.Server.Storage;

namespace Leasehold.Server.WebConsole;

/// <summary>
/// How a person signs in to the console: the one seam a single sign-on (OpenID Connect) sign-in
/// would replace. It answers who the person is as the same claims an API key carries (<see cref="Caller"/>),
/// so every page decides by role and tenant exactly as the API does.
/// </summary>
internal interface IConsoleSignIn
{
    /// <summary>The person behind <paramref name="secret"/>, or null (unknown, revoked, or a key that may not use the console).</summary>
    Task<ClaimsPrincipal?> SignInAsync(string secret, CancellationToken ct);
}

/// <summary>Signs in with an operator or tenant admin API key (client and installation keys belong to software, not people).</summary>
internal sealed class ApiKeySignIn(ApiKeyDirectory keys) : IConsoleSignIn
{
    public async Task<ClaimsPrincipal?> SignInAsync(string secret, CancellationToken ct) =>
        await keys.FindActiveAsync(secret.Trim(), ct) is { Role: ApiKeyRole.Operator or ApiKeyRole.Admin } key
            ? Caller.ToPrincipal(key, ConsoleSetup.Scheme)
            : null;
}
