using Leasehold.Server.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Leasehold.Server.WebConsole;

/// <summary>
/// A console page's common start: who is signed in, and which tenant the page shows
/// (<see cref="ConsoleScope"/>). For a tenant that is not the caller's to see, the page shows
/// <see cref="ScopeNotFound"/> instead of its content. (Its status stays 200: Blazor sends a page that
/// sets 404 without a body, and a browser would show its own error page instead of the words.)
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    [SupplyParameterFromQuery(Name = ConsoleScope.Query)] private string? RequestedTenant { get; set; }

    /// <summary>The page's scope; null when the requested tenant is not the caller's (the page is then not found).</summary>
    internal ConsoleScope? Scope { get; private set; }

    internal Caller Caller => Scope?.Caller ?? throw new InvalidOperationException("Scope read before it was resolved.");

    /// <summary>Resolves the scope; false when the page must show nothing but <see cref="ScopeNotFound"/>.</summary>
    protected async Task<bool> ResolveScopeAsync()
    {
        var caller = Caller.From((await Authentication).User);
        Scope = ConsoleScope.Resolve(caller, RequestedTenant);
        return Scope is not null;
    }

    /// <summary>What a page shows for a tenant that is not the caller's: the same words as the API's 404.</summary>
    protected const string ScopeNotFound = "No such tenant.";
}
