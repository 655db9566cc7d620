using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using static Leasehold.Core.Tests.Support.GivenPolicy;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>Named users never draw on the pool; reserved seats are held back for a group.</summary>
public class NamedAndReservedSeatTests
{
    private static readonly DateTimeOffset Now = Monday0900;
    private static readonly DateTimeOffset Earlier = Monday0900.AddMinutes(-1);

    private static CheckoutResult CheckoutAs(License license, string user, params Session[] holders) =>
        SeatDecision.Checkout(new LicenseLedger(license, holders), Request(user: user), Now).Result;

    // ---- Named users ----

    private static License NamedLicense(int seats = 2, LimitPolicy? limit = null) =>
        License(seats, Rules() with { NamedUsers = Users("carol", "dan"), Limit = limit ?? LimitPolicy.Hard });

    [Fact]
    public void Named_WhenThePoolIsFullInHardMode_IsStillAdmitted()
    {
        var license = NamedLicense();

        var decided = SeatDecision.Checkout(new LicenseLedger(license, HeldBy(license, Earlier, "u1", "u2")), Request(user: "carol"), Now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.Session.Named.ShouldBeTrue();
        admitted.Session.Seats.ShouldBe(0);
        admitted.SeatsInUse.ShouldBe(2);
        admitted.Warnings.ShouldBeEmpty();
        var admittedEvent = decided.Changes.Events.Single();
        admittedEvent.Kind.ShouldBe(UsageKind.Admitted);
        admittedEvent.Code.ShouldBe("admitted");
        admittedEvent.Seats.ShouldBe(0);
    }

    [Fact]
    public void Named_UserNameIsMatchedWithoutRegardToCase()
    {
        var license = NamedLicense();

        var admitted = CheckoutAs(license, "CAROL", HeldBy(license, Earlier, "u1", "u2")).ShouldBeOfType<CheckoutResult.Admitted>();

        admitted.Session.Named.ShouldBeTrue();
        admitted.Session.Seats.ShouldBe(0);
    }

    [Fact]
    public void Named_InSoftModeAtTheLimit_IsAdmittedWithoutTheOverLimitWarning()
    {
        var license = NamedLicense(limit: Soft());

        var decided = SeatDecision.Checkout(new LicenseLedger(license, HeldBy(license, Earlier, "u1", "u2")), Request(user: "dan"), Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().Warnings.ShouldBeEmpty();
        decided.Changes.Events.Single().Code.ShouldBe("admitted");
    }

    [Fact]
    public void Named_OpenSessionsDoNotReduceThePoolForOthers()
    {
        var license = NamedLicense();
        Session[] holders =
        [
            NamedHolder(license, "ses_carol_1", "carol", Earlier),
            NamedHolder(license, "ses_carol_2", "carol", Earlier),
            NamedHolder(license, "ses_dan", "dan", Earlier),
            .. HeldBy(license, Earlier, "u1"),
        ];

        var admitted = CheckoutAs(license, "alice", holders).ShouldBeOfType<CheckoutResult.Admitted>();

        admitted.Session.Named.ShouldBeFalse();
        admitted.Session.Seats.ShouldBe(1);
        admitted.SeatsInUse.ShouldBe(2);
    }

    [Fact]
    public void Named_OpenSessionsDoNotMakeRoomBeyondTheSeatsEither()
    {
        var license = NamedLicense();
        Session[] holders = [NamedHolder(license, "ses_carol", "carol", Earlier), .. HeldBy(license, Earlier, "u1", "u2")];

        CheckoutAs(license, "alice", holders).ShouldBeOfType<CheckoutResult.Denied>().SeatsInUse.ShouldBe(2);
    }

    [Fact]
    public void Named_AnotherUserIsNotNamed()
    {
        var license = NamedLicense();

        CheckoutAs(license, "carolyn", HeldBy(license, Earlier, "u1", "u2")).ShouldBeOfType<CheckoutResult.Denied>();
    }

    [Fact]
    public void Named_CheckPassesWhenThePoolIsFull()
    {
        var license = NamedLicense();

        var answered = SeatDecision.Check(new LicenseLedger(license, HeldBy(license, Earlier, "u1", "u2")), new CheckRequest("carol", "desktop"), Now)
            .Result.ShouldBeOfType<CheckResult.Answered>();

        answered.Pass.ShouldBeTrue();
        answered.Code.ShouldBe("pass");
    }

    // ---- Reservations ----
    // 5 seats: "support" holds 2 for sam, sue and sid; 3 seats form the general pool.

    private static License ReservedLicense(int seats = 5, params Reservation[] reservations) =>
        License(seats, Rules() with
        {
            Reservations = reservations.Length > 0 ? reservations : [Reserve("support", 2, "sam", "sue", "sid")],
        });

    [Fact]
    public void Reserved_NonMemberIsRefusedWhenOnlyReservedSeatsAreLeft()
    {
        var license = ReservedLicense();

        var denied = CheckoutAs(license, "dave", HeldBy(license, Earlier, "u1", "u2", "u3")).ShouldBeOfType<CheckoutResult.Denied>();

        denied.Code.ShouldBe(Codes.NoSeatAvailable);
        denied.SeatsInUse.ShouldBe(3);
        denied.Seats.ShouldBe(5);
    }

    [Fact]
    public void Reserved_MemberIsAdmittedWhenTheGeneralPoolIsFullButTheReservationHasRoom()
    {
        var license = ReservedLicense();

        CheckoutAs(license, "sam", HeldBy(license, Earlier, "u1", "u2", "u3"))
            .ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(4);
    }

    [Fact]
    public void Reserved_MembershipIsMatchedWithoutRegardToCase()
    {
        var license = ReservedLicense();

        CheckoutAs(license, "SAM", HeldBy(license, Earlier, "u1", "u2", "u3")).ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void Reserved_SecondMemberFillsTheReservationWhileTheGeneralPoolIsFull()
    {
        var license = ReservedLicense();
        Session[] holders = [.. HeldBy(license, Earlier, "u1", "u2", "u3", "sam")];

        CheckoutAs(license, "sue", holders).ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(5);
    }

    [Fact]
    public void Reserved_MembersUseTheirReservedSeatsFirst_LeavingTheGeneralPoolToOthers()
    {
        // sam and sue sit in the 2 reserved seats, so all 3 general seats are still free for non-members.
        var license = ReservedLicense();
        Session[] holders = [.. HeldBy(license, Earlier, "sam", "sue", "u1", "u2")];

        CheckoutAs(license, "dave", holders).ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(5);
    }

    [Fact]
    public void Reserved_MemberOverflowsIntoTheGeneralPoolWhenTheReservationIsFull()
    {
        var license = ReservedLicense();

        CheckoutAs(license, "sid", HeldBy(license, Earlier, "sam", "sue"))
            .ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(3);
    }

    [Fact]
    public void Reserved_OverflowingMembersTakeGeneralSeatsAwayFromNonMembers()
    {
        // sam and sue fill the reservation; sid overflows into the general pool, which with u1 and u2 is full.
        var license = ReservedLicense(seats: 6, Reserve("support", 2, "sam", "sue", "sid"), Reserve("sales", 1, "sal"));
        Session[] holders = [.. HeldBy(license, Earlier, "sam", "sue", "sid", "u1")];

        // General pool: 6 - 3 = 3 seats, holding sid and u1: one left.
        CheckoutAs(license, "u2", holders).ShouldBeOfType<CheckoutResult.Admitted>();
        // With u2 in, the general pool is full: only sal's reserved seat is free.
        CheckoutAs(license, "u3", [.. holders, .. HeldBy(license, Earlier, "u2")])
            .ShouldBeOfType<CheckoutResult.Denied>().SeatsInUse.ShouldBe(5);
    }

    [Fact]
    public void Reserved_MemberWhoseReservationAndTheGeneralPoolAreFull_CannotUseAnotherGroupsSeats()
    {
        // 5 seats: support 2, sales 2, general 1. sam, sue fill support; u1 fills the general seat.
        var license = ReservedLicense(seats: 5, Reserve("support", 2, "sam", "sue", "sid"), Reserve("sales", 2, "sal", "sol"));
        var holders = HeldBy(license, Earlier, "sam", "sue", "u1");

        CheckoutAs(license, "sid", holders).ShouldBeOfType<CheckoutResult.Denied>().SeatsInUse.ShouldBe(3);
        CheckoutAs(license, "sal", holders).ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(4);
    }

    [Fact]
    public void Reserved_NamedUsersSessionsCountAgainstNeitherTheReservationNorTheGeneralPool()
    {
        var license = License(5, Rules() with
        {
            NamedUsers = Users("carol"),
            Reservations = [Reserve("support", 2, "sam", "sue")],
        });
        Session[] holders = [NamedHolder(license, "ses_carol", "carol", Earlier), .. HeldBy(license, Earlier, "u1", "u2")];

        // The general pool (3 seats) holds u1 and u2; carol holds nothing, so one general seat is left.
        CheckoutAs(license, "dave", holders).ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(3);
    }

    [Fact]
    public void Reserved_CheckByNonMemberFailsWhenOnlyReservedSeatsAreLeft()
    {
        var license = ReservedLicense();

        var answered = SeatDecision.Check(new LicenseLedger(license, HeldBy(license, Earlier, "u1", "u2", "u3")), new CheckRequest("dave", "desktop"), Now)
            .Result.ShouldBeOfType<CheckResult.Answered>();

        answered.Pass.ShouldBeFalse();
    }

    [Fact]
    public void Reserved_CheckByMemberPassesWhileTheReservationHasRoom()
    {
        var license = ReservedLicense();

        SeatDecision.Check(new LicenseLedger(license, HeldBy(license, Earlier, "u1", "u2", "u3")), new CheckRequest("sue", "desktop"), Now)
            .Result.ShouldBeOfType<CheckResult.Answered>().Pass.ShouldBeTrue();
    }
}
