using Leasehold.Core.Access;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Usage;

namespace Leasehold.Core.Sessions;

/// <summary>The outcome of one lifecycle step on a session (a heartbeat, a sign-off, a stop, a reap).</summary>
/// <param name="Session">The session as it now stands.</param>
/// <param name="EndedNow">True when this very step ended it (as opposed to an end recorded before).</param>
public sealed record SessionOutcome(Session Session, bool EndedNow)
{
    /// <summary>What a live session's client should show its user (license ending, window closed, ...).</summary>
    public IReadOnlyList<Warning> Warnings { get; init; } = [];

    /// <summary>The cool-down an admin stop began (null: none).</summary>
    public CoolDown? CoolDown { get; init; }
}

/// <summary>What a heartbeat reads besides the session: its license and connection as they are now.</summary>
public sealed record SessionContext(License License, string TimeZone, Connection? Connection);

/// <summary>
/// What happens to one session on a heartbeat, a sign-off, an admin stop or a reaper pass.
/// Pure, like <see cref="SeatDecision"/>: a session past its deadline is ended as of that deadline,
/// whoever notices first, so the answer never depends on whether the reaper ran yet.
/// </summary>
public static class SessionLifecycle
{
    /// <param name="context">
    /// The session's license and connection as they stand now: a renewal moves the end of open
    /// sessions, and a window that opened again stops the window warning. Applied only after the
    /// stored deadline is checked, so nothing revives a session that was already due.
    /// </param>
    public static Decided<SessionOutcome> Heartbeat(Session session, bool active, DateTimeOffset now, SessionContext? context = null)
    {
        if (EndedOrDue(session, now) is { } ended)
            return ended;
        if (context is not null)
        {
            session = session with { LicenseEndsAt = context.License.RefusesFrom };
            if (context.Connection is { } connection && AccessSchedule.Evaluate(connection.AccessPlan, context.TimeZone, now) is { IsOpen: true } access)
                session = session with { WindowClosesAt = access.ClosesAt };
            if (EndedOrDue(session, now) is { } cut)
                return cut;
        }
        var alive = session with { LastHeartbeatAt = now, LastActivityAt = active ? now : session.LastActivityAt };
        var warnings = context is null ? [] : LicenseWarnings.At(context.License, now).ToList();
        if (!alive.EndsAtWindowClose && alive.WindowClosesAt is { } closed && closed <= now)
            warnings.Add(new Warning(Codes.AccessWindowClosed, "The access window of your connection has closed. Please finish your work and sign off."));
        return new(new SessionOutcome(alive, EndedNow: false) { Warnings = warnings }, new Changes([alive], []));
    }

    /// <summary>
    /// After a license's dates change: its open sessions end with the license's new end (a renewal
    /// extends them, a cut shortens them). Sessions already due by their stored deadline are left
    /// for the reaper, so a renewal never revives one.
    /// </summary>
    public static Changes FollowLicense(IEnumerable<Session> open, License license, DateTimeOffset now) =>
        new([.. open.Where(s => s.IsActive && s.DueEnd(now) is null && s.LicenseEndsAt != license.RefusesFrom)
            .Select(s => s with { LicenseEndsAt = license.RefusesFrom })], []);

    public static Decided<SessionOutcome> Release(Session session, DateTimeOffset now) =>
        EndedOrDue(session, now) ?? End(session, EndReason.Released, now, actor: null);

    /// <param name="actor">Who stopped it (the admin key's id), kept in the usage event.</param>
    /// <remarks>
    /// A borrowed seat is not stopped (the outcome is the live session, unchanged): its client runs off
    /// the network on a lease that stays valid until <see cref="Session.BorrowedUntil"/>, so freeing the
    /// seat would let more clients run than the license has seats.
    /// </remarks>
    /// <param name="context">The session's license as it stands now: its policy's <c>stops.coolDownMinutes</c> is the cool-down when the stop names none.</param>
    /// <param name="coolDownMinutes">The cool-down the admin gave with the stop (0: none, whatever the policy says); null: the policy's.</param>
    /// <remarks>
    /// The cool-down begins only when this stop ends the session: a session already ended (or due) was
    /// not stopped by this admin, and a repeat of the stop changes nothing.
    /// </remarks>
    public static Decided<SessionOutcome> Stop(Session session, DateTimeOffset now, string actor, SessionContext? context = null, int? coolDownMinutes = null)
    {
        if (EndedOrDue(session, now) is { } over)
            return over;
        if (session.BorrowedUntil is not null)
            return new(new SessionOutcome(session, EndedNow: false), Changes.None);
        var stopped = End(session, EndReason.Stopped, now, actor);
        var minutes = coolDownMinutes ?? context?.License.Policy.Stops.CoolDownMinutes ?? 0;
        if (CoolDowns.Begin(session, minutes, now, actor) is not { } coolDown)
            return stopped;
        return new(stopped.Result with { CoolDown = coolDown }, stopped.Changes with { CoolDowns = [coolDown] });
    }

    /// <summary>The reaper's step: ends the session if its deadline has passed, else changes nothing.</summary>
    public static Decided<SessionOutcome> Reap(Session session, DateTimeOffset now) =>
        EndedOrDue(session, now) ?? new(new SessionOutcome(session, EndedNow: false), Changes.None);

    private static Decided<SessionOutcome>? EndedOrDue(Session session, DateTimeOffset now)
    {
        if (!session.IsActive)
            return new(new SessionOutcome(session, EndedNow: false), Changes.None);
        if (session.DueEnd(now) is { } due)
            return End(session, due.Reason, due.At, actor: null);
        return null;
    }

    private static Decided<SessionOutcome> End(Session session, EndReason reason, DateTimeOffset at, string? actor)
    {
        var ended = session.End(reason, at);
        return new(new SessionOutcome(ended, EndedNow: true), new Changes([ended], [UsageEvent.Ended(ended, actor)]));
    }
}
