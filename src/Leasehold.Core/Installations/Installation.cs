namespace Leasehold.Core.Installations;

/// <summary>
/// An installation of a company license on another server (the central office server, a laptop):
/// it enforces its share of the license alone, offline, by the license files the issuer signs for it.
/// </summary>
/// <param name="Fingerprint">Names the machine, as the installation describes itself when registered.</param>
/// <param name="Allocated">Its share now: the seats its next license file grants.</param>
/// <param name="TakenSerial">The newest file it has said it runs on (0: none yet).</param>
/// <param name="LastContactAt">When it last fetched a file or reported to the issuer.</param>
/// <param name="Files">The files signed for it that it has not moved past (serial at least <paramref name="TakenSerial"/>), oldest first: the newest is among them.</param>
public sealed record Installation(
    string Id, string TenantId, string LicenseId, string Name, string Fingerprint, int Allocated, long TakenSerial,
    DateTimeOffset? LastContactAt, DateTimeOffset CreatedAt, IReadOnlyList<IssuedFile> Files)
{
    /// <summary>Its share as the allocation rules see it.</summary>
    public InstallationShare Share => new(Id, Allocated, TakenSerial, Files);

    public IssuedFile? LatestFile => Files.Count == 0 ? null : Files[^1];
}
