using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>The pass/fail check: passes while at least one seat is free and holds nothing.</summary>
public class SeatDecisionCheckTests
{
    private static readonly DateTimeOffset Now = At(Minutes(1));

    private static License LicenseWith(int seats) => License(seats, Policy(SeatKey.Session,
        ClientType("desktop"),
        ClientType("addin", Consumption.Check, denialCode: "addin_no_seat", denialMessage: "Open the desktop app first."),
        ClientType("api", Consumption.None)));

    [Fact]
    public void Check_WhileASeatIsFree_PassesAndRecordsACheckedEvent()
    {
        var license = LicenseWith(seats: 2);
        var ledger = Ledger(license, Holder(license, "ses_1"));

        var decided = SeatDecision.Check(ledger, new CheckRequest("alice", "addin"), Now);

        decided.Result.ShouldBe(new CheckResult.Answered(Pass: true, Codes.Pass, "A seat is free.", SeatsInUse: 1, Seats: 2));
        decided.Changes.Events.ShouldBe([
            new UsageEvent(TenantId, LicenseId, null, Now, UsageKind.Checked, Codes.Pass, "alice", null, "addin", 0) { SeatsInUse = 1, SeatLimit = 2 },
        ]);
    }

    [Fact]
    public void Check_HoldsNothing()
    {
        var license = LicenseWith(seats: 1);

        var decided = SeatDecision.Check(Ledger(license), new CheckRequest("alice", "desktop"), Now);

        decided.Result.ShouldBeOfType<CheckResult.Answered>().Pass.ShouldBeTrue();
        decided.Changes.Sessions.ShouldBeEmpty();
        decided.Changes.Events.Single().Seats.ShouldBe(0);
    }

    [Fact]
    public void Check_AtTheLimit_FailsWithTheClientTypesCodeAndMessage()
    {
        var license = LicenseWith(seats: 1);
        var ledger = Ledger(license, Holder(license, "ses_1"));

        var decided = SeatDecision.Check(ledger, new CheckRequest("alice", "addin"), Now);

        decided.Result.ShouldBe(new CheckResult.Answered(Pass: false, "addin_no_seat", "Open the desktop app first.", 1, 1));
        decided.Changes.Sessions.ShouldBeEmpty();
        decided.Changes.Events.ShouldBe([
            new UsageEvent(TenantId, LicenseId, null, Now, UsageKind.Checked, "addin_no_seat", "alice", null, "addin", 0) { SeatsInUse = 1, SeatLimit = 1 },
        ]);
    }

    [Fact]
    public void Check_ConsumptionNone_PassesEvenAtTheLimit()
    {
        var license = LicenseWith(seats: 1);
        var ledger = Ledger(license, Holder(license, "ses_1"));

        var decided = SeatDecision.Check(ledger, new CheckRequest("alice", "api"), Now);

        decided.Result.ShouldBeOfType<CheckResult.Answered>().Pass.ShouldBeTrue();
    }

    [Fact]
    public void Check_WhenAHolderFellDue_EndsItAtItsDeadlineAndCountsItsSeatAsFree()
    {
        var license = LicenseWith(seats: 1);
        var stale = Holder(license, "ses_stale", since: T0);
        var now = At(Minutes(9));

        var decided = SeatDecision.Check(Ledger(license, stale), new CheckRequest("alice", "addin"), now);

        decided.Result.ShouldBe(new CheckResult.Answered(true, Codes.Pass, "A seat is free.", 0, 1));
        decided.Changes.Sessions.ShouldBe([stale.End(EndReason.Expired, At(Minutes(5)))]);
        decided.Changes.Events.Select(e => (e.Kind, e.Code, e.At)).ShouldBe([
            (UsageKind.Ended, "expired", At(Minutes(5))),
            (UsageKind.Checked, Codes.Pass, now),
        ]);
    }

    [Fact]
    public void Check_UnknownClientType_IsRejectedWithFieldClientAndNoChanges()
    {
        var license = LicenseWith(seats: 1);
        var stale = Holder(license, "ses_stale", since: T0);

        var decided = SeatDecision.Check(Ledger(license, stale), new CheckRequest("alice", "watch"), At(Minutes(9)));

        var error = decided.Result.ShouldBeOfType<CheckResult.Rejected>().Error;
        error.Code.ShouldBe(Codes.UnknownClientType);
        error.Field.ShouldBe("client");
        error.Message.ShouldContain("addin, api, desktop");
        decided.Changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Check_UnknownClientName_WithADefaultClientType_IsCheckedAsTheDefaultType()
    {
        var license = License(seats: 1, Policy(SeatKey.Session, "addin", ClientType("desktop"),
            ClientType("addin", Consumption.Check, denialCode: "addin_no_seat")));
        var ledger = Ledger(license, Holder(license, "ses_1"));

        var decided = SeatDecision.Check(ledger, new CheckRequest("alice", "outlook"), Now);

        decided.Result.ShouldBeOfType<CheckResult.Answered>().Code.ShouldBe("addin_no_seat");
        decided.Changes.Events.Single().Client.ShouldBe("addin");
    }
}
