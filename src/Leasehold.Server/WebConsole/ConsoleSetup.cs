using Leasehold.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using MudBlazor.Services;

namespace Leasehold.Server.WebConsole;

/// <summary>
/// The web console at <c>/console</c> (docs/console.md): Blazor components rendered on the server
/// with MudBlazor, signed in by a cookie of its own. The HTTP API is untouched: it still answers only
/// bearer API keys, so a console cookie can never call it (and cross-site requests cannot ride on it).
/// </summary>
internal static class ConsoleSetup
{
    public const string Scheme = "LeaseholdConsole";
    public const string CookieName = "leasehold-console";
    public const string Root = "/console";

    /// <summary>The pages' authorization policy: signed in with the console's cookie, as an operator or a tenant admin.</summary>
    public const string Policy = "console";

    public static IServiceCollection AddLeaseholdConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddSingleton<IConsoleSignIn, ApiKeySignIn>();
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
            .RequireRole(nameof(Storage.ApiKeyRole.Operator), nameof(Storage.ApiKeyRole.Admin)));
        services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever the console is reached over HTTPS
            options.Cookie.Path = Root;
            options.LoginPath = Root + "/sign-in";
            options.AccessDeniedPath = Root + "/sign-in";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = StillValidAsync;
        });
        // Cookies stay valid across restarts: the keys that protect them live in the data directory, readable by the server's user.
        services.AddDataProtection().SetApplicationName("Leasehold");
        services.AddOptions<KeyManagementOptions>().Configure<LeaseholdSettings>((options, settings) =>
            options.XmlRepository = new FileSystemXmlRepository(OwnerOnlyFiles.CreateDirectory(Path.Combine(settings.DataDirectory, "console-keys")),
                Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        return services;
    }

    /// <summary>
    /// A signed-in person whose API key has been revoked since is signed out at their next page: the
    /// cookie never outlives the key it was made from.
    /// </summary>
    private static async Task StillValidAsync(CookieValidatePrincipalContext context)
    {
        var keyId = context.Principal?.FindFirst(Auth.Caller.KeyIdClaim)?.Value;
        var keys = context.HttpContext.RequestServices.GetRequiredService<Storage.IApiKeyStore>();
        if (keyId is null || await keys.GetApiKeyAsync(keyId, context.HttpContext.RequestAborted) is not { RevokedAt: null })
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    /// <summary>
    /// The console's static files (MudBlazor's styles under <c>/_content/</c>) by the static-file
    /// middleware, not by endpoints: the endpoint form adds a catch-all route that would turn the API's
    /// <c>405 method_not_allowed</c> answers into 404s.
    /// </summary>
    public static WebApplication UseLeaseholdConsoleFiles(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions { ServeUnknownFileTypes = false });
        return app;
    }

    public static WebApplication MapLeaseholdConsole(this WebApplication app)
    {
        app.MapRazorComponents<ConsoleApp>().ExcludeFromDescription();
        app.MapConsoleLive();
        app.MapGet("/", () => Results.Redirect(Root)).ExcludeFromDescription();
        app.MapConsoleExports();
        return app;
    }
}
