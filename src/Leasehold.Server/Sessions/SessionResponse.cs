using System.Text.Json;
using System.Text.Json.Serialization;
using Leasehold.Core;
using Leasehold.Core.Sessions;

namespace Leasehold.Server.Sessions;

/// <param name="Connection">The id of the connection (shared access credential) the user signs in through, if the license uses connections.</param>
/// <param name="Email">The e-mail the user signs in with: users may share a connection only when they share its e-mail.</param>
/// <param name="Sso">True when the user signed in through single sign-on: such users never share a connection.</param>
internal sealed record CheckoutBody(string? LicenseId, string? User, string? Device, string? Client, string? Connection = null, string? Email = null, bool? Sso = null);

/// <param name="Active">Whether the user did anything since the last heartbeat; absent counts as true.</param>
internal sealed record HeartbeatBody(bool? Active);

internal sealed record CheckBody(string? LicenseId, string? User, string? Client);

internal sealed record CheckResponse(bool Pass, string Code, string Message, int SeatsInUse, int SeatLimit, WarningResponse[] Warnings);

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
    int PolicyVersion)
{
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

    internal static Session AsOf(Session session, DateTimeOffset now) =>
        session.DueEnd(now) is { } due ? session.End(due.Reason, due.At) : session;

    internal static SessionResponse From(Session session, DateTimeOffset now)
    {
        var s = AsOf(session, now);
        return new(s.Id, s.TenantId, s.LicenseId, s.User, s.Device, s.Client, s.Seats,
            s.IsActive ? "active" : "ended", s.StartedAt, s.LastHeartbeatAt, s.LastActivityAt, s.ExpiresAt, s.IdleAt,
            (int)Math.Max(1, s.Ttl.TotalSeconds / 3), s.EndedAt, s.EndReason is { } reason ? Codes.Of(reason) : null,
            s.ConnectionId, s.Named, s.PolicyVersion);
    }
}
