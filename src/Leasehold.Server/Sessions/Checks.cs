using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Sessions;

/// <summary><c>POST /v1/checks</c>: the pass/fail test of clients that hold no seat (mobile, add-ins, API).</summary>
internal static class Checks
{
    public static async Task<Results<Ok<CheckResponse>, ProblemHttpResult>> HandleAsync(
        CheckBody body, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var licenseId = errors.Required(body.LicenseId, "licenseId", 64);
        var user = errors.Required(body.User, "user");
        var client = errors.Required(body.Client, "client", 32);
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var now = clock.Now();
        var result = await store.DecideOnLicenseAsync(new LedgerQuery(licenseId!, caller.TenantScope),
            ledger => SeatDecision.Check(ledger, new CheckRequest(user!, client!), now), ct);
        return result switch
        {
            null => Problems.NotFound("license", "licenseId"),
            CheckResult.Answered a => TypedResults.Ok(new CheckResponse(a.Pass, a.Code, a.Message, a.SeatsInUse, a.Seats, WarningResponse.From(a.Warnings))),
            CheckResult.Rejected r => Problems.Invalid(r.Error),
            _ => throw new InvalidOperationException($"Unhandled check result {result.GetType().Name}."),
        };
    }
}
