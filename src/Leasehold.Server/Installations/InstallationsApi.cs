using Leasehold.Core.Installations;
using Leasehold.Core;
using Leasehold.Server.Audit;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Licenses;
using Leasehold.Server.Lists;
using Leasehold.Server.Signing;
using Leasehold.Server.Storage;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Installations;

/// <param name="Fingerprint">Names the machine the installation runs on (its host name, say): written into its license files.</param>
/// <param name="Seats">Its share of the license: seats it may hand out at once, offline.</param>
internal sealed record CreateInstallationRequest(
    [property: Text(64)] string? LicenseId,
    [property: Text(100)] string? Name,
    [property: Text(256)] string? Fingerprint,
    [property: WholeNumber(0, LicensesApi.MaxSeats)] int? Seats);

internal sealed record AllocateRequest([property: WholeNumber(0, LicensesApi.MaxSeats)] int? Seats);

/// <summary>
/// An installation and its share: <paramref name="Seats"/> allocated now; <paramref name="SeatsInForce"/>, what it may be using
/// (more while it still holds an older, larger file). <paramref name="InstallationKey"/> (the secret the installation fetches its
/// files with) is only in the answers that make one.
/// </summary>
internal sealed record InstallationResponse(
    string Id, string TenantId, string LicenseId, string Name, string Fingerprint, int Seats, int SeatsInForce, long TakenSerial,
    long? LatestSerial, DateTimeOffset? FileUsableUntil, DateTimeOffset? LastContactAt, DateTimeOffset CreatedAt, string? InstallationKey = null)
{
    internal static InstallationResponse From(Installation i, DateTimeOffset now, string? installationKey = null) =>
        new(i.Id, i.TenantId, i.LicenseId, i.Name, i.Fingerprint, i.Allocated, i.Share.InForce(now), i.TakenSerial,
            i.LatestFile?.Serial, i.LatestFile?.UsableUntil, i.LastContactAt, i.CreatedAt, installationKey);
}

/// <summary>A signed license file for an installation: <paramref name="LicenseFile"/> is the file itself (a JWS), the rest says what it grants.</summary>
internal sealed record LicenseFileResponse(
    string InstallationId, long Serial, int Seats, DateTimeOffset? EndsAt, DateTimeOffset RefreshBy, DateTimeOffset UsableUntil, string KeyId, string LicenseFile);

/// <summary>What every installation handler needs.</summary>
internal sealed record InstallationServices(IInstallationStore Installations, ISessionDecisions Decisions, IApiKeyStore Keys, ApiKeyDirectory Directory, TimeProvider Clock);

/// <summary>
/// Installations of a company license (the central server with 8 seats, two laptops with 1 each):
/// registered and given their share by the operator or the tenant's administrator, each enforcing
/// its share alone by the license files the issuer signs for it. Shares and the seats used online on
/// this server never add up to more than the license. The installation itself calls with its own key
/// (<c>InstallationsApi.Self.cs</c>).
/// </summary>
internal static partial class InstallationsApi
{
    public static RouteGroupBuilder MapInstallationsApi(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(ApiKeyAuthentication.AdminPolicy).ProducesProblem(403);
        group.MapPost("/", RegisterInstallation).WithBodyLimit(BodyLimits.Medium).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Register an installation under a license with its share (409 allocation_exceeds_license when the license cannot give it).");
        group.MapGet("/", ListInstallations).ProducesProblem(400).WithSummary("List installations, optionally of one license: share, seats in force, latest file, last contact.");
        group.MapGet("/{id}", GetInstallation).ProducesProblem(404).WithSummary("Read one installation.");
        group.MapPatch("/{id}", AllocateInstallation).WithBodyLimit(BodyLimits.Medium).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Change an installation's share: lower always; higher within what the license has free.");
        group.MapPost("/{id}/license-file", IssueLicenseFile).ProducesProblem(404)
            .WithSummary("Sign a new license file for the installation: its share now, the license's policy and end date, the next serial.");
        group.MapPost("/{id}/key", ReplaceInstallationKey).ProducesProblem(404)
            .WithSummary("Make the installation a new installation key (shown once in installationKey) and revoke its old ones.");
        return group;
    }

    public static async Task<Results<Created<InstallationResponse>, ProblemHttpResult>> RegisterInstallation(
        CreateInstallationRequest request, Caller caller, [AsParameters] InstallationServices services, CancellationToken ct)
    {
        var now = services.Clock.Now();
        var outcome = await services.Decisions.DecideOnLicenseAsync(new LedgerQuery(request.LicenseId!, caller.TenantScope), ledger =>
            InstallationDecisions.Register(ledger, new Installation(Ids.Installation(), ledger.License.TenantId, ledger.License.Id, request.Name!,
                request.Fingerprint!, request.Seats!.Value, 0, null, now, []), now), ct);
        if (outcome is InstallationOutcome.Done registered)
        {
            var secret = await NewKeyAsync(registered.Installation, caller, services, ct);
            return TypedResults.Created($"/v1/installations/{registered.Installation.Id}", InstallationResponse.From(registered.Installation, now, secret));
        }
        return outcome switch
        {
            null => Problems.NotFound("license", "licenseId"),
            InstallationOutcome.Refused refused => Refusal(refused),
            _ => throw new InvalidOperationException($"Unhandled installation outcome {outcome.GetType().Name}."),
        };
    }

