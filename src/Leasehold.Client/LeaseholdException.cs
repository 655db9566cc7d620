using System.Text.Json;

namespace Leasehold.Client;

/// <summary>
/// The server refused a request, or could not be reached. <see cref="Code"/> is the server's
/// stable code (<c>unavailable</c> when it did not answer), <see cref="Detail"/> the text for people,
/// <see cref="Field"/> the request field at fault, <see cref="TraceId"/> what to quote in a report.
/// </summary>
public class LeaseholdException : Exception
{
    public const string UnavailableCode = "unavailable";

    public LeaseholdException(int status, string code, string? detail, string? field = null, string? traceId = null, JsonElement? problem = null,
        Exception? inner = null)
        : base(detail is null ? code : $"{code}: {detail}", inner)
    {
        Status = status;
        Code = code;
        Detail = detail;
        Field = field;
        TraceId = traceId;
        Problem = problem;
    }

    /// <summary>The HTTP status; 0 when the server did not answer.</summary>
    public int Status { get; }
    public string Code { get; }
    public string? Detail { get; }
    public string? Field { get; }
    public string? TraceId { get; }

    /// <summary>The whole problem+json document, for fields this type does not name.</summary>
    public JsonElement? Problem { get; }

    /// <summary>Worth retrying: no answer, a timeout, 408, 429, 502, 503 or 504.</summary>
    public bool IsTransient => Status is 0 or 408 or 429 or 502 or 503 or 504;

    /// <summary>For 429 <c>too_many_requests</c>: how long the server asks to wait before sending again (its <c>retryAfter</c>, in seconds).</summary>
    public TimeSpan? RetryAfter =>
        Problem is { } p && p.TryGetProperty("retryAfter", out var v) && v.ValueKind == JsonValueKind.Number ? TimeSpan.FromSeconds(v.GetDouble()) : null;
}

/// <summary>409 at checkout: no seat (or the license's rules refuse). <see cref="UserMessage"/> is the client type's text for the user.</summary>
public sealed class SeatDeniedException(int status, string code, string? detail, string? traceId, JsonElement? problem)
    : LeaseholdException(status, code, detail, null, traceId, problem)
{
    public string UserMessage => Problem is { } p && p.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : Detail ?? Code;
    public int? SeatsInUse => Int("seatsInUse");
    public int? SeatLimit => Int("seatLimit");

    /// <summary>For <c>outside_access_window</c>: when the connection opens.</summary>
    public DateTimeOffset? OpensAt => Time("opensAt");

    /// <summary>For <c>stopped_recently</c>: when the cool-down after the admin's stop ends and the user may sign in again.</summary>
    public DateTimeOffset? Until => Time("until");

    private DateTimeOffset? Time(string name) => Problem is { } p && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetDateTimeOffset() : null;

    private int? Int(string name) => Problem is { } p && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}

/// <summary>410: the session has ended; <see cref="End"/> says why.</summary>
public sealed class SessionEndedException(int status, string? detail, string? traceId, JsonElement? problem, LeaseEnd end)
    : LeaseholdException(status, "session_ended", detail, null, traceId, problem)
{
    public LeaseEnd End { get; } = end;
}

/// <summary>
/// The stable codes of a refused checkout (<see cref="SeatDeniedException.Code"/>) besides a client type's own
/// <c>denialCode</c>: branch on these, show <see cref="SeatDeniedException.UserMessage"/>.
/// </summary>
public static class RefusalCodes
{
    /// <summary>No seat is free (the default <c>denialCode</c>).</summary>
    public const string NoSeatAvailable = "no_seat_available";
    public const string LicenseExpired = "license_expired";
    public const string LicenseNotStarted = "license_not_started";

    /// <summary>The connection is closed now; <see cref="SeatDeniedException.OpensAt"/> says when it opens.</summary>
    public const string OutsideAccessWindow = "outside_access_window";

    /// <summary>Another user is on the connection and does not share its e-mail.</summary>
    public const string ConnectionInUse = "connection_in_use";

    /// <summary>The connection belongs to another user, and the user did not sign in with its shared e-mail (whether or not anyone is on it).</summary>
    public const string ConnectionNotYours = "connection_not_yours";

    /// <summary>A single sign-on user may never share a connection.</summary>
    public const string SsoCannotShare = "sso_cannot_share";

    /// <summary>An administrator stopped this user's session; <see cref="SeatDeniedException.Until"/> says when they may sign in again.</summary>
    public const string StoppedRecently = "stopped_recently";
}
