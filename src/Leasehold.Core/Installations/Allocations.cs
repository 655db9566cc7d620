namespace Leasehold.Core.Installations;

/// <summary>A license file the issuer signed for an installation: its serial, the seats it grants and its last usable moment.</summary>
public sealed record IssuedFile(long Serial, int Seats, DateTimeOffset UsableUntil)
{
    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>The key that signed it (old keys stay published while files they signed are usable).</summary>
    public string KeyId { get; init; } = "";
}

/// <summary>
/// One installation's share of a company license, as the issuer knows it.
/// </summary>
/// <param name="Allocated">The seats the administrator allocated to it now.</param>
/// <param name="TakenSerial">The serial of the newest file the installation has said it runs on (0: none yet).</param>
/// <param name="Files">The files issued to it (older ones may be left out once past their usable end).</param>
public sealed record InstallationShare(string InstallationId, int Allocated, long TakenSerial, IReadOnlyList<IssuedFile> Files)
{
    /// <summary>
    /// The seats this installation may be using now, as far as the issuer can know while it may be
    /// offline: its allocation, or more while a file granting more could still be in its hands (one it
    /// has not moved past, not yet past its usable end). So a lowered allocation frees seats only once
    /// the installation has taken the lower file, or its older file has run out.
    /// </summary>
    public int InForce(DateTimeOffset now) =>
        Files.Where(f => f.Serial >= TakenSerial && now < f.UsableUntil).Select(f => f.Seats).DefaultIfEmpty(0).Max() is var held && held > Allocated
            ? held
            : Allocated;
}

/// <summary>A change of allocation the license can give, or why not (<see cref="Codes.AllocationExceedsLicense"/>).</summary>
public abstract record AllocationResult
{
    private AllocationResult() { }

    public sealed record Allowed(int Seats) : AllocationResult;

    /// <param name="MaxSeats">The most this installation can have now.</param>
    public sealed record Refused(string Code, string Message, int MaxSeats) : AllocationResult;
}

/// <summary>
/// How a company license is split across installations: allocations in force and the seats used
/// online on the issuer itself never add up to more than the license's seats, also while an
/// installation is offline. Pure, like the seat decision.
/// </summary>
public static class Allocations
{
    /// <summary>Seats of the license no installation holds and nobody uses online.</summary>
    public static int Free(int licenseSeats, IEnumerable<InstallationShare> shares, int onlineInUse, DateTimeOffset now) =>
        licenseSeats - onlineInUse - shares.Sum(s => s.InForce(now));

    /// <summary>
    /// Whether <paramref name="installationId"/> may have <paramref name="seats"/> now. A lower
    /// allocation is always allowed (its seats come free later: <see cref="InstallationShare.InForce"/>);
    /// a higher one only within what the others and online use leave.
    /// </summary>
    public static AllocationResult Allocate(int licenseSeats, IReadOnlyList<InstallationShare> shares, int onlineInUse,
        string installationId, int seats, DateTimeOffset now)
    {
        var own = shares.Single(s => s.InstallationId == installationId);
        if (seats <= own.Allocated)
            return new AllocationResult.Allowed(seats);
        var others = shares.Where(s => s.InstallationId != installationId).Sum(s => s.InForce(now)) + onlineInUse;
        var max = Math.Max(0, licenseSeats - others);
        if ((own with { Allocated = seats }).InForce(now) <= max)
            return new AllocationResult.Allowed(seats);
        var free = Math.Max(0, max - own.InForce(now));
        return new AllocationResult.Refused(Codes.AllocationExceedsLicense,
            $"The license has {licenseSeats} seats and {others} are allocated to other installations or in use online, so this installation can have at most {max} "
            + $"({free} more than it holds now). Lower another installation first: its seats come free once it has taken its new file.",
            max);
    }
}
