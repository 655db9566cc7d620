using System.Globalization;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;

namespace Leasehold.Core.Sessions;

/// <summary>
/// Borrowing a seat: a session that holds its seat without heartbeats until <see cref="Session.BorrowedUntil"/>,
/// so its client can run off the network on a signed lease. Admitted by the same seat decision as any
/// checkout; these are the rules of the borrowing itself.
/// </summary>
public static class Borrowing
{
    public const string Field = "borrowUntil";

    /// <summary>Why a client of <paramref name="type"/> may not borrow until <paramref name="until"/>, or null when it may.</summary>
    public static RequestError? Refusal(ClientTypePolicy type, DateTimeOffset until, DateTimeOffset now)
    {
        if (type.BorrowDays is not { } days)
            return new(Codes.BorrowNotAllowed, Field, $"The client type '{type.Name}' does not allow borrowing a seat.");
        if (until <= now)
            return new(Codes.InvalidRequest, Field, "Must be in the future.");
        var latest = now.AddDays(days);
        if (until > latest)
        {
            return new(Codes.InvalidRequest, Field,
                $"The client type '{type.Name}' allows borrowing for at most {days} day{(days == 1 ? "" : "s")}: until {Describe(latest)} at the latest.");
        }
        return null;
    }

    /// <summary>
    /// When the borrowed seat ends: as asked, but never after the license stops admitting (its end
    /// date plus grace), since a lease must not outlive the license it was drawn from.
    /// </summary>
    public static DateTimeOffset End(DateTimeOffset until, License license) =>
        license.RefusesFrom is { } refuses && refuses < until ? refuses : until;

    public static string Describe(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
