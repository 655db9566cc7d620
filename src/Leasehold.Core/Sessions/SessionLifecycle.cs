using Leasehold.Core.Usage;

namespace Leasehold.Core.Sessions;

/// <summary>The state of one session after a lifecycle step.</summary>
/// <param name="Session">The session as it now stands.</param>
/// <param name="EndedNow">True when this very step ended it (as opposed to an end recorded before).</param>
public sealed record SessionState(Session Session, bool EndedNow);

/// <summary>
/// What happens to one session on a heartbeat, a sign-off, an admin stop or a reaper pass.
/// Pure, like <see cref="SeatDecision"/>: a session past its deadline is ended as of that deadline,
/// whoever notices first, so the answer never depends on whether the reaper ran yet.
/// </summary>
public static class SessionLifecycle
{
    public static Decided<SessionState> Heartbeat(Session session, bool active, DateTimeOffset now)
    {
        if (EndedOrDue(session, now) is { } ended)
            return ended;
        var alive = session with { LastHeartbeatAt = now, LastActivityAt = active ? now : session.LastActivityAt };
        return new(new SessionState(alive, EndedNow: false), new Changes([alive], []));
    }

    public static Decided<SessionState> Release(Session session, DateTimeOffset now) =>
        EndedOrDue(session, now) ?? End(session, EndReason.Released, now, actor: null);

    /// <param name="actor">Who stopped it (the admin key's id), kept in the usage event.</param>
    public static Decided<SessionState> Stop(Session session, DateTimeOffset now, string actor) =>
        EndedOrDue(session, now) ?? End(session, EndReason.Stopped, now, actor);

    /// <summary>The reaper's step: ends the session if its deadline has passed, else changes nothing.</summary>
    public static Decided<SessionState> Reap(Session session, DateTimeOffset now) =>
        EndedOrDue(session, now) ?? new(new SessionState(session, EndedNow: false), Changes.None);

    private static Decided<SessionState>? EndedOrDue(Session session, DateTimeOffset now)
    {
        if (!session.IsActive)
            return new(new SessionState(session, EndedNow: false), Changes.None);
        if (session.DueEnd(now) is { } due)
            return End(session, due.Reason, due.At, actor: null);
        return null;
    }

    private static Decided<SessionState> End(Session session, EndReason reason, DateTimeOffset at, string? actor)
    {
        var ended = session.End(reason, at);
        return new(new SessionState(ended, EndedNow: true), new Changes([ended], [UsageEvent.Ended(ended, actor)]));
    }
}
