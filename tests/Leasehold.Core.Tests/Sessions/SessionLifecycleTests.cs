using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using Microsoft.Extensions.Time.Testing;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>Heartbeat, sign-off, admin stop and reaping of one session.</summary>
public class SessionLifecycleTests
{
    // TTL 5 minutes, idle timeout 1 hour, started at T0.
    private static readonly Session Desktop = Session(ttl: Minutes(5), idle: TimeSpan.FromHours(1));

    [Fact]
    public void Heartbeat_BeforeTheDeadline_ExtendsExpiresAtToNowPlusTtl()
    {
        var decided = SessionLifecycle.Heartbeat(Desktop, active: true, At(Minutes(4)));

        var state = decided.Result;
        state.EndedNow.ShouldBeFalse();
        state.Session.IsActive.ShouldBeTrue();
        state.Session.LastHeartbeatAt.ShouldBe(At(Minutes(4)));
        state.Session.ExpiresAt.ShouldBe(At(Minutes(9)));
        decided.Changes.Sessions.ShouldBe([state.Session]);
        decided.Changes.Events.ShouldBeEmpty();
    }

    [Fact]
    public void Heartbeat_Active_MovesLastActivityAtAndTheIdleDeadline()
    {
        var session = SessionLifecycle.Heartbeat(Desktop, active: true, At(Minutes(4))).Result.Session;

        session.LastActivityAt.ShouldBe(At(Minutes(4)));
        session.IdleAt.ShouldBe(At(Minutes(64)));
    }

    [Fact]
    public void Heartbeat_Inactive_DoesNotMoveLastActivityAt()
    {
        var session = SessionLifecycle.Heartbeat(Desktop, active: false, At(Minutes(4))).Result.Session;

        session.LastHeartbeatAt.ShouldBe(At(Minutes(4)));
        session.LastActivityAt.ShouldBe(T0);
        session.IdleAt.ShouldBe(At(Minutes(60)));
    }

    [Fact]
    public void Heartbeat_KeepsASessionAliveAsLongAsTheUserIsActive()
    {
        var clock = new FakeTimeProvider(T0);
        var session = Desktop;

        for (var beat = 0; beat < 60; beat++)
        {
            clock.Advance(Minutes(4));
            var decided = SessionLifecycle.Heartbeat(session, active: true, clock.GetUtcNow());
            decided.Result.EndedNow.ShouldBeFalse();
            session = decided.Result.Session;
        }

        session.IsActive.ShouldBeTrue();
        session.LastActivityAt.ShouldBe(At(TimeSpan.FromHours(4)));
    }

    [Fact]
    public void Heartbeat_ReportingNoActivityPastTheIdleTimeout_EndsTheSessionAsIdleAtItsIdleDeadline()
    {
        var clock = new FakeTimeProvider(T0);
        var session = Desktop;
        Decided<SessionOutcome> decided;
        var beats = 0;
        do
        {
            clock.Advance(Minutes(4));
            decided = SessionLifecycle.Heartbeat(session, active: false, clock.GetUtcNow());
            session = decided.Result.Session;
        }
        while (!decided.Result.EndedNow && ++beats < 30);

        decided.Result.EndedNow.ShouldBeTrue("two hours of inactive heartbeats must end a session with a one hour idle timeout");
        clock.GetUtcNow().ShouldBe(At(Minutes(60)), "the heartbeat at the idle deadline ends it");
        session.EndReason.ShouldBe(EndReason.Idle);
        session.EndedAt.ShouldBe(At(Minutes(60)));
        decided.Changes.Sessions.ShouldBe([session]);
        decided.Changes.Events.ShouldBe([
            new UsageEvent(TenantId, LicenseId, "ses_1", At(Minutes(60)), UsageKind.Ended, "idle", "alice", "pc-1", "desktop", 1)
            {
                SeatKey = "ses_1", LastActivityAt = T0,
            },
        ]);
    }

    [Fact]
    public void Heartbeat_AfterTheTtl_EndsTheSessionAsExpiredAtItsExpiry()
    {
        var decided = SessionLifecycle.Heartbeat(Desktop, active: true, At(Minutes(12)));

        decided.Result.EndedNow.ShouldBeTrue();
        decided.Result.Session.ShouldBe(Desktop.End(EndReason.Expired, At(Minutes(5))));
        decided.Changes.Sessions.ShouldBe([decided.Result.Session]);
        decided.Changes.Events.ShouldBe([UsageEvent.Ended(decided.Result.Session)]);
        decided.Changes.Events[0].Code.ShouldBe("expired");
    }

    [Theory]
    [InlineData(5, 60, 90, EndReason.Expired, 5)]   // heartbeats stopped long before the user would have idled out
    [InlineData(20, 10, 30, EndReason.Idle, 10)]    // idle deadline came before the TTL ran out
    [InlineData(10, 10, 15, EndReason.Expired, 10)] // both at once: expiry wins the tie
    public void Heartbeat_AfterBothDeadlines_EndsTheSessionByWhicheverCameFirst(
        int ttlMinutes, int idleMinutes, int heartbeatAtMinute, EndReason reason, int endedAtMinute)
    {
        var session = Session(ttl: Minutes(ttlMinutes), idle: Minutes(idleMinutes));

        var ended = SessionLifecycle.Heartbeat(session, active: true, At(Minutes(heartbeatAtMinute))).Result.Session;

        ended.EndReason.ShouldBe(reason);
        ended.EndedAt.ShouldBe(At(Minutes(endedAtMinute)));
    }

