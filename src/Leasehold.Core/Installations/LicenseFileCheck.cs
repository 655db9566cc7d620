using Leasehold.Core.Policies;

namespace Leasehold.Core.Installations;

/// <summary>
/// What an installation remembers across restarts, so that neither an old file nor a clock set back
/// can win it seats: the highest serial it has taken and the latest time it has seen.
/// </summary>
public sealed record InstallationMemory(long Serial, DateTimeOffset LatestSeen)
{
    public static InstallationMemory None { get; } = new(0, DateTimeOffset.MinValue);
}

/// <summary>The installation may serve by this file: its policy, built, and what to remember now.</summary>
public sealed record AcceptedLicenseFile(LicenseFile File, LicensePolicy Policy, DateTimeOffset UsableUntil, InstallationMemory Memory);

/// <summary>
/// Whether an installation may serve by a license file whose signature <see cref="LicenseFiles.Read"/>
/// has checked: the rules an installation applies alone, offline, at start and at every new file.
/// </summary>
public static class LicenseFileCheck
{
    /// <summary>
    /// How far the clock may go back before the installation refuses to serve: more than clocks
    /// are corrected by (NTP steps, a few minutes of drift), less than any useful trick.
    /// </summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(10);

    /// <summary>Whether a clock reading <paramref name="now"/> went back from <paramref name="latestSeen"/> by more than <see cref="ClockTolerance"/>.</summary>
    public static bool ClockMovedBack(DateTimeOffset now, DateTimeOffset latestSeen) => now + ClockTolerance < latestSeen;

    /// <param name="product">The product this installation serves (null: whatever the file names).</param>
    public static (AcceptedLicenseFile? Accepted, LicenseFileReading.Refused? Refused) Judge(
        LicenseFile file, string? product, InstallationMemory memory, DateTimeOffset now)
    {
        if (ClockMovedBack(now, memory.LatestSeen))
            return Refuse(Codes.ClockMovedBack,
                $"The clock reads {now:u}, but this installation has already seen {memory.LatestSeen:u}: set the clock right, then start again.");
        if (file.IssuedAt > now + ClockTolerance)
            return Refuse(Codes.ClockMovedBack,
                $"The file was issued at {file.IssuedAt:u}, after this machine's time {now:u}: set the clock right, then start again.");
        if (product is not null && !string.Equals(file.Product, product, StringComparison.Ordinal))
            return Refuse(Codes.LicenseFileWrongProduct, $"The file licenses '{file.Product}', not '{product}'.");
        if (file.Serial < memory.Serial)
            return Refuse(Codes.LicenseFileReplayed,
                $"The file has serial {file.Serial}, older than serial {memory.Serial} this installation has already taken.");

        var errors = new List<FieldError>();
        var policy = PolicyValidation.Build(file.Policy, "policy", errors);
        if (errors.Count > 0 || file.Seats < 1)
            return Refuse(Codes.LicenseFileMalformed, errors.Count > 0 ? $"The file's policy is not valid: {errors[0].Field}: {errors[0].Message}" : "The file grants no seats.");
        var usableUntil = file.UsableUntil(policy);
        if (now >= usableUntil)
            return Refuse(Codes.LicenseFileExpired, usableUntil == file.RefreshBy
                ? $"The file had to be refreshed by {file.RefreshBy:u}: update it from the issuer."
                : $"The license ended on {file.EndsAt:u}: ask the vendor to renew it, then update.");

        var latest = now > memory.LatestSeen ? now : memory.LatestSeen;
        return (new AcceptedLicenseFile(file, policy, usableUntil, new InstallationMemory(file.Serial, latest)), null);
    }

    private static (AcceptedLicenseFile?, LicenseFileReading.Refused?) Refuse(string code, string reason) => (null, new(code, reason));
}
