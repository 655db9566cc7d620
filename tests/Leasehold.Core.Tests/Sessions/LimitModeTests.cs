using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using static Leasehold.Core.Tests.Support.GivenPolicy;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>Limit modes: hard mode refuses at the limit; soft mode admits beyond it with a warning, up to an optional cap.</summary>
public class LimitModeTests
{
    private static readonly DateTimeOffset Now = Monday0900;
    private static readonly DateTimeOffset Earlier = Monday0900.AddMinutes(-1);

    private static License LicenseWith(LimitPolicy limit, int seats = 10) => License(seats, Rules() with { Limit = limit });

    private static Session[] Holders(License license, int count) =>
        HeldBy(license, Earlier, [.. Enumerable.Range(1, count).Select(i => $"u{i}")]);

    private static Decided<CheckoutResult> CheckoutWith(License license, int holders, string client = "desktop") =>
        SeatDecision.Checkout(new LicenseLedger(license, Holders(license, holders)), Request(client: client), Now);

    [Fact]
    public void Hard_BelowTheLimit_AdmitsWithoutWarnings()
    {
        var decided = CheckoutWith(LicenseWith(LimitPolicy.Hard), holders: 9);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.SeatsInUse.ShouldBe(10);
        admitted.Warnings.ShouldBeEmpty();
        decided.Changes.Events.Single().Code.ShouldBe(Codes.Admitted);
    }

    [Fact]
    public void Hard_AtTheLimit_RefusesWithTheClientTypesDenial()
    {
        var decided = CheckoutWith(LicenseWith(LimitPolicy.Hard), holders: 10, client: "web");

        decided.Result.ShouldBe(new CheckoutResult.Denied("web_no_seat", "The web seats are gone.", SeatsInUse: 10, Seats: 10));
        var denied = decided.Changes.Events.Single();
        denied.Kind.ShouldBe(UsageKind.Denied);
        denied.Code.ShouldBe("web_no_seat");
    }

    [Fact]
    public void Soft_BelowTheLimit_AdmitsWithoutTheOverLimitWarning()
    {
        var decided = CheckoutWith(LicenseWith(Soft()), holders: 9);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.Warnings.ShouldBeEmpty();
        decided.Changes.Events.Single().Code.ShouldBe(Codes.Admitted);
    }

    [Fact]
    public void Soft_AtTheLimit_AdmitsWithThePolicysWarningMessage()
    {
        var decided = CheckoutWith(LicenseWith(Soft(message: "You use more seats than you own.")), holders: 10);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.SeatsInUse.ShouldBe(11);
        admitted.Seats.ShouldBe(10);
        admitted.Session.Seats.ShouldBe(1);
        admitted.Warnings.ShouldBe([new Warning("over_limit", "You use more seats than you own.")]);
    }

    [Fact]
    public void Soft_AtTheLimit_RecordsAnAdmittedEventWithTheOverLimitCode()
    {
        var decided = CheckoutWith(LicenseWith(Soft()), holders: 10);

        var admitted = decided.Changes.Events.Single();
        admitted.Kind.ShouldBe(UsageKind.Admitted);
        admitted.Code.ShouldBe("admitted_over_limit");
        admitted.SessionId.ShouldBe("ses_new");
        admitted.Seats.ShouldBe(1);
    }

    [Fact]
    public void Soft_WithoutACap_AdmitsFarBeyondTheLimit()
    {
        var decided = CheckoutWith(LicenseWith(Soft()), holders: 50);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(51);
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(11, true)]
    [InlineData(12, false)]
    [InlineData(13, false)]
    public void Soft_OverageCount_AdmitsUpToTheLimitPlusTheCount(int holders, bool admitted)
    {
        // 10 seats plus 2: the 12th seat is the last one handed out.
        var decided = CheckoutWith(LicenseWith(Soft(overageCount: 2)), holders);

        if (admitted)
            decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(holders + 1);
        else
            decided.Result.ShouldBeOfType<CheckoutResult.Denied>().SeatsInUse.ShouldBe(holders);
    }

    [Fact]
    public void Soft_BeyondTheOverageCap_RefusesWithTheClientTypesDenialCode()
    {
        var decided = CheckoutWith(LicenseWith(Soft(overageCount: 2)), holders: 12, client: "web");

        decided.Result.ShouldBe(new CheckoutResult.Denied("web_no_seat", "The web seats are gone.", SeatsInUse: 12, Seats: 10));
        decided.Changes.Events.Single().Code.ShouldBe("web_no_seat");
    }

    [Fact]
    public void Soft_OverageCountZero_RefusesAtTheLimitLikeHardMode()
    {
        CheckoutWith(LicenseWith(Soft(overageCount: 0)), holders: 10)
            .Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe(Codes.NoSeatAvailable);
    }

