using Leasehold.Core.Sessions;
using Leasehold.Core;
using Leasehold.Server.Audit;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Lists;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Sessions;

/// <summary>A user cooling down after an admin stop: their checkouts on the license are refused until <paramref name="Until"/>.</summary>
/// <param name="Since">When the stop began it.</param>
/// <param name="SessionId">The stopped session.</param>
/// <param name="StoppedBy">The id of the key that stopped it.</param>
internal sealed record CoolDownResponse(string LicenseId, string User, DateTimeOffset Since, DateTimeOffset Until, string SessionId, string? StoppedBy)
{
    internal static CoolDownResponse From(CoolDown c) => new(c.LicenseId, c.User, c.At, c.Until, c.SessionId, c.Actor);
}

/// <summary>
/// Cool-downs after admin stops, under their license (<c>/v1/licenses/{licenseId}/cool-downs</c>): who is
/// kept out now, and lifting it (the user may check out again at once). Admins of the tenant, and the operator.
/// </summary>
internal static class CoolDownsApi
{
    public static RouteGroupBuilder MapCoolDownsApi(this RouteGroupBuilder group)
    {
        group.MapGet("/", ListCoolDowns).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Users an admin stopped whose cool-down is in force (their checkouts are refused with stopped_recently), soonest end first, a page at a time.");
        group.MapDelete("/{user}", LiftCoolDown).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(404).WithSummary("Lift a user's cool-down: they may check out again at once (404 when none is in force).");
        return group;
    }

    /// <summary>One entry per user cooling down, soonest end first (then by the stopped session's id), a page at a time.</summary>
    public static async Task<Results<Ok<Page<CoolDownResponse>>, ProblemHttpResult>> ListCoolDowns(
        string licenseId, [AsParameters] PageQuery query, Caller caller, [AsParameters] SessionServices services, ITenantStore tenants, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var page = Paging.Read(query, "d1", errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (await tenants.GetLicenseAsync(licenseId, caller.TenantScope, ct) is null)
            return Problems.NotFound("license", "licenseId");
        var coolDowns = await services.Sessions.ListCoolDownsAsync(caller.TenantScope, licenseId, services.Clock.Now(), page, ct);
        return TypedResults.Ok(Paging.Of(coolDowns, page, "d1", c => new PageKey(c.Until.ToUnixTimeMilliseconds(), c.SessionId), CoolDownResponse.From));
    }

    /// <param name="user">The user as the sessions named them (compared case-insensitively), URL-encoded.</param>
    public static async Task<Results<NoContent, ProblemHttpResult>> LiftCoolDown(
        string licenseId, string user, Caller caller, [AsParameters] SessionServices services, CancellationToken ct)
    {
        // The server decodes every escape of a path but %2F (it would split the path): a user name with a slash in it arrives with it escaped.
        user = user.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var now = services.Clock.Now();
        var lifted = await services.Decisions.DecideOnLicenseAsync(new LedgerQuery(licenseId, caller.TenantScope),
            ledger => CoolDowns.Lift(ledger, user, now, caller.KeyId),
            result => AuditViews.CoolDownLift(caller, now, result), ct);
        return lifted switch
        {
            null => Problems.NotFound("license", "licenseId"),
            { Lifted.Count: 0 } => Problems.Of(ProblemCodes.NotFound, $"{user} is not cooling down on this license: nothing to lift.",
                new Dictionary<string, object?> { ["field"] = "user" }, title: "No such cool-down."),
            _ => TypedResults.NoContent(),
        };
    }
}
