using System.Text.Json.Serialization;
using Leasehold.Core;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Server.Audit;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Lists;
using Leasehold.Server.Storage;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Licenses;

internal sealed record CreateLicenseRequest(
    [property: Text(64)] string? TenantId,
    [property: Text(100)] string? Product,
    [property: WholeNumber(1, LicensesApi.MaxSeats)] int? Seats,
    PolicyDocument? Policy,
    DateTimeOffset? StartsAt = null,
    DateTimeOffset? EndsAt = null) : ICheckedRequest
{
    /// <summary>The policy built from <see cref="Policy"/> (the default policy when none is given) by <see cref="Check"/>.</summary>
    [JsonIgnore]
    public LicensePolicy BuiltPolicy { get; private set; } = LicensePolicy.Default;

    public void Check(List<FieldError> errors)
    {
        BuiltPolicy = PolicyValidation.Build(Policy, "policy", errors);
        LicensesApi.CheckDates(StartsAt, EndsAt, errors);
    }
}

/// <summary>A change to a license: any field left out stays as it is. A new policy gets a new version; open sessions keep theirs.</summary>
internal sealed record UpdateLicenseRequest(
    [property: WholeNumber(1, LicensesApi.MaxSeats, Optional = true)] int? Seats,
    PolicyDocument? Policy,
    DateTimeOffset? StartsAt = null,
    DateTimeOffset? EndsAt = null) : ICheckedRequest
{
    /// <summary>The policy built from <see cref="Policy"/> by <see cref="Check"/> (null: the policy stays as it is).</summary>
    [JsonIgnore]
    public LicensePolicy? BuiltPolicy { get; private set; }

    public void Check(List<FieldError> errors) => BuiltPolicy = Policy is null ? null : PolicyValidation.Build(Policy, "policy", errors);
}

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

/// <summary>What every license handler needs.</summary>
internal sealed record LicenseServices(ITenantStore Tenants, ISessionReads Sessions, TimeProvider Clock);

/// <summary>Licenses: tenant x product, a seat limit and its policy. The operator creates them; tenant admins read their own.</summary>
internal static class LicensesApi
{
    public const int MaxSeats = 1_000_000;

    public static RouteGroupBuilder MapLicensesApi(this RouteGroupBuilder group)
    {
        group.MapPost("/", CreateLicense).WithBodyLimit(BodyLimits.License).ReadsPolicy().RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .ProducesProblem(400).ProducesProblem(404).WithSummary("Create a license for a tenant (operator).");
        group.MapPatch("/{id}", UpdateLicense).WithBodyLimit(BodyLimits.License).ReadsPolicy().RequireAuthorization(ApiKeyAuthentication.OperatorPolicy)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Change seats, dates or policy (operator); seats beyond the plan's cap: 409 plan_limit_reached.");
        group.MapGet("/", ListLicenses).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(400).WithSummary("List licenses, optionally of one tenant, a page at a time by creation.");
        group.MapGet("/{id}", GetLicense).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(404).WithSummary("Read one license, with the seats in use now.");
        return group;
    }

    public static async Task<Results<Created<LicenseResponse>, ProblemHttpResult>> CreateLicense(
        CreateLicenseRequest request, Caller caller, [AsParameters] LicenseServices services, CancellationToken ct)
    {
        if (PolicyValidation.CheckSeats(request.BuiltPolicy, request.Seats!.Value) is { } seatError)
            return SeatProblem(seatError);
        if (await services.Tenants.GetTenantAsync(request.TenantId!, null, ct) is null)
            return Problems.NotFound("tenant", "tenantId");

        var license = new License(Ids.License(), request.TenantId!, request.Product!, request.Seats.Value, request.BuiltPolicy, services.Clock.Now())
        {
            StartsAt = request.StartsAt,
            EndsAt = request.EndsAt,
        };
        await services.Tenants.CreateLicenseAsync(license, [AuditViews.LicenseCreation(caller, license.CreatedAt, license)], ct);
        return TypedResults.Created($"/v1/licenses/{license.Id}", LicenseResponse.From(license, 0));
    }

