using Leasehold.Core;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Licenses;

internal sealed record CreateLicenseRequest(
    string? TenantId, string? Product, int? Seats, PolicyDocument? Policy, DateTimeOffset? StartsAt = null, DateTimeOffset? EndsAt = null);

/// <summary>A change to a license: any field left out stays as it is. A new policy gets a new version; open sessions keep theirs.</summary>
internal sealed record UpdateLicenseRequest(int? Seats, PolicyDocument? Policy, DateTimeOffset? StartsAt = null, DateTimeOffset? EndsAt = null);

/// <summary>A license's plan as it stands: base seats, the add-ons bought on top, and the cap.</summary>
internal sealed record PlanResponse(string Name, int BaseSeats, int AddOnSeats, int MaxSeats);

internal sealed record LicenseResponse(
    string Id, string TenantId, string Product, int Seats, int SeatsInUse, PlanResponse? Plan,
    DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, int PolicyVersion, PolicyDocument Policy, DateTimeOffset CreatedAt)
{
    internal static LicenseResponse From(License l, int seatsInUse) =>
        new(l.Id, l.TenantId, l.Product, l.Seats, seatsInUse,
            l.Policy.Plan is { } plan ? new PlanResponse(plan.Name, plan.BaseSeats, plan.AddOnSeats(l.Seats), plan.MaxSeats) : null,
            l.StartsAt, l.EndsAt, l.PolicyVersion, PolicyDocument.From(l.Policy), l.CreatedAt);
}

/// <summary>Licenses: tenant x product, a seat limit and its policy. The operator creates them; tenant admins read their own.</summary>
internal static class LicenseEndpoints
{
    public const int MaxSeats = 1_000_000;

    public static RouteGroupBuilder MapLicenses(this RouteGroupBuilder group)
    {
        group.MapPost("/", CreateAsync).RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .ProducesProblem(400).ProducesProblem(404).WithSummary("Create a license for a tenant (operator).");
        group.MapPatch("/{id}", UpdateAsync).RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Change seats, dates or policy (operator); seats beyond the plan's cap: 409 plan_limit_reached.");
        group.MapGet("/", ListAsync).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .WithSummary("List licenses, optionally of one tenant.");
        group.MapGet("/{id}", GetAsync).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(404).WithSummary("Read one license, with the seats in use now.");
        return group;
    }

    private static async Task<Results<Created<LicenseResponse>, ProblemHttpResult>> CreateAsync(
        CreateLicenseRequest request, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var tenantId = errors.Required(request.TenantId, "tenantId", 64);
        var product = errors.Required(request.Product, "product", 100);
        if (request.Seats is null)
            errors.Add(new("seats", "Required."));
        else if (request.Seats is < 1 or > MaxSeats)
            errors.Add(new("seats", $"Must be between 1 and {MaxSeats}."));
        var policy = PolicyValidation.Build(request.Policy, "policy", errors);
        CheckDates(request.StartsAt, request.EndsAt, errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (PolicyValidation.CheckSeats(policy, request.Seats!.Value) is { } seatError)
            return SeatProblem(seatError);
        if (await store.GetTenantAsync(tenantId!, null, ct) is null)
            return Problems.NotFound("tenant", "tenantId");

        var license = new License(ApiKeySecrets.NewId("lic"), tenantId!, product!, request.Seats!.Value, policy, clock.Now())
        {
            StartsAt = request.StartsAt,
            EndsAt = request.EndsAt,
        };
        await store.CreateLicenseAsync(license, ct);
        return TypedResults.Created($"/v1/licenses/{license.Id}", LicenseResponse.From(license, 0));
    }

    private static async Task<Results<Ok<LicenseResponse>, ProblemHttpResult>> UpdateAsync(
        string id, UpdateLicenseRequest request, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetLicenseAsync(id, null, ct) is not { } license)
            return Problems.NotFound("license");
        var errors = new List<FieldError>();
        if (request.Seats is < 1 or > MaxSeats)
            errors.Add(new("seats", $"Must be between 1 and {MaxSeats}."));
        var policy = request.Policy is null ? license.Policy : PolicyValidation.Build(request.Policy, "policy", errors);
        CheckDates(request.StartsAt ?? license.StartsAt, request.EndsAt ?? license.EndsAt, errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var seats = request.Seats ?? license.Seats;
        if (PolicyValidation.CheckSeats(policy, seats) is { } seatError)
            return SeatProblem(seatError);

        var updated = license with
        {
            Seats = seats,
            Policy = policy,
            StartsAt = request.StartsAt ?? license.StartsAt,
            EndsAt = request.EndsAt ?? license.EndsAt,
            PolicyVersion = request.Policy is null ? license.PolicyVersion : license.PolicyVersion + 1,
        };
        await store.UpdateLicenseAsync(updated, clock.Now(), ct);
        var open = await store.ListOpenSessionsAsync(null, id, ct);
        return TypedResults.Ok(LicenseResponse.From(updated, SeatCount.InUse(SeatDecision.Sweep(open, clock.Now()).Live)));
    }

    private static void CheckDates(DateTimeOffset? startsAt, DateTimeOffset? endsAt, List<FieldError> errors)
    {
        if (startsAt is not null && endsAt is not null && endsAt <= startsAt)
            errors.Add(new("endsAt", "Must be after startsAt."));
    }

    /// <summary>Seats beyond the plan are a conflict with the plan (answer: change plan), not a malformed request.</summary>
    private static ProblemHttpResult SeatProblem(RequestError error) => error.Code == Codes.PlanLimitReached
        ? Problems.Conflict(error.Code, "The plan does not allow that many seats.", error.Message,
            new Dictionary<string, object?> { ["field"] = error.Field })
        : Problems.Invalid(error);

    private static async Task<Ok<LicenseResponse[]>> ListAsync(
        string? tenantId, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        var licenses = await store.ListLicensesAsync(caller.TenantScope, tenantId, ct);
        var open = await store.ListOpenSessionsAsync(caller.TenantScope, null, ct);
        var now = clock.Now();
        var inUse = open.GroupBy(s => s.LicenseId).ToDictionary(g => g.Key, g => SeatCount.InUse(SeatDecision.Sweep(g, now).Live));
        return TypedResults.Ok(licenses.Select(l => LicenseResponse.From(l, inUse.GetValueOrDefault(l.Id))).ToArray());
    }

    private static async Task<Results<Ok<LicenseResponse>, ProblemHttpResult>> GetAsync(
        string id, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetLicenseAsync(id, caller.TenantScope, ct) is not { } license)
            return Problems.NotFound("license");
        var open = await store.ListOpenSessionsAsync(caller.TenantScope, id, ct);
        return TypedResults.Ok(LicenseResponse.From(license, SeatCount.InUse(SeatDecision.Sweep(open, clock.Now()).Live)));
    }
}
