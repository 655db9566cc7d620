using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using Leasehold.Core.Tests.Support;
using static Leasehold.Core.Tests.Support.GivenPolicy;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>Stops that stick: an admin stop's cool-down keeps the stopped user out of the license until it ends or is lifted.</summary>
public class CoolDownTests
{
    private static readonly DateTimeOffset Now = Monday0900;

    private static License LicenseWith(int coolDownMinutes = 0, int seats = 1) =>
        License(seats, Rules() with { Stops = new StopPolicy(coolDownMinutes) });

    private static (Session Stopped, CoolDown? CoolDown, Changes Changes) Stop(License license, int? minutes, string user = "alice")
    {
        var session = Given.Holder(license, "ses_" + user, user, Now.AddMinutes(-1));
        var decided = SessionLifecycle.Stop(session, Now, "key_admin", new SessionContext(license, "UTC", null), minutes);
        return (decided.Result.Session, decided.Result.CoolDown, decided.Changes);
    }

    private static LicenseLedger Ledger(License license, params CoolDown[] coolDowns) => new(license, []) { CoolDowns = coolDowns };

    [Fact]
    public void Stop_WithoutACoolDownAnywhere_BeginsNone()
    {
        var (stopped, coolDown, changes) = Stop(LicenseWith(), minutes: null);

        stopped.EndReason.ShouldBe(EndReason.Stopped);
        coolDown.ShouldBeNull();
        changes.CoolDowns.ShouldBeEmpty();
    }

    [Fact]
    public void Stop_TakesThePolicysCoolDown_WhenItNamesNone()
    {
        var (_, coolDown, changes) = Stop(LicenseWith(coolDownMinutes: 15), minutes: null);

        coolDown.ShouldNotBeNull();
        coolDown.Until.ShouldBe(Now.AddMinutes(15));
        (coolDown.SessionId, coolDown.User, coolDown.Actor, coolDown.At).ShouldBe(("ses_alice", "alice", "key_admin", Now));
        changes.CoolDowns.ShouldBe([coolDown]);
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(0, null)]
    public void Stop_WithItsOwnCoolDown_OverridesThePolicy(int given, int? expected)
    {
        var (_, coolDown, _) = Stop(LicenseWith(coolDownMinutes: 15), minutes: given);

        coolDown?.Until.ShouldBe(Now.AddMinutes(expected!.Value));
        (coolDown is null).ShouldBe(expected is null);
    }

