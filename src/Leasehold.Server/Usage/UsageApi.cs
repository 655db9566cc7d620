using Leasehold.Server.Auth;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Usage;

/// <summary>What every usage handler needs: the history, the licenses and tenants it is about (their time zones), and the clock.</summary>
/// <param name="Ids">How event ids are shown (enciphered: they do not count other tenants' events).</param>
internal sealed record UsageServices(IUsageStore Usage, ITenantStore Tenants, TimeProvider Clock, UsageEventIds Ids);

/// <summary>
/// Usage history and reports (who used which license when, what was refused, and right-sizing): for
/// tenant admins (their own tenant) and the operator. Every read is confined to the caller's tenant
/// in SQL, like the rest of the store. The handlers are in the partial files beside this one.
/// </summary>
internal static partial class UsageApi
{
    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(ApiKeyAuthentication.AdminPolicy).ProducesProblem(403);
        group.MapGet("/events", ListUsageEvents).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The usage history: filter by time, license, user, client type, kind and code; paged by cursor.");
        group.MapGet("/events.csv", ExportUsageEvents).Produces(200, contentType: "text/csv").ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The usage history as CSV, streamed (same filters, no paging).");

        var license = group.MapGroup("/licenses/{id}");
        license.MapGet("/concurrency", GetConcurrency).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Peak seats and sessions, utilisation, refusals and waits per hour or day of the tenant's calendar.");
        license.MapGet("/holders", GetHolders).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Who was using seats at a moment.");
        license.MapGet("/denials", GetDenials).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Refused checkouts and failed checks of a period, by client type and code.");
        license.MapGet("/limit-warnings", GetLimitWarnings).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Whether and when the license went over its limit (soft mode) or refused for want of a seat.");
        license.MapGet("/what-if", GetWhatIf).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The history replayed against another seat count: refusals, overage minutes and the longest wait.");
        license.MapGet("/right-size", GetRightSize).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The smallest seat count that would have kept refusals (and, if asked, waits) within a target, and the idlest holders.");
        license.MapGet("/idle-holders", GetIdleHolders).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The users who held seats longest while idle.");
        return group;
    }
}
