using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>How client types consume: <c>seat</c> holds seats, <c>check</c> passes while one is free and holds none, <c>none</c> is never counted.</summary>
public class SeatDecisionConsumptionTests
{
    private static readonly DateTimeOffset Now = At(Minutes(1));

    private static License LicenseWith(int seats) => License(seats, Policy(SeatKey.Session,
        ClientType("desktop"),
        ClientType("mobile", Consumption.Check, denialCode: "mobile_no_seat", denialMessage: "Ask a colleague to sign out."),
        ClientType("api", Consumption.None)));

    [Fact]
    public void Checkout_ConsumptionCheck_WhileASeatIsFree_AdmitsASessionHoldingNoSeats()
    {
        var license = LicenseWith(seats: 2);
        var ledger = Ledger(license, Holder(license, "ses_1"));

        var decided = SeatDecision.Checkout(ledger, Request(client: "mobile"), Now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.Session.Seats.ShouldBe(0);
        admitted.Session.Consumption.ShouldBe(Consumption.Check);
        admitted.SeatsInUse.ShouldBe(1);
        decided.Changes.Events.Single().Seats.ShouldBe(0);
    }

    [Fact]
    public void Checkout_ConsumptionCheck_WhenNoSeatIsFree_IsDeniedWithItsOwnCodeAndMessage()
    {
        var license = LicenseWith(seats: 1);
        var ledger = Ledger(license, Holder(license, "ses_1"));

        var decided = SeatDecision.Checkout(ledger, Request(client: "mobile"), Now);

        decided.Result.ShouldBe(new CheckoutResult.Denied("mobile_no_seat", "Ask a colleague to sign out.", 1, 1));
        var denial = decided.Changes.Events.Single();
        denial.Kind.ShouldBe(UsageKind.Denied);
        denial.Code.ShouldBe("mobile_no_seat");
        denial.Seats.ShouldBe(0);
    }

    [Fact]
    public void Checkout_ConsumptionCheckSessions_DoNotCountTowardsTheLimit()
    {
        var license = LicenseWith(seats: 1);
        var ledger = Ledger(license,
            Holder(license, "ses_m1", user: "u1", client: "mobile"),
            Holder(license, "ses_m2", user: "u2", client: "mobile"));

        var decided = SeatDecision.Checkout(ledger, Request(client: "desktop"), Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(1);
    }

    [Fact]
    public void Checkout_ConsumptionNone_AtTheLimit_IsAdmittedHoldingNoSeats()
    {
        var license = LicenseWith(seats: 1);
        var ledger = Ledger(license, Holder(license, "ses_1"));

        var decided = SeatDecision.Checkout(ledger, Request(client: "api"), Now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.Session.Seats.ShouldBe(0);
        admitted.Session.Consumption.ShouldBe(Consumption.None);
        admitted.SeatsInUse.ShouldBe(1);
    }

    [Fact]
    public void Checkout_ConsumptionNone_IsAdmittedEvenOnALicenseOfZeroSeats()
    {
        SeatDecision.Checkout(Ledger(LicenseWith(seats: 0)), Request(client: "api"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void Checkout_ConsumptionNoneSessions_DoNotCountTowardsTheLimit()
    {
        var license = LicenseWith(seats: 1);
        var ledger = Ledger(license, Holder(license, "ses_a1", user: "u1", client: "api"));

        SeatDecision.Checkout(ledger, Request(client: "desktop"), Now).Result.ShouldBeOfType<CheckoutResult.Admitted>();
    }
}
