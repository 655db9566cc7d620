using Leasehold.Core;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;

namespace Leasehold.Server.Sessions.Signals;

/// <summary>A session's end as the push channel tells it: which session, why, and when it was due.</summary>
internal sealed record SessionEnd(string SessionId, string TenantId, EndReason Reason, DateTimeOffset EndedAt)
{
    public static SessionEnd Of(Session ended) => new(ended.Id, ended.TenantId, ended.EndReason!.Value, ended.EndedAt!.Value);

    /// <summary>From the <c>ended</c> usage event the set-based reaper records.</summary>
    public static SessionEnd Of(UsageEvent ended) => new(ended.SessionId!, ended.TenantId, Codes.ParseEndReason(ended.Code), ended.At);
}

/// <summary>
/// The seam between a store and the push channel. The store calls <see cref="Publish"/> with the
/// sessions a write ended, only after that write has committed, from its writer; it must not block
/// and must not throw. On one node the <see cref="SessionSignals"/> hub delivers them straight to
/// its listeners. The PostgreSQL store, shared by several nodes, also tells the other nodes (NOTIFY
/// in the committing transaction; <c>PostgresEndListener</c> LISTENs on each node and calls
/// <see cref="SessionSignals.Deliver"/>): see docs/architecture.md.
/// </summary>
internal interface ISessionEndPublisher
{
    void Publish(IReadOnlyList<SessionEnd> ends);
}

/// <summary>Tells nobody: for a store used without a push channel (tools, benchmarks).</summary>
internal sealed class NoPublisher : ISessionEndPublisher
{
    public static readonly NoPublisher Instance = new();

    public void Publish(IReadOnlyList<SessionEnd> ends)
    {
    }
}
