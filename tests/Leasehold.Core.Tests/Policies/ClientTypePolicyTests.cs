using Leasehold.Core.Policies;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Policies;

public class ClientTypePolicyTests
{
    [Theory]
    [InlineData(Consumption.Seat, 4, 4)]
    [InlineData(Consumption.Check, 4, 0)]
    [InlineData(Consumption.None, 4, 0)]
    public void SeatsHeld_IsTheWeightOnlyForSeatConsumption(Consumption consumption, int weight, int seatsHeld)
    {
        ClientType(consumption: consumption, weight: weight).SeatsHeld.ShouldBe(seatsHeld);
    }

    [Fact]
    public void HeartbeatInterval_IsAThirdOfTheTtl()
    {
        ClientType(ttl: Minutes(20)).HeartbeatInterval.ShouldBe(TimeSpan.FromSeconds(400));
        ClientType(ttl: TimeSpan.FromSeconds(30)).HeartbeatInterval.ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void DefaultPolicy_HoldsASeatPerSessionForDesktopAndWebWithTheirOwnTimeouts()
    {
        var policy = LicensePolicy.Default;

        policy.SeatKey.ShouldBe(SeatKey.Session);
        policy.DefaultClientType.ShouldBeNull();
        policy.ClientTypes["desktop"].Ttl.ShouldBe(Minutes(5));
        policy.ClientTypes["web"].Ttl.ShouldBe(Minutes(20));
        policy.ClientTypes.Values.ShouldAllBe(t => t.SeatsHeld == 1 && t.IdleTimeout == TimeSpan.FromHours(1)
            && t.DenialCode == Codes.NoSeatAvailable);
    }

    [Fact]
    public void ResolveClientType_IgnoresCaseAndFallsBackToTheDefaultType()
    {
        var policy = Policy(SeatKey.Session, "web", ClientType("desktop"), ClientType("web"));

        policy.ResolveClientType("DESKTOP")!.Name.ShouldBe("desktop");
        policy.ResolveClientType("tablet")!.Name.ShouldBe("web");
        LicensePolicy.Default.ResolveClientType("tablet").ShouldBeNull();
    }
}
