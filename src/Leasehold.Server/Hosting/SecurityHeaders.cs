using Leasehold.Server.WebConsole;
using Microsoft.Net.Http.Headers;

namespace Leasehold.Server.Hosting;

/// <summary>
/// The headers every answer carries (docs/security.md, "Headers"): no content-type sniffing; no
/// caching of anything under <c>/v1</c> or <c>/console</c> (those answers belong to one caller, and
/// some carry a new secret: a created API key, an installation key); and for the console's pages a
/// content security policy that lets the page load only its own styles and script and never be framed.
/// Kestrel's own <c>Server</c> header is switched off where the host is composed.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// The console's pages: its styles (MudBlazor's from <c>/_content</c>, and inline <c>style</c>
    /// attributes the pages use), its one script (<c>/console/live.js</c>) and its own event stream.
    /// </summary>
    public const string ConsolePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            var privateAnswer = path.StartsWithSegments("/v1") || path.StartsWithSegments(ConsoleSetup.Root);
            var console = path.StartsWithSegments(ConsoleSetup.Root);
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                if (privateAnswer && !headers.ContainsKey(HeaderNames.CacheControl))
                    headers.CacheControl = "no-store";
                if (console)
                {
                    headers[HeaderNames.ContentSecurityPolicy] = ConsolePolicy;
                    headers["Referrer-Policy"] = "no-referrer";
                    headers[HeaderNames.XFrameOptions] = "DENY";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
