using Leasehold.Core;
using Leasehold.Core.Queue;
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

/// <summary>A license's waiting line changed (an entry joined, was offered a seat, moved up or ended): its streams read their entries again.</summary>
internal sealed record LineChange(string TenantId, string LicenseId)
{
    /// <summary>
    /// The lines a decision's wait events belong to: an entry joined, was offered or ended, which moves the others. A
    /// heartbeat writes its entry but changes nobody's place, so it publishes nothing.
    /// </summary>
    public static IEnumerable<LineChange> Of(IEnumerable<WaitEvent> events) => events.Select(e => new LineChange(e.TenantId, e.LicenseId)).Distinct();
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

    /// <summary>The waiting lines a committed write changed (same rules as <see cref="Publish"/>).</summary>
    void PublishLines(IReadOnlyList<LineChange> lines);
}

/// <summary>Tells nobody: for a store used without a push channel (tools, benchmarks).</summary>
internal sealed class NoPublisher : ISessionEndPublisher
{
    public static readonly NoPublisher Instance = new();

    public void Publish(IReadOnlyList<SessionEnd> ends)
    {
    }

    public void PublishLines(IReadOnlyList<LineChange> lines)
    {
    }
}

/// <summary>
/// What one transaction will tell the push channel once it commits: the sessions it ended and the waiting lines it
/// changed. A store collects them while it writes and hands them to <see cref="ISessionEndPublisher"/> after the commit
/// (or drops them on a rollback).
/// </summary>
internal sealed class Pushes
{
    public List<SessionEnd> Ends { get; } = [];
    public HashSet<LineChange> Lines { get; } = [];

    public bool IsEmpty => Ends.Count == 0 && Lines.Count == 0;

    /// <summary>Notes the lines a decision's wait events belong to.</summary>
    public void AddLines(IEnumerable<WaitEvent> events) => Lines.UnionWith(LineChange.Of(events));

    public void Clear()
    {
        Ends.Clear();
        Lines.Clear();
    }

    /// <summary>Publishes and clears; best effort after the commit (a client that misses a push learns it at its next heartbeat).</summary>
    public void PublishTo(ISessionEndPublisher publisher)
    {
        if (IsEmpty)
            return;
        SessionEnd[] ends = [.. Ends];
        LineChange[] lines = [.. Lines];
        Clear();
        try
        {
            if (ends.Length > 0)
                publisher.Publish(ends);
            if (lines.Length > 0)
                publisher.PublishLines(lines);
        }
        catch (Exception)
        {
            // Best effort after the commit.
        }
    }
}
