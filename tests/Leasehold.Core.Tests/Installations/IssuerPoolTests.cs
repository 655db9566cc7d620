using Leasehold.Core;
using Leasehold.Core.Installations;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tests.Support;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Installations;

/// <summary>
/// The issuing server's own pool: what installations may be using is not its to give, so its online
/// users and the installations' shares together never exceed the license.
/// </summary>
public sealed class IssuerPoolTests
{
    private static readonly DateTimeOffset Now = T0;

    private static LicenseLedger CompanyLicense(int seats, params Installation[] installations) =>
        Ledger(License(seats)) with { Installations = installations };

    internal static Installation Share(string id, int seats, DateTimeOffset? usableUntil = null, long serial = 1) =>
        new(id, TenantId, LicenseId, id, id + "-machine", seats, serial, Now, Now, [new IssuedFile(serial, seats, usableUntil ?? Now.AddDays(30))]);

    [Fact]
    public void Checkout_OnTheIssuer_HasOnlyTheSeatsNoInstallationHolds()
    {
        var ledger = CompanyLicense(10, Share("central", 8), Share("laptop-1", 1));

        var first = SeatDecision.Checkout(ledger, Request("ses_1", "alice"), Now);
        var admitted = first.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        var second = SeatDecision.Checkout(ledger with { Holders = [admitted.Session] }, Request("ses_2", "bob"), Now);

        admitted.Seats.ShouldBe(1, "the limit the issuer reports is its own share");
        var denied = second.Result.ShouldBeOfType<CheckoutResult.Denied>();
        denied.Code.ShouldBe(Codes.NoSeatAvailable);
        denied.Seats.ShouldBe(1);
    }

    [Fact]
    public void Check_OnTheIssuer_FailsOnceItsShareIsInUse()
    {
        var ledger = CompanyLicense(2, Share("laptop-1", 1));
        var holder = SeatDecision.Checkout(ledger, Request("ses_1", "alice"), Now).Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        var answer = SeatDecision.Check(ledger with { Holders = [holder] }, new CheckRequest("bob", "desktop"), Now).Result;

        answer.ShouldBeOfType<CheckResult.Answered>().Pass.ShouldBeFalse();
    }

    [Fact]
    public void AnInstallationsExpiredFile_GivesItsSeatsBackToTheIssuer()
    {
        var lapsed = Share("laptop-1", 1, usableUntil: Now) with { Allocated = 0 };

        CompanyLicense(1, lapsed).OnlineSeats(Now.AddTicks(-1)).ShouldBe(0);
        CompanyLicense(1, lapsed).OnlineSeats(Now).ShouldBe(1);
    }

    [Fact]
    public void ALicenseWithoutInstallations_KeepsAllItsSeatsOnline() =>
        Ledger(License(5)).OnlineSeats(Now).ShouldBe(5);
}