    [Theory]
    // 15% of 10 seats is 1.5, rounded up to 2: at most 12 in use.
    [InlineData(11, true)]
    [InlineData(12, false)]
    public void Soft_OveragePercent_RoundsTheExtraSeatsUp(int holders, bool admitted)
    {
        var decided = CheckoutWith(LicenseWith(Soft(overagePercent: 15)), holders);

        decided.Result.ShouldBeOfType(admitted ? typeof(CheckoutResult.Admitted) : typeof(CheckoutResult.Denied));
    }

    [Theory]
    // 1% of 10 seats is 0.1, rounded up to 1: one seat over is allowed, two are not.
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void Soft_OveragePercent_ATinyPercentStillAllowsOneSeat(int holders, bool admitted)
    {
        var decided = CheckoutWith(LicenseWith(Soft(overagePercent: 1)), holders);

        decided.Result.ShouldBeOfType(admitted ? typeof(CheckoutResult.Admitted) : typeof(CheckoutResult.Denied));
    }

    [Fact]
    public void Soft_OveragePercent_BeyondTheCapIsDeniedWithTheClientTypesDenialCode()
    {
        var decided = CheckoutWith(LicenseWith(Soft(overagePercent: 20)), holders: 12, client: "web");

        decided.Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("web_no_seat");
    }

    [Fact]
    public void Soft_AHeavySessionThatEndsExactlyAtTheCap_IsAdmittedOverTheLimit()
    {
        // 10 seats + 2 overage = 12; 9 held + weight 3 = 12.
        var policy = Rules() with { Limit = Soft(overageCount: 2) };
        policy = policy with
        {
            ClientTypes = new Dictionary<string, ClientTypePolicy>(policy.ClientTypes, StringComparer.OrdinalIgnoreCase)
            {
                ["integration"] = Support.Given.ClientType("integration", weight: 3),
            },
        };
        var license = License(10, policy);

        var decided = SeatDecision.Checkout(new LicenseLedger(license, Holders(license, 9)), Request(client: "integration"), Now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.SeatsInUse.ShouldBe(12);
        decided.Changes.Events.Single().Code.ShouldBe("admitted_over_limit");
    }

    [Fact]
    public void Soft_AHeavySessionThatWouldPassTheCap_IsRefused()
    {
        var policy = Rules() with { Limit = Soft(overageCount: 2) };
        policy = policy with
        {
            ClientTypes = new Dictionary<string, ClientTypePolicy>(policy.ClientTypes, StringComparer.OrdinalIgnoreCase)
            {
                ["integration"] = Support.Given.ClientType("integration", weight: 3),
            },
        };
        var license = License(10, policy);

        SeatDecision.Checkout(new LicenseLedger(license, Holders(license, 10)), Request(client: "integration"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>().SeatsInUse.ShouldBe(10);
    }

    [Fact]
    public void Soft_AWarningAboutTheLicenseEndFollowsTheOverLimitWarning()
    {
        var license = LicenseWith(Soft(message: "Over.")) with { EndsAt = Now.AddDays(3) };

        var admitted = SeatDecision.Checkout(new LicenseLedger(license, Holders(license, 10)), Request(), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>();

        admitted.Warnings.Select(w => w.Code).ShouldBe(["over_limit", "license_expiring"]);
    }

    [Fact]
    public void Check_SoftAtTheLimit_PassesOverTheLimitWithTheWarning()
    {
        var license = LicenseWith(Soft(message: "Over."));

        var answered = SeatDecision.Check(new LicenseLedger(license, Holders(license, 10)), new CheckRequest("alice", "desktop"), Now)
            .Result.ShouldBeOfType<CheckResult.Answered>();

        answered.Pass.ShouldBeTrue();
        answered.Code.ShouldBe("pass_over_limit");
        answered.Message.ShouldBe("Over.");
        answered.Warnings.ShouldBe([new Warning("over_limit", "Over.")]);
    }

    [Fact]
    public void Check_HardAtTheLimit_Fails()
    {
        var license = LicenseWith(LimitPolicy.Hard);

        var answered = SeatDecision.Check(new LicenseLedger(license, Holders(license, 10)), new CheckRequest("alice", "web"), Now)
            .Result.ShouldBeOfType<CheckResult.Answered>();

        answered.Pass.ShouldBeFalse();
        answered.Code.ShouldBe("web_no_seat");
        answered.Warnings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(LimitMode.Hard, null, null, 10)]
    [InlineData(LimitMode.Soft, 3, null, 13)]
    [InlineData(LimitMode.Soft, null, 25, 13)]
    [InlineData(LimitMode.Soft, null, 30, 13)]
    [InlineData(LimitMode.Soft, null, 0, 10)]
    [InlineData(LimitMode.Soft, null, null, int.MaxValue)]
    public void MaxInUse_IsTheSeatsPlusTheCapRoundedUp(LimitMode mode, int? count, int? percent, int expected)
    {
        new LimitPolicy(mode, count, percent, "w").MaxInUse(10).ShouldBe(expected);
    }
}