    [Fact]
    public void Stop_OfASessionAlreadyEnded_BeginsNoCoolDown()
    {
        var license = LicenseWith(coolDownMinutes: 15);
        var ended = Given.Holder(license, "ses_alice", "alice", Now.AddMinutes(-2)).End(EndReason.Released, Now.AddMinutes(-1));

        var decided = SessionLifecycle.Stop(ended, Now, "key_admin", new SessionContext(license, "UTC", null), 30);

        decided.Result.CoolDown.ShouldBeNull();
        decided.Changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Checkout_ByTheStoppedUser_IsRefusedWithStoppedRecentlyAndUntil_AndRecorded()
    {
        var license = LicenseWith();
        var (_, coolDown, _) = Stop(license, minutes: 30);

        var decided = SeatDecision.Checkout(Ledger(license, coolDown!), Request(user: "ALICE", device: "another-pc"), Now.AddMinutes(5));

        var denied = decided.Result.ShouldBeOfType<CheckoutResult.Denied>();
        denied.Code.ShouldBe("stopped_recently");
        denied.Until.ShouldBe(Now.AddMinutes(30));
        denied.Message.ShouldContain("2026-03-02 09:30 UTC");
        decided.Changes.Events.Single().ShouldSatisfyAllConditions(
            e => e.Kind.ShouldBe(UsageKind.Denied),
            e => e.Code.ShouldBe("stopped_recently"),
            e => e.User.ShouldBe("ALICE"));
    }

    [Fact]
    public void Checkout_ByAnotherUser_IsAdmittedToTheFreedSeat()
    {
        var license = LicenseWith(seats: 1);
        var (_, coolDown, _) = Stop(license, minutes: 30);

        SeatDecision.Checkout(Ledger(license, coolDown!), Request(user: "bob"), Now.AddMinutes(1))
            .Result.ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void Checkout_AfterTheCoolDownEnds_IsAdmitted()
    {
        var license = LicenseWith();
        var (_, coolDown, _) = Stop(license, minutes: 30);

        SeatDecision.Checkout(Ledger(license, coolDown!), Request(user: "alice"), Now.AddMinutes(30))
            .Result.ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void Checkout_OfANamedUser_IsRefusedToo()
    {
        var license = License(1, Rules() with { NamedUsers = Users("alice") });
        var (_, coolDown, _) = Stop(license, minutes: 30);

        SeatDecision.Checkout(Ledger(license, coolDown!), Request(user: "alice"), Now.AddMinutes(1))
            .Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("stopped_recently");
    }

    [Fact]
    public void TwoStops_TheUserWaitsForTheLaterEnd()
    {
        var license = LicenseWith();
        var (_, longer, _) = Stop(license, minutes: 60);
        var shorter = longer! with { SessionId = "ses_other", Until = Now.AddMinutes(10) };

        SeatDecision.Checkout(Ledger(license, longer, shorter), Request(user: "alice"), Now.AddMinutes(20))
            .Result.ShouldBeOfType<CheckoutResult.Denied>().Until.ShouldBe(Now.AddMinutes(60));
    }

    [Fact]
    public void Lift_LetsTheUserInAtOnce_AndKeepsWhoLiftedIt()
    {
        var license = LicenseWith();
        var (_, coolDown, _) = Stop(license, minutes: 30);

        var lifted = CoolDowns.Lift(Ledger(license, coolDown!), "Alice", Now.AddMinutes(2), "key_other_admin");

        var record = lifted.Result.Lifted.ShouldHaveSingleItem();
        (record.LiftedAt, record.LiftedBy).ShouldBe((Now.AddMinutes(2), "key_other_admin"));
        lifted.Changes.CoolDowns.ShouldBe([record]);
        SeatDecision.Checkout(Ledger(license, record), Request(user: "alice"), Now.AddMinutes(3))
            .Result.ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void Lift_OfAUserNotCoolingDown_ChangesNothing()
    {
        var lifted = CoolDowns.Lift(Ledger(LicenseWith()), "alice", Now, "key_admin");

        lifted.Result.Lifted.ShouldBeEmpty();
        lifted.Changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Check_ByTheStoppedUser_Fails()
    {
        var license = LicenseWith(seats: 5);
        var (_, coolDown, _) = Stop(license, minutes: 30);

        var answer = SeatDecision.Check(Ledger(license, coolDown!), new CheckRequest("alice", "desktop"), Now.AddMinutes(1))
            .Result.ShouldBeOfType<CheckResult.Answered>();
        (answer.Pass, answer.Code).ShouldBe((false, "stopped_recently"));
    }

    [Fact]
    public void StoppedRecently_IsNotASeatRefusal() => Codes.IsSeatRefusal("stopped_recently").ShouldBeFalse();

    [Theory]
    [InlineData(-1)]
    [InlineData(10081)]
    public void Policy_CoolDownOutOfRange_IsRefusedOnItsField(int minutes)
    {
        var errors = new List<FieldError>();
        PolicyValidation.Build(new PolicyDocument { Stops = new StopsDocument { CoolDownMinutes = minutes } }, "policy", errors);

        errors.ShouldHaveSingleItem().Field.ShouldBe("policy.stops.coolDownMinutes");
    }

    [Fact]
    public void Policy_CoolDown_RoundTripsThroughItsDocument()
    {
        var errors = new List<FieldError>();
        var policy = PolicyValidation.Build(new PolicyDocument { Stops = new StopsDocument { CoolDownMinutes = 20 } }, "policy", errors);

        errors.ShouldBeEmpty();
        policy.Stops.CoolDownMinutes.ShouldBe(20);
        PolicyDocument.From(policy).Stops!.CoolDownMinutes.ShouldBe(20);
        PolicyValidation.Build(null, "policy", errors).Stops.CoolDownMinutes.ShouldBe(0);
    }
}
