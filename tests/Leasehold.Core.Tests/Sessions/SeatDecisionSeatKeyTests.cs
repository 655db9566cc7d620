using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>Which sessions share a seat (the seat key), and how many seats one holds (weight).</summary>
public class SeatDecisionSeatKeyTests
{
    private static readonly DateTimeOffset Now = At(Minutes(1));

    private static License LicenseKeyedBy(SeatKey seatKey, int seats = 1) =>
        License(seats, Policy(seatKey, ClientType("desktop"), ClientType("web"), ClientType("integration", weight: 3)));

    [Fact]
    public void Checkout_SeatKeyUser_SameUsersSecondSessionSharesTheirSeat()
    {
        var license = LicenseKeyedBy(SeatKey.User);
        var ledger = Ledger(license, Holder(license, "ses_1", user: "alice", device: "pc-1"));

        var decided = SeatDecision.Checkout(ledger, Request("ses_2", user: "alice", device: "laptop", client: "web"), Now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.SeatsInUse.ShouldBe(1);
        admitted.Session.Seats.ShouldBe(1);
    }

    [Theory]
    [InlineData("ALICE")]
    [InlineData("Alice")]
    public void Checkout_SeatKeyUser_UserNameInAnotherCaseSharesTheSameSeat(string user)
    {
        var license = LicenseKeyedBy(SeatKey.User);
        var ledger = Ledger(license, Holder(license, "ses_1", user: "alice"));

        var decided = SeatDecision.Checkout(ledger, Request("ses_2", user: user), Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(1);
    }

    [Fact]
    public void Checkout_SeatKeyUser_AnotherUserNeedsASeatOfTheirOwn()
    {
        var license = LicenseKeyedBy(SeatKey.User);
        var ledger = Ledger(license, Holder(license, "ses_1", user: "alice"));

        SeatDecision.Checkout(ledger, Request("ses_2", user: "bob"), Now).Result.ShouldBeOfType<CheckoutResult.Denied>();
    }

    [Fact]
    public void Checkout_SeatKeyUserDevice_SameUserOnTheSameDeviceSharesTheSeat()
    {
        var license = LicenseKeyedBy(SeatKey.UserDevice);
        var ledger = Ledger(license, Holder(license, "ses_1", user: "alice", device: "pc-1"));

        var decided = SeatDecision.Checkout(ledger, Request("ses_2", user: "Alice", device: "pc-1", client: "web"), Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(1);
    }

    [Fact]
    public void Checkout_SeatKeyUserDevice_SameUserOnAnotherDeviceNeedsAnotherSeat()
    {
        var license = LicenseKeyedBy(SeatKey.UserDevice);
        var ledger = Ledger(license, Holder(license, "ses_1", user: "alice", device: "pc-1"));

        SeatDecision.Checkout(ledger, Request("ses_2", user: "alice", device: "laptop"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>();
    }

    [Fact]
    public void Checkout_SeatKeySession_EverySessionCountsEvenForTheSameUserAndDevice()
    {
        var license = LicenseKeyedBy(SeatKey.Session, seats: 2);
        var ledger = Ledger(license, Holder(license, "ses_1", user: "alice", device: "pc-1"));

        var second = SeatDecision.Checkout(ledger, Request("ses_2", user: "alice", device: "pc-1"), Now);
        var secondSession = second.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        secondSession.SeatsInUse.ShouldBe(2);

        var third = SeatDecision.Checkout(Ledger(license, [.. ledger.Holders, secondSession.Session]),
            Request("ses_3", user: "alice", device: "pc-1"), Now);
        third.Result.ShouldBeOfType<CheckoutResult.Denied>().SeatsInUse.ShouldBe(2);
    }

    [Fact]
    public void Checkout_WeightN_HoldsNSeats()
    {
        var license = LicenseKeyedBy(SeatKey.Session, seats: 5);
        var ledger = Ledger(license, Holder(license, "ses_1"));

        var decided = SeatDecision.Checkout(ledger, Request(client: "integration"), Now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.Session.Seats.ShouldBe(3);
        admitted.SeatsInUse.ShouldBe(4);
        decided.Changes.Events.Single().Seats.ShouldBe(3);
    }

    [Fact]
    public void Checkout_WeightN_IsAdmittedWhenExactlyNSeatsAreFree()
    {
        var license = LicenseKeyedBy(SeatKey.Session, seats: 4);
        var ledger = Ledger(license, Holder(license, "ses_1"));

        SeatDecision.Checkout(ledger, Request(client: "integration"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(4);
    }

    [Fact]
    public void Checkout_WeightN_IsDeniedWhenFewerThanNSeatsAreFree()
    {
        var license = LicenseKeyedBy(SeatKey.Session, seats: 5);
        var ledger = Ledger(license, Holder(license, "ses_1", user: "u1"), Holder(license, "ses_2", user: "u2"), Holder(license, "ses_3", user: "u3"));

        var decided = SeatDecision.Checkout(ledger, Request(client: "integration"), Now);

        decided.Result.ShouldBe(new CheckoutResult.Denied(Codes.NoSeatAvailable, "No seat for integration.", SeatsInUse: 3, Seats: 5));
        decided.Changes.Events.Single().Seats.ShouldBe(3);
    }

    [Fact]
    public void Checkout_SeatKeyUser_AHeavierClientTypeOnlyTopsUpTheSeatsTheUserAlreadyHolds()
    {
        var license = LicenseKeyedBy(SeatKey.User, seats: 3);
        var ledger = Ledger(license, Holder(license, "ses_1", user: "alice"));

        var decided = SeatDecision.Checkout(ledger, Request("ses_2", user: "alice", client: "integration"), Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(3);
    }

    [Fact]
    public void Checkout_SeatKeyUser_AHeavierClientTypeIsDeniedWhenTheTopUpDoesNotFit()
    {
        var license = LicenseKeyedBy(SeatKey.User, seats: 2);
        var ledger = Ledger(license, Holder(license, "ses_1", user: "alice"));

        SeatDecision.Checkout(ledger, Request("ses_2", user: "alice", client: "integration"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>().SeatsInUse.ShouldBe(1);
    }

    [Fact]
    public void Checkout_SeatKeyUser_ALighterSessionOfAUserHoldingAHeavyOneNeedsNoMoreSeats()
    {
        var license = LicenseKeyedBy(SeatKey.User, seats: 3);
        var ledger = Ledger(license, Holder(license, "ses_1", user: "etl", client: "integration"));

        SeatDecision.Checkout(ledger, Request("ses_2", user: "etl"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(3);
    }
}
