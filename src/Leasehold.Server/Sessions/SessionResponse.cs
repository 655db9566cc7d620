using System.Text.Json;
using System.Text.Json.Serialization;
using Leasehold.Core;
using Leasehold.Core.Sessions;

namespace Leasehold.Server.Sessions;

/// <summary>A warning the application shows its user (on its home screen), with a stable code.</summary>
internal sealed record WarningResponse(string Code, string Message)
{
    internal static WarningResponse[] From(IEnumerable<Warning> warnings) => [.. warnings.Select(w => new WarningResponse(w.Code, w.Message))];
}

/// <summary>The session a checkout took over on a shared connection.</summary>
internal sealed record TakeoverResponse(string SessionId, string User);

/// <summary>
/// A session as the API shows it. A session past its deadline shows as ended even before the
/// reaper has written that down, so every answer tells the truth at the moment it is given.
/// </summary>
/// <param name="ExpiresAt">When the session ends unless a heartbeat arrives; for a borrowed seat, <paramref name="BorrowedUntil"/>.</param>
/// <param name="BorrowedUntil">Until when the seat is borrowed (held without heartbeats); null when it is not.</param>
internal sealed record SessionResponse(
    string Id,
    string TenantId,
    string LicenseId,
    string User,
    string Device,
    string Client,
    int Seats,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeatAt,
    DateTimeOffset LastActivityAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? IdleAt,
    int HeartbeatIntervalSeconds,
    DateTimeOffset? EndedAt,
    string? EndReason,
    string? Connection,
    bool Named,
    int PolicyVersion,
    DateTimeOffset? BorrowedUntil)
{
    /// <summary>A borrow's signed lease (a JWS, ES256; the borrowing checkout's answer only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Lease { get; init; }

    /// <summary>
    /// The session's secret (checkout answers only, the same on an idempotent retry): its holder sends it in the
    /// <c>Leasehold-Session-Token</c> header on heartbeats, sign-off, saved state and the events stream. Only its hash is stored.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SessionToken { get; init; }

    /// <summary>What to show the user now (checkout and heartbeat answers only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WarningResponse[]? Warnings { get; init; }

    /// <summary>The session this checkout took over (checkout answers only, when it did).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TakeoverResponse? TookOver { get; init; }

    /// <summary>The state the taken-over session had saved, handed on (checkout answers only, when there was one).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? State { get; init; }

    /// <summary>Seats in use on the license after this checkout (checkout answers only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SeatsInUse { get; init; }

    /// <summary>The license's seat limit (checkout answers only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SeatLimit { get; init; }

    /// <summary>Until when the stopped user's checkouts on the license are refused (stop answers only, when the stop began a cool-down).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? CoolDownUntil { get; init; }

    internal static Session AsOf(Session session, DateTimeOffset now) =>
        session.DueEnd(now) is { } due ? session.End(due.Reason, due.At) : session;

    internal static SessionResponse From(Session session, DateTimeOffset now)
    {
        var s = AsOf(session, now);
        return new(s.Id, s.TenantId, s.LicenseId, s.User, s.Device, s.Client, s.Seats,
            s.IsActive ? "active" : "ended", s.StartedAt, s.LastHeartbeatAt, s.LastActivityAt, s.ExpiresAt, s.IdleAt,
            (int)Math.Max(1, s.HeartbeatInterval.TotalSeconds), s.EndedAt, s.EndReason is { } reason ? Codes.Of(reason) : null,
            s.ConnectionId, s.Named, s.PolicyVersion, s.BorrowedUntil);
    }
}
