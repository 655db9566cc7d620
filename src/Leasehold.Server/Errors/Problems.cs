using Leasehold.Core;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Errors;

/// <summary>
/// Every error the API gives: RFC 9457 problem+json with a stable <c>code</c>, the <c>field</c> at
/// fault where there is one, and the <c>traceId</c> (added by <see cref="ProblemSetup"/>).
/// </summary>
internal static class Problems
{
    public const string InvalidRequest = "invalid_request";
    public const string NotFoundCode = "not_found";
    public const string SessionEnded = "session_ended";

    public static ProblemHttpResult Invalid(IReadOnlyList<FieldError> errors) =>
        TypedResults.Problem(
            title: "The request is not valid.",
            detail: $"{errors[0].Field}: {errors[0].Message}",
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?>
            {
                ["code"] = InvalidRequest,
                ["field"] = errors[0].Field,
                ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            });

    public static ProblemHttpResult Invalid(string field, string message) => Invalid([new FieldError(field, message)]);

    public static ProblemHttpResult Invalid(RequestError error) =>
        TypedResults.Problem(
            title: "The request is not valid.",
            detail: error.Message,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["code"] = error.Code, ["field"] = error.Field });

    public static ProblemHttpResult NotFound(string what, string? field = null) =>
        TypedResults.Problem(
            title: $"No such {what}.",
            detail: $"No {what} with that id exists, or it belongs to another tenant.",
            statusCode: StatusCodes.Status404NotFound,
            extensions: new Dictionary<string, object?> { ["code"] = NotFoundCode, ["field"] = field });

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "This key may not do that.", detail: detail, statusCode: StatusCodes.Status403Forbidden,
            extensions: new Dictionary<string, object?> { ["code"] = "forbidden" });

    public static ProblemHttpResult Conflict(string code, string title, string detail, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?>(extra ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status409Conflict, extensions: extensions);
    }

    /// <summary>410: the session is over. <c>reason</c> says why, in the same words as the usage history.</summary>
    public static ProblemHttpResult Gone(Session session) =>
        TypedResults.Problem(
            title: "This session has ended.",
            detail: EndMessages.For(session.EndReason!.Value),
            statusCode: StatusCodes.Status410Gone,
            extensions: new Dictionary<string, object?>
            {
                ["code"] = SessionEnded,
                ["reason"] = Codes.Of(session.EndReason!.Value),
                ["endedAt"] = session.EndedAt,
                ["sessionId"] = session.Id,
            });
}

/// <summary>What an application can tell its user when its session ended.</summary>
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
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
