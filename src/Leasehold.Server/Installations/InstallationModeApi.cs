using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Installations;

/// <summary>
/// An installation-mode server's own license, as its administrator sees it: the file it runs on
/// (seats, end date, refresh-by date), when it renews by itself, and how the last attempt went.
/// </summary>
internal sealed record InstallationStatusResponse(
    string InstallationId, string TenantId, string LicenseId, string Product, LicenseFileSummary File,
    DateTimeOffset RenewFrom, Uri? Issuer, DateTimeOffset? NextAttemptAt, RenewalAttempt? LastAttempt, bool ClockMovedBack, DateTimeOffset LatestSeen)
{
    internal static InstallationStatusResponse From(InstallationLicense license)
    {
        var shown = license.Snapshot!;
        var current = shown.Current;
        return new(current.File.InstallationId, current.File.TenantId, current.File.LicenseId, current.File.Product, LicenseFileSummary.Of(current),
            shown.RenewFrom, license.CanUpdate ? license.Issuer : null, shown.NextAttemptAt, shown.LastAttempt, license.ClockMovedBack, license.LatestSeen);
    }
}

/// <summary>What the Update button did: which of seats and end date changed, and the file before and after.</summary>
internal sealed record InstallationUpdateResponse(string[] Changed, LicenseFileSummary Before, LicenseFileSummary After);

/// <summary>
/// <c>/v1/installation</c>: on an installation-mode server, its license file and the Update button.
/// On any other server these answer 404.
/// </summary>
internal static class InstallationModeApi
{
    public static RouteGroupBuilder MapInstallationModeApi(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(ApiKeyAuthentication.AdminPolicy).ProducesProblem(403).ProducesProblem(404);
        group.MapGet("/", GetInstallationStatus)
            .WithSummary("Installation mode: the license file this server runs on (seats, end date, refresh-by), when it renews by itself, the last attempt.");
        group.MapPost("/update", UpdateInstallation).ProducesProblem(409).ProducesProblem(502)
            .WithSummary("Installation mode: fetch a new license file from the issuer now (the Update button) and answer what changed.");
        return group;
    }

    public static Results<Ok<InstallationStatusResponse>, ProblemHttpResult> GetInstallationStatus(IServiceProvider services) =>
        services.GetService<InstallationLicense>() is { Current: not null } license
            ? TypedResults.Ok(InstallationStatusResponse.From(license))
            : NotAnInstallation();

    public static async Task<Results<Ok<InstallationUpdateResponse>, ProblemHttpResult>> UpdateInstallation(IServiceProvider services, CancellationToken ct)
    {
        if (services.GetService<InstallationLicense>() is not { Current: not null } license)
            return NotAnInstallation();
        return await license.UpdateAsync(automatic: false, ct) switch
        {
            UpdateResult.Taken taken => TypedResults.Ok(new InstallationUpdateResponse(ChangesOf(taken.Before, taken.After), taken.Before, taken.After)),
            UpdateResult.Failed failed => Problems.Of(failed.Code, failed.Reason),
            _ => throw new InvalidOperationException("Unknown update result."),
        };
    }

    /// <summary>Answers 503 <c>clock_moved_back</c> to every call but <c>/v1/installation</c> while the clock reads before the latest time seen.</summary>
    public static IApplicationBuilder UseInstallationClockGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.RequestServices.GetService<InstallationLicense>() is { ClockMovedBack: true } license
            && context.Request.Path.StartsWithSegments("/v1") && !context.Request.Path.StartsWithSegments("/v1/installation"))
        {
            await Problems.Of(ProblemCodes.ClockMovedBack,
                $"This installation has already seen {license.LatestSeen:u}, and the clock now reads earlier: it serves nothing until the clock is set right.")
                .ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    private static string[] ChangesOf(LicenseFileSummary before, LicenseFileSummary after) =>
        new (string Name, bool Changed)[]
        {
            ("seats", before.Seats != after.Seats),
            ("endsAt", before.EndsAt != after.EndsAt),
            ("usableUntil", before.UsableUntil != after.UsableUntil),
        }.Where(c => c.Changed).Select(c => c.Name).ToArray();

    private static ProblemHttpResult NotAnInstallation() =>
        Problems.Of(ProblemCodes.NotFound, "This server is not an installation: start it with --license-file to run one.", title: "Not an installation.");
}
