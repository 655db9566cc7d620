using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using static Leasehold.Core.Tests.Support.GivenPolicy;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>Plans and reservations: the checks that need the license's seat count (plan bounds, reservations that fit).</summary>
public class PlanTests
{
    private const string ChangePlan = "The Team plan stops at 20 seats. Move to Business to add more.";

    // Team plan: 5 seats included, add-ons up to 20.
    private static readonly PlanPolicy Team = new("Team", BaseSeats: 5, MaxSeats: 20, ChangePlan);

    private static LicensePolicy OnTeamPlan(params Reservation[] reservations) =>
        Rules() with { Plan = Team, Reservations = reservations };

    [Fact]
    public void AboveThePlansMaximum_IsPlanLimitReachedWithThePlansMessage()
    {
        PolicyValidation.CheckSeats(OnTeamPlan(), 21).ShouldBe(new RequestError("plan_limit_reached", "seats", ChangePlan));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(20)]
    public void WithinThePlan_IsAccepted(int seats)
    {
        PolicyValidation.CheckSeats(OnTeamPlan(), seats).ShouldBeNull();
    }

    [Fact]
    public void BelowThePlansBaseSeats_IsPlanLimitReachedNamingTheBase()
    {
        PolicyValidation.CheckSeats(OnTeamPlan(), 4).ShouldBe(new RequestError(
            "plan_limit_reached", "seats", "The Team plan includes 5 seats; a license on it has at least that many."));
    }

    [Fact]
    public void WithoutAPlan_AnySeatCountIsAccepted()
    {
        PolicyValidation.CheckSeats(Rules(), 1).ShouldBeNull();
        PolicyValidation.CheckSeats(Rules(), 100_000).ShouldBeNull();
    }

    [Fact]
    public void ReservationsHoldingMoreThanTheSeats_AreAnInvalidRequestOnTheReservations()
    {
        var policy = Rules() with { Reservations = [Reserve("support", 3, "sam"), Reserve("sales", 3, "sal")] };

        PolicyValidation.CheckSeats(policy, 5).ShouldBe(new RequestError(
            "invalid_request", "policy.reservations", "The reservations hold 6 seats, more than the license's 5."));
    }

    [Fact]
    public void ReservationsHoldingExactlyTheSeats_Fit()
    {
        var policy = Rules() with { Reservations = [Reserve("support", 3, "sam"), Reserve("sales", 3, "sal")] };

        PolicyValidation.CheckSeats(policy, 6).ShouldBeNull();
    }

    [Fact]
    public void ABreachOfThePlan_IsReportedBeforeReservationsThatDoNotFit()
    {
        // 4 seats is below the base and too few for the 6 reserved: the plan speaks first.
        var policy = OnTeamPlan(Reserve("support", 6, "sam"));

        PolicyValidation.CheckSeats(policy, 4).ShouldNotBeNull().Code.ShouldBe("plan_limit_reached");
    }

    [Fact]
    public void WithinThePlan_ReservationsStillHaveToFit()
    {
        var policy = OnTeamPlan(Reserve("support", 8, "sam"));

        PolicyValidation.CheckSeats(policy, 7).ShouldNotBeNull().Field.ShouldBe("policy.reservations");
        PolicyValidation.CheckSeats(policy, 8).ShouldBeNull();
    }

    [Fact]
    public void APlanBuiltWithoutAMessage_RefusesWithTheStandardChangePlanText()
    {
        var errors = new List<FieldError>();
        var policy = PolicyValidation.Build(new PolicyDocument { Plan = new PlanDocument { Name = "Starter", BaseSeats = 1, MaxSeats = 10 } }, "policy", errors);

        errors.ShouldBeEmpty();
        PolicyValidation.CheckSeats(policy, 11).ShouldBe(new RequestError("plan_limit_reached", "seats",
            "The Starter plan allows at most 10 seats. To grow beyond that, change to a plan that fits your organization."));
    }

    [Theory]
    [InlineData(5, 0)]
    [InlineData(4, 0)]
    [InlineData(8, 3)]
    [InlineData(20, 15)]
    public void AddOnSeats_AreTheSeatsBeyondTheBase(int seats, int expected)
    {
        Team.AddOnSeats(seats).ShouldBe(expected);
    }
}
