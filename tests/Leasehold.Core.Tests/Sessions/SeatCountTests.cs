using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Sessions;

public class SeatCountTests
{
    private static Session WithKey(string id, string seatKey, int seats) =>
        Session(Minutes(5), null, id) with { SeatKey = seatKey, Seats = seats };

    [Fact]
    public void InUse_NoSessions_IsZero() => SeatCount.InUse([]).ShouldBe(0);

    [Fact]
    public void InUse_SessionsWithDistinctSeatKeys_AddUpTheirSeats()
    {
        SeatCount.InUse([WithKey("a", "s:a", 1), WithKey("b", "s:b", 3), WithKey("c", "s:c", 1)]).ShouldBe(5);
    }

    [Fact]
    public void InUse_SessionsSharingASeatKey_HoldTheSeatsOfTheHeaviestOnce()
    {
        SeatCount.InUse([WithKey("a", "u:ALICE", 1), WithKey("b", "u:ALICE", 3), WithKey("c", "u:BOB", 1)]).ShouldBe(4);
    }

    [Fact]
    public void InUse_SessionsHoldingNoSeats_AreNotCounted()
    {
        SeatCount.InUse([WithKey("a", "s:a", 0), WithKey("b", "s:b", 0), WithKey("c", "s:c", 2)]).ShouldBe(2);
    }

    [Fact]
    public void HeldBy_ASeatKeyNobodyHolds_IsZero()
    {
        SeatCount.HeldBy([WithKey("a", "u:ALICE", 2)], "u:BOB").ShouldBe(0);
    }

    [Fact]
    public void HeldBy_ASeatKeyHeldByTwoSessions_IsTheHeavierOnesSeats()
    {
        SeatCount.HeldBy([WithKey("a", "u:ALICE", 2), WithKey("b", "u:ALICE", 1)], "u:ALICE").ShouldBe(2);
    }

    [Fact]
    public void SeatKeyFor_Session_DiffersForEverySession()
    {
        var first = SeatDecision.SeatKeyFor(SeatKey.Session, Request("ses_1", "alice", "pc-1"));
        var second = SeatDecision.SeatKeyFor(SeatKey.Session, Request("ses_2", "alice", "pc-1"));

        first.ShouldNotBe(second);
    }

    [Fact]
    public void SeatKeyFor_User_IsTheSameForAUserOnAnyDeviceInAnyCase()
    {
        var keys = new[]
        {
            SeatDecision.SeatKeyFor(SeatKey.User, Request("ses_1", "alice", "pc-1")),
            SeatDecision.SeatKeyFor(SeatKey.User, Request("ses_2", "ALICE", "laptop")),
            SeatDecision.SeatKeyFor(SeatKey.User, Request("ses_3", "Alice", "phone")),
        };

        keys.Distinct().Count().ShouldBe(1);
        SeatDecision.SeatKeyFor(SeatKey.User, Request("ses_4", "bob", "pc-1")).ShouldNotBe(keys[0]);
    }

    [Fact]
    public void SeatKeyFor_UserDevice_IsTheSameForAUserOnOneDeviceAndDiffersAcrossDevices()
    {
        var onPc = SeatDecision.SeatKeyFor(SeatKey.UserDevice, Request("ses_1", "alice", "pc-1"));
        var onPcAgain = SeatDecision.SeatKeyFor(SeatKey.UserDevice, Request("ses_2", "ALICE", "pc-1"));
        var onLaptop = SeatDecision.SeatKeyFor(SeatKey.UserDevice, Request("ses_3", "alice", "laptop"));
        var bobOnPc = SeatDecision.SeatKeyFor(SeatKey.UserDevice, Request("ses_4", "bob", "pc-1"));

        onPcAgain.ShouldBe(onPc);
        onLaptop.ShouldNotBe(onPc);
        bobOnPc.ShouldNotBe(onPc);
    }

    [Fact]
    public void SeatKeyFor_DifferentSeatKeyModes_NeverCollide()
    {
        var request = Request("alice", "alice", "alice");

        new[]
        {
            SeatDecision.SeatKeyFor(SeatKey.Session, request),
            SeatDecision.SeatKeyFor(SeatKey.User, request),
            SeatDecision.SeatKeyFor(SeatKey.UserDevice, request),
        }.Distinct().Count().ShouldBe(3);
    }
}
