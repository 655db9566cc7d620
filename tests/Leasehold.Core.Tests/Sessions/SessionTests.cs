using Leasehold.Core.Sessions;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>The deadlines a session carries: what the reaper indexes and every decision sweeps by.</summary>
public class SessionTests
{
    [Fact]
    public void Deadline_WithoutIdleTimeout_IsTheExpiry()
    {
        var session = Session(ttl: Minutes(5), idle: null);

        session.IdleAt.ShouldBeNull();
        session.ExpiresAt.ShouldBe(At(Minutes(5)));
        session.Deadline.ShouldBe(At(Minutes(5)));
    }

    [Fact]
    public void Deadline_IsTheEarlierOfExpiryAndIdleDeadline()
    {
        var activeLongAgo = Session(ttl: Minutes(5), idle: Minutes(60)) with
        {
            LastHeartbeatAt = At(Minutes(58)),
        };

        activeLongAgo.ExpiresAt.ShouldBe(At(Minutes(63)));
        activeLongAgo.IdleAt.ShouldBe(At(Minutes(60)));
        activeLongAgo.Deadline.ShouldBe(At(Minutes(60)));
    }

    [Fact]
    public void DueEnd_BeforeTheDeadline_IsNull()
    {
        Session(ttl: Minutes(5), idle: null).DueEnd(At(Minutes(4))).ShouldBeNull();
    }

    [Fact]
    public void DueEnd_OfAnEndedSession_IsNull()
    {
        var session = Session(ttl: Minutes(5), idle: null).End(EndReason.Released, At(Minutes(1)));

        session.IsActive.ShouldBeFalse();
        session.DueEnd(At(Minutes(30))).ShouldBeNull();
    }

    [Fact]
    public void DueEnd_PastTheDeadline_IsDatedAtTheDeadlineNotAtNow()
    {
        Session(ttl: Minutes(5), idle: null).DueEnd(At(TimeSpan.FromDays(2)))
            .ShouldBe((EndReason.Expired, At(Minutes(5))));
    }

    [Fact]
    public void End_KeepsEverythingElseAndRecordsReasonAndTime()
    {
        var session = Session(ttl: Minutes(5), idle: null);

        var ended = session.End(EndReason.Stopped, At(Minutes(2)));

        ended.ShouldBe(session with { EndedAt = At(Minutes(2)), EndReason = EndReason.Stopped });
        session.IsActive.ShouldBeTrue();
    }
}
