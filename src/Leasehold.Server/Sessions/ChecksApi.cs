using Leasehold.Core.Sessions;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Leasehold.Server.Telemetry;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Sessions;

internal sealed record CheckBody(
    [property: Text(64)] string? LicenseId,
    [property: Text] string? User,
    [property: Text(32)] string? Client);

internal sealed record CheckResponse(bool Pass, string Code, string Message, int SeatsInUse, int SeatLimit, WarningResponse[] Warnings);

/// <summary><c>POST /v1/checks</c>: the pass/fail test of clients that hold no seat (mobile, add-ins, API).</summary>
internal static class ChecksApi
{
    public static RouteGroupBuilder MapChecksApi(this RouteGroupBuilder group)
    {
        group.MapPost("/", Check).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(400).ProducesProblem(404).WithSummary("Pass/fail: is a seat free? Holds nothing.");
        return group;
    }

    public static async Task<Results<Ok<CheckResponse>, ProblemHttpResult>> Check(
        CheckBody body, Caller caller, [AsParameters] SessionServices services, LeaseholdMetrics metrics, CancellationToken ct)
    {
        using var measured = LeaseholdMetrics.Start(DecisionKind.Check, body.LicenseId);
        var now = services.Clock.Now();
        var result = await services.Decisions.DecideOnLicenseAsync(new LedgerQuery(body.LicenseId!, caller.TenantScope),
            ledger => SeatDecision.Check(ledger, new CheckRequest(body.User!, body.Client!), now), ct);
        metrics.Check(measured, result);
        return result switch
        {
            null => Problems.NotFound("license", "licenseId"),
            CheckResult.Answered a => TypedResults.Ok(new CheckResponse(a.Pass, a.Code, a.Message, a.SeatsInUse, a.Seats, WarningResponse.From(a.Warnings))),
            CheckResult.Rejected r => Problems.Invalid(r.Error),
            _ => throw new InvalidOperationException($"Unhandled check result {result.GetType().Name}."),
        };
    }
}