    [Fact]
    public void Heartbeat_WithoutIdleTimeout_NeverIdlesOut()
    {
        var session = Session(ttl: Minutes(5), idle: null);
        for (var minute = 4; minute <= 24 * 60; minute += 4)
            session = SessionLifecycle.Heartbeat(session, active: false, At(Minutes(minute))).Result.Session;

        session.IsActive.ShouldBeTrue();
        session.IdleAt.ShouldBeNull();
    }

    [Fact]
    public void Heartbeat_OnAnEndedSession_ChangesNothing()
    {
        var released = Desktop.End(EndReason.Released, At(Minutes(1)));

        var decided = SessionLifecycle.Heartbeat(released, active: true, At(Minutes(2)));

        decided.Result.ShouldBe(new SessionOutcome(released, EndedNow: false));
        decided.Changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Release_BeforeTheDeadline_EndsTheSessionAsReleasedNow()
    {
        var decided = SessionLifecycle.Release(Desktop, At(Minutes(3)));

        var ended = Desktop.End(EndReason.Released, At(Minutes(3)));
        decided.Result.ShouldBe(new SessionOutcome(ended, EndedNow: true));
        decided.Changes.Sessions.ShouldBe([ended]);
        decided.Changes.Events.ShouldBe([
            new UsageEvent(TenantId, LicenseId, "ses_1", At(Minutes(3)), UsageKind.Ended, "released", "alice", "pc-1", "desktop", 1)
            {
                SeatKey = "ses_1", LastActivityAt = T0,
            },
        ]);
    }

    [Fact]
    public void Release_AfterTheDeadline_RecordsTheEndThatWasDueInstead()
    {
        var decided = SessionLifecycle.Release(Desktop, At(Minutes(30)));

        decided.Result.EndedNow.ShouldBeTrue();
        decided.Result.Session.EndReason.ShouldBe(EndReason.Expired);
        decided.Result.Session.EndedAt.ShouldBe(At(Minutes(5)));
    }

    [Theory]
    [InlineData(EndReason.Released)]
    [InlineData(EndReason.Expired)]
    [InlineData(EndReason.Idle)]
    [InlineData(EndReason.Stopped)]
    public void ReleaseAndStop_OfAnEndedSession_ChangeNothing(EndReason earlierEnd)
    {
        var ended = Desktop.End(earlierEnd, At(Minutes(2)));

        var release = SessionLifecycle.Release(ended, At(Minutes(3)));
        var stop = SessionLifecycle.Stop(ended, At(Minutes(3)), actor: "key_admin");

        release.Result.ShouldBe(new SessionOutcome(ended, EndedNow: false));
        release.Changes.IsEmpty.ShouldBeTrue();
        stop.Result.ShouldBe(new SessionOutcome(ended, EndedNow: false));
        stop.Changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Stop_EndsTheSessionAsStoppedNowAndRecordsTheActor()
    {
        var decided = SessionLifecycle.Stop(Desktop, At(Minutes(3)), actor: "key_admin");

        var ended = Desktop.End(EndReason.Stopped, At(Minutes(3)));
        decided.Result.ShouldBe(new SessionOutcome(ended, EndedNow: true));
        decided.Changes.Sessions.ShouldBe([ended]);
        decided.Changes.Events.ShouldBe([
            new UsageEvent(TenantId, LicenseId, "ses_1", At(Minutes(3)), UsageKind.Ended, "stopped", "alice", "pc-1", "desktop", 1,
                Actor: "key_admin")
            {
                SeatKey = "ses_1", LastActivityAt = T0,
            },
        ]);
    }

    [Fact]
    public void Reap_BeforeTheDeadline_ChangesNothing()
    {
        var decided = SessionLifecycle.Reap(Desktop, Desktop.Deadline - TimeSpan.FromTicks(1));

        decided.Result.ShouldBe(new SessionOutcome(Desktop, EndedNow: false));
        decided.Changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Reap_AtOrAfterTheDeadline_EndsTheSessionDatedAtTheDeadline()
    {
        var atDeadline = SessionLifecycle.Reap(Desktop, Desktop.Deadline);
        var later = SessionLifecycle.Reap(Desktop, At(TimeSpan.FromHours(3)));

        var ended = Desktop.End(EndReason.Expired, At(Minutes(5)));
        atDeadline.Result.ShouldBe(new SessionOutcome(ended, EndedNow: true));
        later.Result.ShouldBe(new SessionOutcome(ended, EndedNow: true));
        later.Changes.Events.ShouldBe([UsageEvent.Ended(ended)]);
        later.Changes.Events[0].Actor.ShouldBeNull();
    }

    [Fact]
    public void Reap_OfAnEndedSession_ChangesNothing()
    {
        var stopped = Desktop.End(EndReason.Stopped, At(Minutes(1)));

        var decided = SessionLifecycle.Reap(stopped, At(TimeSpan.FromHours(3)));

        decided.Result.ShouldBe(new SessionOutcome(stopped, EndedNow: false));
        decided.Changes.IsEmpty.ShouldBeTrue();
    }
}
