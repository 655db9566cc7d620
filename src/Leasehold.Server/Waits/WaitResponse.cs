using System.Text.Json.Serialization;
using Leasehold.Core;
using Leasehold.Core.Queue;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Waits;

/// <summary>
/// A place in a license's waiting line as the API shows it (docs/waiting-line.md). An entry past its end shows as
/// ended even before the reaper has written that down, as sessions do.
/// </summary>
/// <param name="Status"><c>waiting</c>, <c>offered</c> (a seat is held for it until <paramref name="OfferExpiresAt"/>: take it), or <c>ended</c>.</param>
/// <param name="Position">1 + the open entries of the license that joined before it (null once it ended).</param>
/// <param name="EstimatedWaitSeconds">The wait the license's recent seat turnover suggests for this position (null: nothing ended lately, or not waiting).</param>
/// <param name="WaitUntil">The end of the wait asked for (<c>waitSeconds</c>, cut to the policy's <c>maxWaitSeconds</c>): still waiting then, it ends <c>timed_out</c>.</param>
/// <param name="ExpiresAt">When the entry ends unless a heartbeat arrives (its client type's TTL after the last one).</param>
/// <param name="HeartbeatIntervalSeconds">How often its client should heartbeat , as for a session of its client type.</param>
/// <param name="SessionId">The session it becomes when it takes its seat (the same id once granted).</param>
internal sealed record WaitResponse(
    string Id,
    string TenantId,
    string LicenseId,
    string User,
    string Device,
    string Client,
    int Seats,
    string Status,
    int? Position,
    int? EstimatedWaitSeconds,
    DateTimeOffset JoinedAt,
    DateTimeOffset LastHeartbeatAt,
    DateTimeOffset WaitUntil,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? OfferExpiresAt,
    int HeartbeatIntervalSeconds,
    DateTimeOffset? EndedAt,
    string? EndReason,
    string SessionId)
{
    /// <summary>
    /// The entry's secret (the joining checkout's answer only, the same on an idempotent retry): its holder sends it in the
    /// <c>Leasehold-Session-Token</c> header on every call on the entry. Only its hash is stored.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WaitToken { get; init; }

    internal static WaitEntry AsOf(WaitEntry entry, DateTimeOffset now) =>
        entry.DueEnd(now) is { } due ? entry.End(due.Reason, due.At) : entry;

    internal static WaitResponse From(WaitEntry entry, int position, TimeSpan? estimate, DateTimeOffset now)
    {
        var e = AsOf(entry, now);
        var status = e.State switch
        {
            WaitState.Waiting => "waiting",
            WaitState.Offered => "offered",
            _ => "ended",
        };
        return new(e.Id, e.TenantId, e.LicenseId, e.Request.User, e.Request.Device, e.Client, e.Seats, status,
            e.IsOpen && position > 0 ? position : null,
            e.State == WaitState.Waiting && estimate is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null,
            e.JoinedAt, e.LastHeartbeatAt, e.WaitUntil, e.LastHeartbeatAt + e.Ttl, e.State == WaitState.Offered ? e.OfferExpiresAt : null,
            (int)Math.Max(1, Core.Policies.ClientTypePolicy.HeartbeatIntervalFor(e.Ttl).TotalSeconds), e.EndedAt, e.EndReason is { } end ? Codes.Of(end) : null,
            e.SessionId ?? e.Request.SessionId);
    }

    internal static WaitResponse From(WaitView view, DateTimeOffset now) => From(view.Entry, view.Position, view.EstimatedWait, now);
}

/// <summary>What the <c>waiting</c> event of an entry's stream carries: where it stands now.</summary>
internal sealed record WaitingEvent(string Id, int Position, int? EstimatedWaitSeconds, DateTimeOffset WaitUntil);

/// <summary>What the <c>offered</c> event carries: a seat is held until <paramref name="OfferExpiresAt"/>; take it at <paramref name="Take"/>.</summary>
internal sealed record OfferedEvent(string Id, DateTimeOffset OfferExpiresAt, string SessionId, string Take);

/// <summary>What the <c>ended</c> event carries: why the entry left the line (<c>granted</c>: <paramref name="SessionId"/> holds the seat).</summary>
internal sealed record WaitEndedEvent(string Id, string Reason, DateTimeOffset EndedAt, string? SessionId, string Message);
