namespace Leasehold.Core.Installations;

/// <summary>
/// When an installation fetches a new license file by itself: from <see cref="Policies.ExpiryPolicy.RenewDaysBefore"/>
/// days (14 by default) before its file ends (the license's end date, or the file's refresh-by date
/// if that comes first), then again after each attempt that left it inside that window, waiting
/// longer each time (doubling from the retry setting up to <see cref="LongestWait"/>) with jitter, so
/// a thousand installations of one vendor do not all call at the same second. Pure: the caller keeps
/// the clock, the attempts and the random source.
/// </summary>
public static class Renewal
{
    /// <summary>The longest wait between two attempts inside the window.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(6);

    /// <summary>A wait is stretched or shrunk by up to this share, at random.</summary>
    public const double Jitter = 0.2;

    /// <summary>First attempts are spread over this long after the window opens, at random.</summary>
    public static readonly TimeSpan OpeningSpread = TimeSpan.FromHours(1);

    /// <summary>The end renewal is about: the license's end date, or the file's refresh-by date if sooner.</summary>
    public static DateTimeOffset EndOf(LicenseFile file) => file.EndsAt is { } ends && ends < file.RefreshBy ? ends : file.RefreshBy;

    /// <summary>From when the installation tries by itself.</summary>
    public static DateTimeOffset WindowOpens(LicenseFile file, int renewDaysBefore) => EndOf(file).AddDays(-renewDaysBefore);

    /// <summary>
    /// The next attempt: when the window opens (plus up to <see cref="OpeningSpread"/>), or, inside it, at once for the first, then after
    /// <paramref name="retry"/> doubled per attempt already made inside it, capped at <see cref="LongestWait"/>, with jitter.
    /// </summary>
    /// <param name="attemptsInWindow">Attempts since the window opened that did not carry the end out of it (failed, or the vendor has not extended yet).</param>
    /// <param name="random">A number in [0, 1) that picks the jitter.</param>
    public static DateTimeOffset NextAttempt(DateTimeOffset now, DateTimeOffset windowOpens, int attemptsInWindow, TimeSpan retry, double random)
    {
        var stretch = 1 + Jitter * (2 * random - 1);
        if (now < windowOpens)
            return windowOpens + OpeningSpread * random;
        var wait = attemptsInWindow <= 0 ? TimeSpan.Zero : retry * Math.Pow(2, Math.Min(attemptsInWindow - 1, 30));
        return now + (wait < LongestWait ? wait : LongestWait) * stretch;
    }
}