    /// <summary>Installations by registration time, then id, a page at a time.</summary>
    /// <param name="licenseId">Only this license's installations.</param>
    public static async Task<Results<Ok<Page<InstallationResponse>>, ProblemHttpResult>> ListInstallations(
        [FromQuery(Name = "licenseId")] string? licenseId, [AsParameters] PageQuery query, Caller caller, [AsParameters] InstallationServices services,
        CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var page = Paging.Read(query, "i1", errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var now = services.Clock.Now();
        var installations = await services.Installations.ListInstallationsAsync(caller.TenantScope, licenseId, page, ct);
        return TypedResults.Ok(Paging.Of(installations, page, "i1", i => new PageKey(i.CreatedAt.ToUnixTimeMilliseconds(), i.Id),
            i => InstallationResponse.From(i, now)));
    }

    public static async Task<Results<Ok<InstallationResponse>, ProblemHttpResult>> GetInstallation(
        string id, Caller caller, [AsParameters] InstallationServices services, CancellationToken ct) =>
        await services.Installations.GetInstallationAsync(id, caller.TenantScope, ct) is { } installation
            ? TypedResults.Ok(InstallationResponse.From(installation, services.Clock.Now()))
            : Problems.NotFound("installation");

    public static async Task<Results<Ok<InstallationResponse>, ProblemHttpResult>> AllocateInstallation(
        string id, AllocateRequest request, Caller caller, [AsParameters] InstallationServices services, CancellationToken ct)
    {
        if (await services.Installations.GetInstallationAsync(id, caller.TenantScope, ct) is not { } installation)
            return Problems.NotFound("installation");
        var now = services.Clock.Now();
        var outcome = await services.Decisions.DecideOnLicenseAsync(new LedgerQuery(installation.LicenseId, caller.TenantScope),
            ledger => InstallationDecisions.Allocate(ledger, id, request.Seats!.Value, now), ct);
        return outcome switch
        {
            InstallationOutcome.Done done => TypedResults.Ok(InstallationResponse.From(done.Installation, now)),
            InstallationOutcome.Refused refused => Refusal(refused),
            _ => Problems.NotFound("installation"),
        };
    }

    public static async Task<Results<Ok<LicenseFileResponse>, ProblemHttpResult>> IssueLicenseFile(
        string id, Caller caller, [AsParameters] InstallationServices services, SigningKeyRing keys, CancellationToken ct) =>
        await services.Installations.GetInstallationAsync(id, caller.TenantScope, ct) is { } installation
            ? await IssueAsync(installation, null, services, keys, ct)
            : Problems.NotFound("installation");

    /// <summary>Records the file under the license's lock, then signs it: a file is counted before anyone can hold it.</summary>
    private static async Task<Results<Ok<LicenseFileResponse>, ProblemHttpResult>> IssueAsync(
        Installation installation, long? takenSerial, InstallationServices services, SigningKeyRing keys, CancellationToken ct)
    {
        using var signer = await keys.SignerAsync(ct);
        var keyId = Core.Installations.SigningJwk.From(signer).Kid;
        var now = services.Clock.Now();
        var outcome = await services.Decisions.DecideOnLicenseAsync(new LedgerQuery(installation.LicenseId, installation.TenantId),
            ledger => InstallationDecisions.Issue(ledger, installation.Id, keyId, now, takenSerial), ct);
        switch (outcome)
        {
            case InstallationOutcome.Issued issued:
                var file = issued.File;
                return TypedResults.Ok(new LicenseFileResponse(file.InstallationId, file.Serial, file.Seats, file.EndsAt, file.RefreshBy,
                    issued.Installation.LatestFile!.UsableUntil, keyId, LicenseFiles.Sign(file, signer)));
            case InstallationOutcome.Refused refused:
                return Refusal(refused);
            default:
                return Problems.NotFound("installation");
        }
    }

    /// <summary>A new installation key; the installation's earlier keys stop working at once.</summary>
    public static async Task<Results<Ok<InstallationResponse>, ProblemHttpResult>> ReplaceInstallationKey(
        string id, Caller caller, [AsParameters] InstallationServices services, CancellationToken ct)
    {
        if (await services.Installations.GetInstallationAsync(id, caller.TenantScope, ct) is not { } installation)
            return Problems.NotFound("installation");
        var now = services.Clock.Now();
        foreach (var old in await services.Keys.ListApiKeysAsync(null, installation.TenantId, null, ct))
        {
            if (old is { Role: ApiKeyRole.Installation, RevokedAt: null } && old.Name == installation.Id)
            {
                await services.Keys.RevokeApiKeyAsync(old.Id, null, now, caller.Actor, ct);
                services.Directory.Forget(old.Id);
            }
        }
        return TypedResults.Ok(InstallationResponse.From(installation, now, await NewKeyAsync(installation, caller, services, ct)));
    }

    /// <summary>An installation key: an API key of role installation, named by the installation's id; answers its secret.</summary>
    private static async Task<string> NewKeyAsync(Installation installation, Caller caller, InstallationServices services, CancellationToken ct)
    {
        var secret = ApiKeySecrets.Generate();
        var key = new ApiKey(Ids.ApiKey(), installation.TenantId, ApiKeyRole.Installation, installation.Id,
            ApiKeySecrets.Hash(secret), services.Clock.Now(), null);
        await services.Keys.CreateApiKeyAsync(key, [AuditViews.KeyCreation(caller, key.CreatedAt, key)], ct);
        return secret;
    }

    /// <summary>409 with the refusal's own code from the catalogue, its field, and <c>maxSeats</c> when the share was too large.</summary>
    private static ProblemHttpResult Refusal(InstallationOutcome.Refused refused)
    {
        var extra = new Dictionary<string, object?> { ["field"] = refused.Field };
        if (refused.MaxSeats is { } max)
            extra["maxSeats"] = max;
        return Problems.Conflict(ProblemCodes.ForRefusal(refused.Code), refused.Message, extra);
    }
}
