using System.Text.Json.Serialization;
using Leasehold.Core;
using Leasehold.Core.Sessions;

namespace Leasehold.Server.Sessions;

internal sealed record CheckoutBody(string? LicenseId, string? User, string? Device, string? Client);

/// <param name="Active">Whether the user did anything since the last heartbeat; absent counts as true.</param>
internal sealed record HeartbeatBody(bool? Active);

internal sealed record CheckBody(string? LicenseId, string? User, string? Client);

internal sealed record CheckResponse(bool Pass, string Code, string Message, int SeatsInUse, int SeatLimit);

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
    string? EndReason)
{
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
            (int)Math.Max(1, s.Ttl.TotalSeconds / 3), s.EndedAt, s.EndReason is { } reason ? Codes.Of(reason) : null);
    }
}
