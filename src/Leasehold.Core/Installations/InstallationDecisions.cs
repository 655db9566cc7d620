using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;

namespace Leasehold.Core.Installations;

/// <summary>What an installation decision answers: the installation as it now stands, or why not.</summary>
public abstract record InstallationOutcome
{
    private InstallationOutcome() { }

    public sealed record Done(Installation Installation) : InstallationOutcome;

    /// <summary>The file to sign and hand over, with the installation as it now stands.</summary>
    public sealed record Issued(Installation Installation, LicenseFile File) : InstallationOutcome;

    /// <param name="Field">The request field the refusal is about (<c>seats</c>, <c>serial</c>).</param>
    /// <param name="MaxSeats">For a share the license cannot give: the most the installation can have now.</param>
    public sealed record Refused(string Code, string Message, string Field, int? MaxSeats = null) : InstallationOutcome;

    /// <summary>The license has no such installation.</summary>
    public sealed record Missing : InstallationOutcome;
}

/// <summary>
/// Registering installations, setting their share and issuing their files: pure decisions on the
/// license's ledger (its live holders on this server and its installations, read under the license's
/// lock), made atomic by the store like a checkout, so online seats and shares never add up to more
/// than the license.
/// </summary>
public static class InstallationDecisions
{
    /// <summary>How long a license file is good for without a newer one: it bounds how long a lowered share may still be in use offline.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromDays(30);

    /// <summary>A new installation with the share it asks for (<see cref="Installation.Allocated"/>), if the license can give it.</summary>
    public static Decided<InstallationOutcome> Register(LicenseLedger ledger, Installation installation, DateTimeOffset now)
    {
        var unallocated = installation with { Allocated = 0, Files = [] };
        return Allocate(ledger with { Installations = [.. ledger.Installations, unallocated] }, unallocated, installation.Allocated, now);
    }

    /// <summary>A new share for an installation: a lower one always; a higher one within what the others and online use leave.</summary>
    public static Decided<InstallationOutcome> Allocate(LicenseLedger ledger, string installationId, int seats, DateTimeOffset now) =>
        ledger.Installations.FirstOrDefault(i => i.Id == installationId) is { } installation
            ? Allocate(ledger, installation, seats, now)
            : new(new InstallationOutcome.Missing(), Changes.None);

    /// <summary>
    /// The installation's next file: the next serial, its share now, the license's policy and end. Signs
    /// nothing (the caller signs what it answers) and records the file as issued: its seats count
    /// against the license until the installation has moved past it or it is past its usable end.
    /// </summary>
    /// <param name="takenSerial">The file the installation says it runs on now, when it asks for the next (<see cref="Take"/>).</param>
    public static Decided<InstallationOutcome> Issue(LicenseLedger ledger, string installationId, string keyId, DateTimeOffset now, long? takenSerial = null)
    {
        if (ledger.Installations.FirstOrDefault(i => i.Id == installationId) is not { } installation)
            return new(new InstallationOutcome.Missing(), Changes.None);
        if (takenSerial is { } serial)
        {
            if (Taken(installation, serial, now) is not { } taken)
                return new(UnknownSerial(installation, serial), Changes.None);
            installation = taken;
        }
        var license = ledger.License;
        var file = new LicenseFile
        {
            LicenseId = license.Id,
            TenantId = license.TenantId,
            Product = license.Product,
            InstallationId = installation.Id,
            Fingerprint = installation.Fingerprint,
            TimeZone = ledger.TimeZone,
            Seats = installation.Allocated,
            Policy = PolicyDocument.From(license.Policy),
            EndsAt = license.EndsAt,
            RefreshBy = now + RefreshPeriod,
            Serial = (installation.LatestFile?.Serial ?? 0) + 1,
            IssuedAt = now,
            KeyId = keyId,
        };
        var issued = installation with
        {
            LastContactAt = now,
            Files = [.. installation.Files, new IssuedFile(file.Serial, file.Seats, file.UsableUntil(license.Policy)) { IssuedAt = now, KeyId = keyId }],
        };
        return new(new InstallationOutcome.Issued(issued, file), Changes.None with { Installations = [issued] });
    }

    /// <summary>
    /// The installation runs on the file with <paramref name="serial"/> now (it verified and took it):
    /// files before it no longer count against the license, so a lowered share frees its seats. A
    /// serial it already moved past changes nothing; one never issued is refused.
    /// </summary>
    public static Decided<InstallationOutcome> Take(LicenseLedger ledger, string installationId, long serial, DateTimeOffset now)
    {
        if (ledger.Installations.FirstOrDefault(i => i.Id == installationId) is not { } installation)
            return new(new InstallationOutcome.Missing(), Changes.None);
        return Taken(installation, serial, now) is { } taken ? Changed(taken) : new(UnknownSerial(installation, serial), Changes.None);
    }

    private static Installation? Taken(Installation installation, long serial, DateTimeOffset now)
    {
        if (serial < 1 || serial > (installation.LatestFile?.Serial ?? 0))
            return null;
        var takenSerial = Math.Max(serial, installation.TakenSerial);
        return installation with { TakenSerial = takenSerial, LastContactAt = now, Files = [.. installation.Files.Where(f => f.Serial >= takenSerial)] };
    }

    private static InstallationOutcome.Refused UnknownSerial(Installation installation, long serial) =>
        new(Codes.SerialNotIssued, $"No file with serial {serial} was issued to this installation (its latest is {installation.LatestFile?.Serial ?? 0}).",
            "serial");

    private static Decided<InstallationOutcome> Allocate(LicenseLedger ledger, Installation installation, int seats, DateTimeOffset now)
    {
        var onlineInUse = SeatCount.InUse(SeatDecision.Sweep(ledger.Holders, now).Live);
        var shares = ledger.Installations.Select(i => i.Share).ToList();
        return Allocations.Allocate(ledger.License.Seats, shares, onlineInUse, installation.Id, seats, now) switch
        {
            AllocationResult.Allowed => Changed(installation with { Allocated = seats }),
            AllocationResult.Refused r => new(new InstallationOutcome.Refused(r.Code, r.Message, "seats", r.MaxSeats), Changes.None),
            _ => throw new InvalidOperationException("Unknown allocation result."),
        };
    }

    private static Decided<InstallationOutcome> Changed(Installation installation) =>
        new(new InstallationOutcome.Done(installation), Changes.None with { Installations = [installation] });
}
