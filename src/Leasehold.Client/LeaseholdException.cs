using System.Text.Json;

namespace Leasehold.Client;

/// <summary>
/// The server refused a request, or could not be reached. <see cref="Code"/> is the server's
/// stable code (<c>unavailable</c> when it did not answer), <see cref="Detail"/> the text for people,
/// <see cref="Field"/> the request field at fault, <see cref="TraceId"/> what to quote in a report.
/// </summary>
public class LeaseholdException : Exception
{
    /// <summary>The <see cref="Code"/> when the server did not answer at all (connection failed, or <see cref="LeaseholdClientOptions.RequestTimeout"/> passed); <see cref="Status"/> is then 0.</summary>
    public const string UnavailableCode = "unavailable";

    /// <summary>An error as the server answered it (the SDK makes these; an application may, for fakes in its tests).</summary>
    /// <param name="status">The HTTP status; 0 when there was no answer.</param>
    /// <param name="code">The server's stable code (<c>http_{status}</c> when the answer had none).</param>
    /// <param name="detail">The text for people, if any.</param>
    /// <param name="field">The request field at fault, if any.</param>
    /// <param name="traceId">The server's trace id, if any.</param>
    /// <param name="problem">The whole problem+json document, if there was one.</param>
    /// <param name="inner">What failed underneath (for no answer: the network error or timeout).</param>
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
    /// <summary>The server's stable code, to branch on: <c>no_seat_available</c>, <c>invalid_request</c>, <c>not_found</c>, <c>forbidden</c>, <c>too_many_requests</c>, ... (docs/api.md lists them); <see cref="UnavailableCode"/> when the server did not answer.</summary>
    public string Code { get; }
    /// <summary>What went wrong, for people (the problem's <c>detail</c>, else its <c>title</c>); null when the answer said nothing.</summary>
    public string? Detail { get; }
    /// <summary>The request field at fault, as the API names it (<c>client</c>, <c>seats</c>, <c>policy.limit.mode</c>, ...); null when the error is not about one field.</summary>
    public string? Field { get; }
    /// <summary>The server's trace id of the request: quote it in a report, the server's log has the same.</summary>
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
    /// <summary>The text for the user: the client type's own message (e.g. "All licenses are in use. Try again later."), else the detail, else the code.</summary>
    public string UserMessage => Problem is { } p && p.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : Detail ?? Code;
    /// <summary>The seats in use on the license when it refused; null when the refusal was not about seats.</summary>
    public int? SeatsInUse => Int("seatsInUse");
    /// <summary>The license's seat limit; null when the refusal was not about seats.</summary>
    public int? SeatLimit => Int("seatLimit");

    /// <summary>For <c>outside_access_window</c>: when the connection opens.</summary>
    public DateTimeOffset? OpensAt => Time("opensAt");

    /// <summary>For <c>stopped_recently</c>: when the cool-down after the admin's stop ends and the user may sign in again.</summary>
    public DateTimeOffset? Until => Time("until");

    /// <summary>
    /// For a checkout that waited in line and got no seat: why the wait ended (also the <see cref="LeaseholdException.Code"/>):
    /// <c>timed_out</c>, <c>offer_lapsed</c>, <c>left</c> or <c>expired</c> (<see cref="RefusalCodes"/>). Null for any other refusal.
    /// </summary>
    public string? WaitEnd => Problem is { } p && p.TryGetProperty("reason", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>For a checkout that waited in line: its place (<c>wait_...</c>), as admins see it. Null for any other refusal.</summary>
    public string? WaitId => Problem is { } p && p.TryGetProperty("waitId", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private DateTimeOffset? Time(string name) => Problem is { } p && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetDateTimeOffset() : null;

    private int? Int(string name) => Problem is { } p && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}

/// <summary>
/// 410: the session has ended (<see cref="LeaseholdException.Code"/> <c>session_ended</c>), or a place in a waiting line has
/// (<c>wait_ended</c>); <see cref="End"/> says why.
/// </summary>
/// <param name="status">The HTTP status (410).</param>
/// <param name="detail">The problem's detail, for people.</param>
/// <param name="traceId">The server's trace id of the request.</param>
/// <param name="problem">The whole problem+json answer.</param>
/// <param name="end">How and when it ended.</param>
/// <param name="code">The problem's code: <c>session_ended</c> (the default), or <c>wait_ended</c> for a place in a waiting line.</param>
public sealed class SessionEndedException(int status, string? detail, string? traceId, JsonElement? problem, LeaseEnd end, string code = "session_ended")
    : LeaseholdException(status, code, detail, null, traceId, problem)
{
    /// <summary>How and when the session ended, by the server's word (reason, code, message, <see cref="LeaseEnd.EndedAt"/>).</summary>
    public LeaseEnd End { get; } = end;
}

/// <summary>
/// The stable codes of a refused checkout (<see cref="LeaseholdException.Code"/> of a <see cref="SeatDeniedException"/>) besides a client type's own
/// <c>denialCode</c>: branch on these, show <see cref="SeatDeniedException.UserMessage"/>.
/// </summary>
public static class RefusalCodes
{
    /// <summary>No seat is free (the default <c>denialCode</c>).</summary>
    public const string NoSeatAvailable = "no_seat_available";
    /// <summary>The license has ended (past any grace its policy gives).</summary>
    public const string LicenseExpired = "license_expired";
    /// <summary>The license has not started yet.</summary>
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

    /// <summary>A checkout asked to wait, but the license keeps no waiting line, or its client type may not wait (409).</summary>
    public const string WaitingNotAllowed = "waiting_not_allowed";

    /// <summary>A checkout asked to wait, but the license's waiting line is as long as its policy allows (409).</summary>
    public const string WaitingLineFull = "waiting_line_full";

    /// <summary>The end of a wait in line: no seat freed up before the wait ran out (the time asked for, or the license's longest wait).</summary>
    public const string TimedOut = "timed_out";

    /// <summary>The end of a wait in line: a seat was held for the checkout but not taken in time (the client was unreachable), and went to the next.</summary>
    public const string OfferLapsed = "offer_lapsed";

    /// <summary>The end of a wait in line: the place was left (an administrator removed it from the line).</summary>
    public const string Left = "left";

    /// <summary>The end of a wait in line: the server heard no heartbeat of the place for the client type's TTL (the client was unreachable).</summary>
    public const string WaitExpired = "expired";
}
