using Leasehold.Core;
using Leasehold.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Errors;

/// <summary>
/// Every error answer the handlers give: RFC 9457 problem+json with a stable <c>code</c> from
/// <see cref="ProblemCodes"/>, the <c>field</c> at fault where there is one, and the <c>traceId</c>
/// (added by <see cref="ProblemSetup"/>).
/// </summary>
internal static class Problems
{
    /// <summary>A problem with <paramref name="code"/>'s status; <paramref name="title"/> defaults to the catalogue's.</summary>
    public static ProblemHttpResult Of(ProblemCode code, string detail, IDictionary<string, object?>? extensions = null, string? title = null)
    {
        var all = new Dictionary<string, object?> { ["code"] = code.Code };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
            all[key] = value;
        return TypedResults.Problem(title: title ?? code.Title, detail: detail, statusCode: code.Status, extensions: all);
    }

    /// <summary>400 naming every field at fault (<c>errors</c>), the first in <c>field</c> and <c>detail</c>.</summary>
    public static ProblemHttpResult Invalid(IReadOnlyList<FieldError> errors) =>
        Of(ProblemCodes.InvalidRequest, $"{errors[0].Field}: {errors[0].Message}", new Dictionary<string, object?>
        {
            ["field"] = errors[0].Field,
            ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
        });

    public static ProblemHttpResult Invalid(string field, string message) => Invalid([new FieldError(field, message)]);

    /// <summary>400 for a request the rules found wrong (an unknown client type, a reused idempotency key, ...).</summary>
    public static ProblemHttpResult Invalid(RequestError error) =>
        Of(ProblemCodes.ForRequestError(error.Code), error.Message, new Dictionary<string, object?> { ["field"] = error.Field });

    public static ProblemHttpResult NotFound(string what, string? field = null) =>
        Of(ProblemCodes.NotFound, $"No {what} with that id exists, or it belongs to another tenant.",
            new Dictionary<string, object?> { ["field"] = field }, title: $"No such {what}.");

    public static ProblemHttpResult Forbidden(string detail) => Of(ProblemCodes.Forbidden, detail);

    /// <summary>403 <c>session_token_invalid</c>: a client key acted on a session without its token (or with another's).</summary>
    public static ProblemHttpResult SessionTokenInvalid(string header, bool sent) =>
        Of(ProblemCodes.SessionTokenInvalid,
            sent ? $"The {header} header does not hold this session's token."
                 : $"Send the session's token (the checkout answer's sessionToken) in the {header} header.",
            new Dictionary<string, object?> { ["field"] = header });

    /// <summary>409: the rules refused, or the request conflicts with what exists; what it says besides comes before the code.</summary>
    public static ProblemHttpResult Conflict(ProblemCode code, string detail, IDictionary<string, object?>? extra = null) =>
        TypedResults.Problem(title: code.Title, detail: detail, statusCode: code.Status,
            extensions: new Dictionary<string, object?>(extra ?? new Dictionary<string, object?>()) { ["code"] = code.Code });

    /// <summary>410: the session is over. <c>reason</c> says why, in the same words as the usage history.</summary>
    public static ProblemHttpResult Gone(Session session) =>
        Of(ProblemCodes.SessionEnded, EndMessages.For(session.EndReason!.Value), new Dictionary<string, object?>
        {
            ["reason"] = Codes.Of(session.EndReason!.Value),
            ["endedAt"] = session.EndedAt,
            ["sessionId"] = session.Id,
        });

    /// <summary>410: the place in the waiting line is over. <c>reason</c> says why (<c>granted</c> with the <c>sessionId</c> it became, <c>left</c>, ...).</summary>
    public static ProblemHttpResult WaitGone(Core.Queue.WaitEntry entry) =>
        Of(ProblemCodes.WaitEnded, EndMessages.For(entry.EndReason!.Value), new Dictionary<string, object?>
        {
            ["reason"] = Codes.Of(entry.EndReason!.Value),
            ["endedAt"] = entry.EndedAt,
            ["waitId"] = entry.Id,
            ["sessionId"] = entry.SessionId,
        });
}

/// <summary>What an application can tell its user when its session ended: the default text of each end reason.</summary>
internal static class EndMessages
{
    public static string For(EndReason reason) => reason switch
    {
        EndReason.Released => "You signed off.",
        EndReason.Expired => "The connection to the license server was lost for too long; sign in again.",
        EndReason.Idle => "You were signed off after a period of inactivity; sign in again.",
        EndReason.Stopped => "An administrator ended this session.",
        EndReason.TakenOver => "Another user sharing this connection signed in and took over your session.",
        EndReason.WindowClosed => "The access window of your connection has closed; sign in again when it opens.",
        EndReason.LicenseExpired => "The license has ended; ask your administrator to renew it.",
        EndReason.BorrowEnded => "The time this seat was borrowed for has ended; connect to the license server to go on.",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The default text of each end of a wait in line.</summary>
    public static string For(Core.Queue.WaitEnd end) => end switch
    {
        Core.Queue.WaitEnd.Granted => "You got the seat you waited for.",
        Core.Queue.WaitEnd.Left => "You left the waiting line.",
        Core.Queue.WaitEnd.Expired => "The connection to the license server was lost for too long, so your place in line was given up; try again.",
        Core.Queue.WaitEnd.TimedOut => "No seat freed up within the time you could wait; try again later.",
        Core.Queue.WaitEnd.OfferLapsed => "A seat was held for you but not taken in time, so it went to the next in line; try again.",
        _ => throw new ArgumentOutOfRangeException(nameof(end), end, null),
    };
}
