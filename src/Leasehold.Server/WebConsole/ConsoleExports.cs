using Leasehold.Server.Lists;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Usage;

namespace Leasehold.Server.WebConsole;

/// <summary>
/// Downloads the console links to. They live under <c>/console</c> so the console's cookie (limited to
/// that path) signs them in; the API itself never takes the cookie. Each calls the API's own handler
/// with the page's scope: a tenant admin gets its own tenant only, the vendor the tenant it chose.
/// </summary>
internal static class ConsoleExports
{
    public static WebApplication MapConsoleExports(this WebApplication app)
    {
        app.MapGet(ConsoleSetup.Root + "/usage/events.csv", ExportUsageAsync).RequireAuthorization(ConsoleSetup.Policy).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The usage page's CSV: the same filters and export as <c>GET /v1/usage/events.csv</c>. Another
    /// tenant (<c>?tenant=</c> of a tenant admin) is 404 "No such tenant.", as the pages answer.
    /// </summary>
    private static async Task<IResult> ExportUsageAsync([AsParameters] HistoryQuery query, string? tenant, HttpContext context,
        [AsParameters] UsageServices services, CancellationToken ct)
    {
        if (ConsoleScope.Resolve(Caller.From(context.User), UsageQuery.Blank(tenant)) is not { } scope)
            return Problems.NotFound("tenant", "tenant");
        var filters = new UsageQuery(UsageQuery.Blank(query.From), UsageQuery.Blank(query.To), UsageQuery.Blank(query.LicenseId),
            UsageQuery.Blank(query.User), UsageQuery.Blank(query.Client), UsageQuery.Blank(query.Kind), UsageQuery.Blank(query.Code));
        return (await UsageApi.ExportUsageEvents(filters.ToHistory(null, Paging.DefaultLimit), scope.Reader, services, ct)).Result;
    }
}
