using Leasehold.Core.Access;
using Leasehold.Core.Policies;

namespace Leasehold.Core.Sessions;

/// <summary>Sign-in through a connection: its access window, and who may share it: only inside its access window, shared only by users with its e-mail and never by single sign-on users, one at a time.</summary>
public static class ConnectionRules
{
    /// <summary>The refusal of a sign-in outside the window, saying when it opens in the tenant's local time.</summary>
    public static (string Code, string Message, DateTimeOffset? OpensAt)? OutsideWindow(Connection connection, AccessState access, string timeZone)
    {
        if (access.IsOpen)
            return null;
        var message = access.OpensAt is { } opens
            ? $"The connection '{connection.Name}' is closed now. It opens {AccessSchedule.DescribeLocal(opens, timeZone)}."
            : $"The connection '{connection.Name}' has no access window left open.";
        return (Codes.OutsideAccessWindow, message, access.OpensAt is { } at ? AccessSchedule.ToLocalOffset(at, timeZone) : null);
    }

    /// <summary>
    /// Whether a sign-in may take over the connection from its current occupant: the same user
    /// always may (a reconnect); another user only if neither signed in through single sign-on
    /// and both share the connection's e-mail. Null means yes; otherwise the refusal.
    /// </summary>
    public static (string Code, string Message)? RefuseTakeover(Connection connection, Session occupant, CheckoutRequest request)
    {
        // A borrowed seat runs off the network on its lease: nobody can take it over, not even its own user.
        if (occupant.BorrowedUntil is { } borrowedUntil)
        {
            return (Codes.ConnectionInUse,
                $"The connection '{connection.Name}' is borrowed by {occupant.User} until {Borrowing.Describe(borrowedUntil)}: it frees when the seat is returned or that time ends.");
        }
        if (string.Equals(occupant.User, request.User, StringComparison.OrdinalIgnoreCase))
            return null;
        if (request.Sso || occupant.Sso)
        {
            return (Codes.SsoCannotShare,
                $"The connection '{connection.Name}' is in use by another user. Users who sign in with single sign-on can never share a connection.");
        }
        return SameEmail(connection.Email, request.Email) && SameEmail(connection.Email, occupant.Email)
            ? null
            : (Codes.ConnectionInUse,
                $"The connection '{connection.Name}' is in use by another user. Users may share a connection only when they sign in with its shared e-mail address.");
    }

    /// <summary>
    /// Whether the requester may use the connection at all, whether or not anyone is on it: a
    /// connection belongs to its user (<see cref="Connection.User"/>); others may use it only by
    /// signing in with its shared e-mail, and never through single sign-on. A connection that has no
    /// user yet is anyone's first: that sign-in makes its user its user. Null means yes.
    /// </summary>
    public static (string Code, string Message)? RefuseStranger(Connection connection, CheckoutRequest request)
    {
        if (connection.User is not { } owner || string.Equals(owner, request.User, StringComparison.OrdinalIgnoreCase))
            return null;
        if (request.Sso)
        {
            return (Codes.SsoCannotShare,
                $"The connection '{connection.Name}' belongs to another user. Users who sign in with single sign-on can never share a connection.");
        }
        return SameEmail(connection.Email, request.Email)
            ? null
            : (Codes.ConnectionNotYours,
                $"The connection '{connection.Name}' belongs to another user. Only its user, or users who sign in with its shared e-mail address, may use it.");
    }

    private static bool SameEmail(string? expected, string? actual) =>
        expected is not null && actual is not null && string.Equals(expected.Trim(), actual.Trim(), StringComparison.OrdinalIgnoreCase);
}
