using Leasehold.Core;
using Leasehold.Core.Installations;

namespace Leasehold.Core.Tests.Installations;

/// <summary>
/// Cargo Office's company license of 10: the central server with 8, two laptops with 1 each. The
/// total is never exceeded, also while an installation still holds an older, larger file.
/// </summary>
public sealed class AllocationsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset RefreshBy = Now.AddDays(30);

    private static InstallationShare Share(string id, int seats, long serial = 1) =>
        new(id, seats, serial, [new IssuedFile(serial, seats, RefreshBy)]);

    private static List<InstallationShare> CargoOffice() => [Share("central", 8), Share("laptop-1", 1), Share("laptop-2", 1)];

    [Fact]
    public void RaisingALaptop_WhileTheOthersHoldNine_IsRefused_SayingHowManySeatsItCanHave()
    {
        var refused = Allocations.Allocate(10, CargoOffice(), 0, "laptop-1", 2, Now).ShouldBeOfType<AllocationResult.Refused>();

        refused.Code.ShouldBe(Codes.AllocationExceedsLicense);
        refused.MaxSeats.ShouldBe(1);
        refused.Message.ShouldContain("at most 1");
    }

    [Fact]
    public void LoweringTheCentralServer_FreesItsSeat_OnlyOnceItHasTakenTheLowerFile()
    {
        var shares = CargoOffice();
        Allocations.Allocate(10, shares, 0, "central", 7, Now).ShouldBeOfType<AllocationResult.Allowed>();
        var lowered = new InstallationShare("central", 7, TakenSerial: 1, [new IssuedFile(1, 8, RefreshBy), new IssuedFile(2, 7, RefreshBy)]);
        shares[0] = lowered;

        Allocations.Allocate(10, shares, 0, "laptop-1", 2, Now).ShouldBeOfType<AllocationResult.Refused>("central may still run on its file of 8");

        shares[0] = lowered with { TakenSerial = 2 };
        Allocations.Allocate(10, shares, 0, "laptop-1", 2, Now).ShouldBe(new AllocationResult.Allowed(2));
    }

    [Fact]
    public void AnOlderLargerFile_StopsHoldingSeats_OnceItIsPastItsUsableEnd()
    {
        List<InstallationShare> shares =
        [
            new("central", 7, TakenSerial: 1, [new IssuedFile(1, 8, RefreshBy), new IssuedFile(2, 7, RefreshBy.AddDays(30))]),
            Share("laptop-1", 1),
            Share("laptop-2", 1),
        ];

        Allocations.Free(10, shares, 0, RefreshBy.AddTicks(-1)).ShouldBe(0);
        Allocations.Free(10, shares, 0, RefreshBy).ShouldBe(1);
        Allocations.Allocate(10, shares, 0, "laptop-1", 2, RefreshBy).ShouldBe(new AllocationResult.Allowed(2));
    }

    [Fact]
    public void SeatsUsedOnlineOnTheIssuer_CountAgainstTheLicenseToo()
    {
        List<InstallationShare> shares = [Share("central", 6), Share("laptop-1", 1)];

        Allocations.Allocate(10, shares, onlineInUse: 2, "laptop-1", 2, Now).ShouldBe(new AllocationResult.Allowed(2));
        Allocations.Allocate(10, shares, onlineInUse: 3, "laptop-1", 2, Now).ShouldBeOfType<AllocationResult.Refused>().MaxSeats.ShouldBe(1);
    }

    [Fact]
    public void AnAllocationNotYetTaken_IsInForceAtOnce()
    {
        var raised = new InstallationShare("laptop-1", 2, TakenSerial: 1, [new IssuedFile(1, 1, RefreshBy)]);

        raised.InForce(Now).ShouldBe(2);
    }
}
