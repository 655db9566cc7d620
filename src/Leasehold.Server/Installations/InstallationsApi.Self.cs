using Leasehold.Core.Installations;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Signing;
using Leasehold.Server.Storage;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Installations;

/// <param name="TakenSerial">The serial of the file the installation runs on now (it has verified and taken it); left out when it runs on none yet.</param>
internal sealed record FetchLicenseFileRequest([property: WholeNumber(1, long.MaxValue, Optional = true)] long? TakenSerial);

/// <param name="Serial">The serial of the file the installation has just verified and taken.</param>
internal sealed record TakenFileRequest([property: WholeNumber(1, long.MaxValue)] long? Serial);

/// <summary>
/// What an installation asks of its issuer with its own installation key (never a person's key):
/// its next license file, and which file it has taken. Taking a file is what frees the seats of a
/// lowered share for other installations.
/// </summary>
internal static partial class InstallationsApi
{
    public static RouteGroupBuilder MapInstallationSelfApi(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(ApiKeyAuthentication.InstallationPolicy).ProducesProblem(403);
        group.MapGet("/", GetOwnInstallation).WithSummary("The calling installation as the issuer knows it (installation key).");
        group.MapPost("/license-file", FetchOwnLicenseFile).ProducesProblem(400).ProducesProblem(409)
            .WithSummary("Sign the calling installation's next license file (installation key); takenSerial says which file it runs on now.");
        group.MapPost("/taken", TakeOwnLicenseFile).ProducesProblem(400).ProducesProblem(409)
            .WithSummary("Say which file the calling installation has verified and now runs on (installation key): a lowered share's seats come free.");
        return group;
    }

    public static async Task<Results<Ok<InstallationResponse>, ProblemHttpResult>> GetOwnInstallation(
        Caller caller, [AsParameters] InstallationServices services, CancellationToken ct) =>
        await OwnAsync(caller, services, ct) is { } installation
            ? TypedResults.Ok(InstallationResponse.From(installation, services.Clock.Now()))
            : Problems.NotFound("installation");

    public static async Task<Results<Ok<LicenseFileResponse>, ProblemHttpResult>> FetchOwnLicenseFile(
        FetchLicenseFileRequest? request, Caller caller, [AsParameters] InstallationServices services, SigningKeyRing keys, CancellationToken ct) =>
        await OwnAsync(caller, services, ct) is { } installation
            ? await IssueAsync(installation, request?.TakenSerial, services, keys, ct)
            : Problems.NotFound("installation");

    public static async Task<Results<Ok<InstallationResponse>, ProblemHttpResult>> TakeOwnLicenseFile(
        TakenFileRequest request, Caller caller, [AsParameters] InstallationServices services, CancellationToken ct)
    {
        if (await OwnAsync(caller, services, ct) is not { } installation)
            return Problems.NotFound("installation");
        var now = services.Clock.Now();
        var outcome = await services.Decisions.DecideOnLicenseAsync(new LedgerQuery(installation.LicenseId, installation.TenantId),
            ledger => InstallationDecisions.Take(ledger, installation.Id, request.Serial!.Value, now), ct);
        return outcome switch
        {
            InstallationOutcome.Done done => TypedResults.Ok(InstallationResponse.From(done.Installation, now)),
            InstallationOutcome.Refused refused => Refusal(refused),
            _ => Problems.NotFound("installation"),
        };
    }

    private static Task<Installation?> OwnAsync(Caller caller, InstallationServices services, CancellationToken ct) =>
        caller.InstallationId is { } id ? services.Installations.GetInstallationAsync(id, caller.TenantId, ct) : Task.FromResult<Installation?>(null);
}
