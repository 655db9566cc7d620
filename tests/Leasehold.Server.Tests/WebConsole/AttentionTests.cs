using Leasehold.Core.Policies;
using Leasehold.Server.Installations;
using Leasehold.Server.Licenses;
using Leasehold.Server.WebConsole;

namespace Leasehold.Server.Tests.WebConsole;

/// <summary>
/// The overview's attention rules as plain functions, for what a browser test against a real clock
/// cannot wait for: an installation silent for weeks, a license a month from its end.
/// </summary>
public sealed class AttentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static LicenseResponse License(DateTimeOffset? endsAt = null, ExpiryDocument? expiry = null) =>
        new("lic_1", "ten_1", "cargo-office", 10, 0, null, null, endsAt, 1, new PolicyDocument { Expiry = expiry }, Now.AddYears(-1));

    private static InstallationResponse Installation(DateTimeOffset? lastContact, long? latest = 1, int seats = 2, int inForce = 2) =>
        new("ins_1", "ten_1", "lic_1", "laptop-1", "laptop-1", seats, inForce, latest ?? 0, latest, lastContact?.AddDays(30), lastContact, Now.AddYears(-1));

    private static List<string> Kinds(LicenseResponse license, params InstallationResponse[] installations) =>
        [.. Attention.For(license, new LicenseDay(0, 0, null), installations, Now, "Europe/Amsterdam").Select(a => a.Kind)];

    [Fact]
    public void AnInstallationSilentLongerThanItsRenewalWait_HasNotRenewed()
    {
        // Files last 30 days and renewal starts 14 days before the end: an online installation fetches within 16 days.
        Kinds(License(), Installation(Now.AddDays(-15))).ShouldBeEmpty();
        Kinds(License(), Installation(Now.AddDays(-17))).ShouldBe(["not-renewed"]);
        Kinds(License(expiry: new ExpiryDocument { RenewDaysBefore = 7 }), Installation(Now.AddDays(-17))).ShouldBeEmpty("renewing 7 days before, it waits 23");
        Kinds(License(), Installation(Now.AddDays(-40), latest: null)).ShouldBeEmpty("given no file yet, it has nothing to renew");
    }

    [Fact]
    public void AnInstallationHoldingMoreThanItsLoweredShare_HasNotRenewed()
    {
        var text = Attention.NotRenewed(Installation(Now.AddHours(-1), latest: 2, seats: 1, inForce: 2), 14, Now, "UTC");

        text.ShouldBe("Installation laptop-1 (ins_1) has not renewed onto its lowered share: it may still use 2 seats, not 1, until it takes file 2.");
    }

    [Fact]
    public void ALicenseEndingWithin30Days_OrItsWarnDays_IsExpiringSoon_AndAnEndedOneSaysSo()
    {
        Kinds(License(Now.AddDays(30))).ShouldBe(["expiring"]);
        Kinds(License(Now.AddDays(31))).ShouldBeEmpty();
        Kinds(License(Now.AddDays(45), new ExpiryDocument { WarnDays = 60 })).ShouldBe(["expiring"]);
        Attention.For(License(Now.AddDays(-2)), new LicenseDay(0, 0, null), [], Now, "UTC").Single().Text.ShouldBe("Ended on 2026-02-28.");
    }

    [Fact]
    public void SoftLimitOverageAndRefusalsToday_AreEachAnItem_WithTheReportsWarning()
    {
        var items = Attention.For(License(), new LicenseDay(2, 1, "The license went over its 10 seats 1 time(s) in this period."), [], Now, "UTC").ToList();

        items.Select(i => i.Text).ShouldBe(["Over its soft limit of 10 seats today. The license went over its 10 seats 1 time(s) in this period.", "Refusals today: 2."]);
    }
}