    public static async Task<Results<Ok<LicenseResponse>, ProblemHttpResult>> UpdateLicense(
        string id, UpdateLicenseRequest request, Caller caller, [AsParameters] LicenseServices services, CancellationToken ct)
    {
        if (await services.Tenants.GetLicenseAsync(id, null, ct) is not { } license)
            return Problems.NotFound("license");
        var dateErrors = new List<FieldError>();
        CheckDates(request.StartsAt ?? license.StartsAt, request.EndsAt ?? license.EndsAt, dateErrors);
        if (dateErrors.Count > 0)
            return Problems.Invalid(dateErrors);
        var policy = request.BuiltPolicy ?? license.Policy;
        var seats = request.Seats ?? license.Seats;
        if (PolicyValidation.CheckSeats(policy, seats) is { } seatError)
            return SeatProblem(seatError);

        var updated = license with
        {
            Seats = seats,
            Policy = policy,
            StartsAt = request.StartsAt ?? license.StartsAt,
            EndsAt = request.EndsAt ?? license.EndsAt,
            PolicyVersion = request.BuiltPolicy is null ? license.PolicyVersion : license.PolicyVersion + 1,
        };
        var now = services.Clock.Now();
        await services.Tenants.UpdateLicenseAsync(updated, now, AuditViews.LicenseChanges(caller, now, license, updated), ct);
        return TypedResults.Ok(LicenseResponse.From(updated, await SeatsInUseAsync(services, null, id, now, ct)));
    }

    /// <summary>Licenses by creation time, then id, a page at a time, each with its seats in use now.</summary>
    /// <param name="tenantId">Only this tenant's licenses.</param>
    public static async Task<Results<Ok<Page<LicenseResponse>>, ProblemHttpResult>> ListLicenses(
        [FromQuery(Name = "tenantId")] string? tenantId, [AsParameters] PageQuery query, Caller caller, [AsParameters] LicenseServices services,
        CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var page = Paging.Read(query, "l1", errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var licenses = await services.Tenants.ListLicensesAsync(caller.TenantScope, tenantId, page, ct);
        var inUse = await services.Sessions.SeatsInUseAsync(caller.TenantScope, [.. licenses.Select(l => l.Id)], services.Clock.Now(), ct);
        return TypedResults.Ok(Paging.Of(licenses, page, "l1", l => new PageKey(l.CreatedAt.ToUnixTimeMilliseconds(), l.Id),
            l => LicenseResponse.From(l, inUse.GetValueOrDefault(l.Id))));
    }

    /// <summary>Every license in the caller's scope with its seats in use now: the console's overview.</summary>
    internal static async Task<LicenseResponse[]> ListAsync(string? tenantId, Caller caller, LicenseServices services, CancellationToken ct)
    {
        var licenses = await services.Tenants.ListLicensesAsync(caller.TenantScope, tenantId, null, ct);
        var inUse = await services.Sessions.SeatsInUseAsync(tenantId ?? caller.TenantScope, null, services.Clock.Now(), ct);
        return [.. licenses.Select(l => LicenseResponse.From(l, inUse.GetValueOrDefault(l.Id)))];
    }

    public static async Task<Results<Ok<LicenseResponse>, ProblemHttpResult>> GetLicense(
        string id, Caller caller, [AsParameters] LicenseServices services, CancellationToken ct)
    {
        if (await services.Tenants.GetLicenseAsync(id, caller.TenantScope, ct) is not { } license)
            return Problems.NotFound("license");
        return TypedResults.Ok(LicenseResponse.From(license, await SeatsInUseAsync(services, caller.TenantScope, id, services.Clock.Now(), ct)));
    }

    internal static void CheckDates(DateTimeOffset? startsAt, DateTimeOffset? endsAt, List<FieldError> errors)
    {
        if (startsAt is not null && endsAt is not null && endsAt <= startsAt)
            errors.Add(new("endsAt", "Must be after startsAt."));
    }

    private static async Task<int> SeatsInUseAsync(LicenseServices services, string? tenantScope, string licenseId, DateTimeOffset now, CancellationToken ct) =>
        (await services.Sessions.SeatsInUseAsync(tenantScope, [licenseId], now, ct)).GetValueOrDefault(licenseId);

    /// <summary>Seats beyond the plan are a conflict with the plan (answer: change plan), not a malformed request.</summary>
    private static ProblemHttpResult SeatProblem(RequestError error) => error.Code == Codes.PlanLimitReached
        ? Problems.Conflict(ProblemCodes.PlanLimitReached, error.Message, new Dictionary<string, object?> { ["field"] = error.Field })
        : Problems.Invalid(error);
}
