using Leasehold.Core.Usage;

namespace Leasehold.Core.Tests.Usage;

/// <summary>The one classification every report counts by: a failed check is never a denial, a refusal for want of a seat always is.</summary>
public sealed class OutcomesTests
{
    [Theory]
    [InlineData(UsageKind.Denied, "no_seat_available", true, true, false, false)]
    [InlineData(UsageKind.Denied, "web_full", true, true, false, false)] // a client type's own denial code
    [InlineData(UsageKind.Denied, "license_expired", true, false, false, false)]
    [InlineData(UsageKind.Denied, "outside_access_window", true, false, false, false)]
    [InlineData(UsageKind.Checked, "no_seat_available", false, false, true, false)]
    [InlineData(UsageKind.Checked, "license_expired", false, false, true, false)]
    [InlineData(UsageKind.Checked, "pass", false, false, false, false)]
    [InlineData(UsageKind.Checked, "pass_over_limit", false, false, false, true)]
    [InlineData(UsageKind.Admitted, "admitted", false, false, false, false)]
    [InlineData(UsageKind.Admitted, "admitted_over_limit", false, false, false, true)]
    [InlineData(UsageKind.Ended, "released", false, false, false, false)]
    public void Of_ClassifiesEachKindAndCode(UsageKind kind, string code, bool denial, bool forWantOfSeat, bool failedCheck, bool overLimit) =>
        Outcomes.Of(kind, code).ShouldBe(new UsageOutcome(denial, forWantOfSeat, failedCheck, overLimit));
}
