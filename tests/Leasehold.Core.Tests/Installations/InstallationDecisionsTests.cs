using Leasehold.Core;
using Leasehold.Core.Installations;
using Leasehold.Core.Sessions;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Installations;

/// <summary>Registering, allocating and issuing files on the issuer's ledger: what Cargo Office's administrator does.</summary>
public sealed class InstallationDecisionsTests
{
    private static readonly DateTimeOffset Now = T0;

    private static Installation New(string id, int seats) => new(id, TenantId, LicenseId, id, id + "-machine", seats, 0, null, Now, []);

    [Fact]
    public void Registering_WithinTheLicense_IsDone_AndRecordsTheInstallation()
    {
        var ledger = Ledger(License(10)) with { Installations = [IssuerPoolTests.Share("central", 8)] };

        var decided = InstallationDecisions.Register(ledger, New("laptop-1", 2), Now);

        var done = decided.Result.ShouldBeOfType<InstallationOutcome.Done>();
        done.Installation.Allocated.ShouldBe(2);
        done.Installation.Name.ShouldBe("laptop-1");
        decided.Changes.Installations.ShouldBe([done.Installation]);
    }

    [Fact]
    public void Registering_BeyondTheLicense_IsRefused_AndChangesNothing()
    {
        var ledger = Ledger(License(10)) with { Installations = [IssuerPoolTests.Share("central", 8), IssuerPoolTests.Share("laptop-1", 1)] };

        var decided = InstallationDecisions.Register(ledger, New("laptop-2", 2), Now);

        var refused = decided.Result.ShouldBeOfType<InstallationOutcome.Refused>();
        refused.Code.ShouldBe(Codes.AllocationExceedsLicense);
        refused.MaxSeats.ShouldBe(1);
        decided.Changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Allocating_CountsTheSeatsUsedOnlineOnTheIssuer()
    {
        var license = License(3);
        var holder = SeatDecision.Checkout(Ledger(license), Request("ses_1", "alice"), Now).Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;
        var ledger = Ledger(license, holder) with { Installations = [IssuerPoolTests.Share("laptop-1", 1)] };

        InstallationDecisions.Allocate(ledger, "laptop-1", 2, Now).Result.ShouldBeOfType<InstallationOutcome.Done>();
        InstallationDecisions.Allocate(ledger, "laptop-1", 3, Now).Result.ShouldBeOfType<InstallationOutcome.Refused>().MaxSeats.ShouldBe(2);
        InstallationDecisions.Allocate(ledger, "nobody", 1, Now).Result.ShouldBeOfType<InstallationOutcome.Missing>();
    }

    [Fact]
    public void Issuing_GivesTheNextSerial_TheShareNow_AndTheLicensesEnd()
    {
        var license = License(10) with { EndsAt = Now.AddDays(200) };
        var ledger = Ledger(license) with { Installations = [IssuerPoolTests.Share("central", 8) with { Allocated = 7 }] };

        var decided = InstallationDecisions.Issue(ledger, "central", "kid-1", Now);

        var issued = decided.Result.ShouldBeOfType<InstallationOutcome.Issued>();
        (issued.File.Serial, issued.File.Seats, issued.File.EndsAt, issued.File.Product).ShouldBe((2L, 7, Now.AddDays(200), "erp"));
        issued.File.RefreshBy.ShouldBe(Now + InstallationDecisions.RefreshPeriod);
        issued.Installation.Files.Select(f => (f.Serial, f.Seats)).ShouldBe([(1L, 8), (2L, 7)]);
        issued.Installation.Share.InForce(Now).ShouldBe(8, "until it has taken the file of 7");
        decided.Changes.Installations.ShouldBe([issued.Installation]);
    }

    [Fact]
    public void TakingTheLowerFile_FreesTheSeatsOfTheOlderOne_AndIsRecorded()
    {
        var ledger = Ledger(License(10)) with { Installations = [IssuerPoolTests.Share("central", 8) with { Allocated = 7 }] };
        var issued = InstallationDecisions.Issue(ledger, "central", "kid-1", Now).Result.ShouldBeOfType<InstallationOutcome.Issued>();

        var decided = InstallationDecisions.Take(ledger with { Installations = [issued.Installation] }, "central", 2, Now.AddMinutes(1));

        var taken = decided.Result.ShouldBeOfType<InstallationOutcome.Done>().Installation;
        (taken.TakenSerial, taken.Share.InForce(Now.AddMinutes(1)), taken.LastContactAt).ShouldBe((2L, 7, Now.AddMinutes(1)));
        taken.Files.Select(f => f.Serial).ShouldBe([2L], "files it moved past no longer count");
        decided.Changes.Installations.ShouldBe([taken]);
    }

    [Fact]
    public void TakingAnOlderSerial_ChangesNothing_AndASerialNeverIssued_IsRefused()
    {
        var central = IssuerPoolTests.Share("central", 8);
        var ledger = Ledger(License(10)) with { Installations = [central with { TakenSerial = 1 }] };

        InstallationDecisions.Take(ledger, "central", 1, Now).Result.ShouldBeOfType<InstallationOutcome.Done>().Installation.TakenSerial.ShouldBe(1);
        var refused = InstallationDecisions.Take(ledger, "central", 5, Now);

        refused.Result.ShouldBeOfType<InstallationOutcome.Refused>().Code.ShouldBe(Codes.SerialNotIssued);
        refused.Changes.ShouldBe(Changes.None);
        InstallationDecisions.Issue(ledger, "central", "kid-1", Now, takenSerial: 5).Result.ShouldBeOfType<InstallationOutcome.Refused>();
    }
}
