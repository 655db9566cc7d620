using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Installations;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Tenants;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Installations;

/// <summary>
/// What an installation remembers across restarts (<c>installation.json</c> in its data directory,
/// readable by the server's user only): the highest serial it took, the latest time it saw, and the
/// installation and product its files are for.
/// </summary>
internal sealed record InstallationState(long Serial, DateTimeOffset LatestSeen, string InstallationId, string Product);

/// <summary>
/// Installation mode (<c>--license-file FILE --issuer-keys JWKS</c>): before the server answers, the
/// file is verified against the issuer's pinned keys and judged by the rules an installation applies
/// alone (<see cref="LicenseFileCheck"/>: no older serial, no clock set back, not past its refresh-by
/// or end date, the same installation and product as before); the license it grants is then written
/// into this server's own store, which enforces it with the same API and SDK as any Leasehold server.
/// A file that does not pass stops the start with one line (<see cref="StartRefusedException"/>).
/// </summary>
internal sealed class InstallationMode(LeaseholdSettings settings, ITenantStore tenants, TimeProvider clock, ILogger<InstallationMode> log)
    : IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string StatePath => Path.Combine(settings.DataDirectory, "installation.json");

    public async Task StartAsync(CancellationToken ct)
    {
        var now = clock.Now();
        var keys = ReadKeys();
        var text = File.Exists(settings.LicenseFile) ? await File.ReadAllTextAsync(settings.LicenseFile!, ct)
            : throw new StartRefusedException(Codes.LicenseFileMalformed, $"There is no license file {settings.LicenseFile}.");
        var file = LicenseFiles.Read(text, keys) switch
        {
            LicenseFileReading.Signed signed => signed.File,
            LicenseFileReading.Refused unread => throw new StartRefusedException(unread.Code, unread.Reason),
            _ => throw new InvalidOperationException("Unknown reading."),
        };

        var state = await ReadStateAsync(ct);
        if (state is not null && state.InstallationId != file.InstallationId)
            throw new StartRefusedException(Codes.LicenseFileWrongProduct, $"The file is for installation {file.InstallationId}; this one is {state.InstallationId}.");
        var memory = state is null ? InstallationMemory.None : new InstallationMemory(state.Serial, state.LatestSeen);
        var (accepted, refused) = LicenseFileCheck.Judge(file, state?.Product, memory, now);
        if (refused is not null)
            throw new StartRefusedException(refused.Code, refused.Reason);

        await ApplyAsync(accepted!, now, ct);
        await WriteStateAsync(new InstallationState(accepted!.Memory.Serial, accepted.Memory.LatestSeen, file.InstallationId, file.Product), ct);
        log.LogInformation("Installation {Installation} of license {License}: {Seats} seats of {Product}, file serial {Serial}, usable until {UsableUntil:u}",
            file.InstallationId, file.LicenseId, file.Seats, file.Product, file.Serial, accepted.UsableUntil);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Writes the granted license into this server's store: its tenant, and the license with the file's
    /// seats and policy, ending so that it refuses from the file's last usable moment (its refresh-by
    /// date or the license's end plus grace, whichever comes first).
    /// </summary>
    private async Task ApplyAsync(AcceptedLicenseFile accepted, DateTimeOffset now, CancellationToken ct)
    {
        var file = accepted.File;
        if (await tenants.GetTenantAsync(file.TenantId, null, ct) is null)
            await tenants.CreateTenantAsync(new Tenant(file.TenantId, file.TenantId, file.TimeZone, now), ct);
        var endsAt = accepted.UsableUntil.AddDays(-accepted.Policy.Expiry.GraceDays);
        if (await tenants.GetLicenseAsync(file.LicenseId, null, ct) is not { } current)
        {
            await tenants.CreateLicenseAsync(new License(file.LicenseId, file.TenantId, file.Product, file.Seats, accepted.Policy, now) { EndsAt = endsAt }, ct);
            return;
        }
        // Policies are compared as their documents: a restart on the same file keeps the policy's version.
        var policyChanged = JsonSerializer.Serialize(PolicyDocument.From(accepted.Policy), Json) != JsonSerializer.Serialize(PolicyDocument.From(current.Policy), Json);
        await tenants.UpdateLicenseAsync(current with
        {
            Seats = file.Seats,
            Policy = accepted.Policy,
            EndsAt = endsAt,
            PolicyVersion = policyChanged ? current.PolicyVersion + 1 : current.PolicyVersion,
        }, now, ct);
    }

    private IReadOnlyList<SigningJwk> ReadKeys()
    {
        if (settings.IssuerKeysFile is null)
            throw new StartRefusedException(Codes.LicenseFileUnknownKey, "Installation mode needs the issuer's public keys: --issuer-keys FILE (as `leasehold signing-keys export` writes them).");
        try
        {
            return SigningJwk.ReadSet(File.ReadAllText(settings.IssuerKeysFile));
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            throw new StartRefusedException(Codes.LicenseFileUnknownKey, $"{settings.IssuerKeysFile} is not the issuer's key set ({e.Message}).");
        }
    }

    private async Task<InstallationState?> ReadStateAsync(CancellationToken ct)
    {
        if (!File.Exists(StatePath))
            return null;
        await using var stream = File.OpenRead(StatePath);
        return await JsonSerializer.DeserializeAsync<InstallationState>(stream, Json, ct);
    }

    private Task WriteStateAsync(InstallationState state, CancellationToken ct) =>
        OwnerOnlyFiles.WriteAsync(StatePath, JsonSerializer.Serialize(state, Json), ct);
}
