using Leasehold.Server.Auth;

namespace Leasehold.Server.Usage;

/// <summary>
/// Usage history and reports (SPEC rule 16, and right-sizing): for tenant admins (their own tenant)
/// and the operator. Every read is confined to the caller's tenant in SQL, like the rest of the store.
/// </summary>
internal static class UsageEndpoints
{
    public static RouteGroupBuilder MapUsage(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(ApiKeyAuthentication.AdminPolicy).ProducesProblem(403);
        group.MapGet("/events", HistoryCalls.ListAsync).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The usage history: filter by time, license, user, client type, kind and code; paged by cursor.");
        group.MapGet("/events.csv", HistoryCalls.ExportAsync).Produces(200, contentType: "text/csv").ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The usage history as CSV, streamed (same filters, no paging).");

        var license = group.MapGroup("/licenses/{id}");
        license.MapGet("/concurrency", ReportCalls.ConcurrencyAsync).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Peak seats and sessions, utilisation and refusals per hour or day of the tenant's calendar.");
        license.MapGet("/holders", ReportCalls.HoldersAsync).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Who was using seats at a moment.");
        license.MapGet("/denials", OutcomeCalls.DenialsAsync).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Refused checkouts and failed checks of a period, by client type and code.");
        license.MapGet("/limit-warnings", OutcomeCalls.LimitWarningsAsync).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Whether and when the license went over its limit (soft mode) or refused for want of a seat.");
        license.MapGet("/what-if", RightSizeCalls.WhatIfAsync).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The history replayed against another seat count: refusals and overage minutes.");
        license.MapGet("/right-size", RightSizeCalls.RightSizeAsync).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The smallest seat count that would have kept refusals within a target, and the idlest holders.");
        license.MapGet("/idle-holders", RightSizeCalls.IdleHoldersAsync).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The users who held seats longest while idle.");
        return group;
    }
}
