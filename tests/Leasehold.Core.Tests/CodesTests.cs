using Leasehold.Core.Sessions;

namespace Leasehold.Core.Tests;

public class CodesTests
{
    [Theory]
    [InlineData(EndReason.Released, "released")]
    [InlineData(EndReason.Expired, "expired")]
    [InlineData(EndReason.Idle, "idle")]
    [InlineData(EndReason.Stopped, "stopped")]
    public void EndReasonCodes_AreStableAndParseBack(EndReason reason, string code)
    {
        Codes.Of(reason).ShouldBe(code);
        Codes.ParseEndReason(code).ShouldBe(reason);
    }

    [Fact]
    public void EveryEndReason_HasACode()
    {
        Enum.GetValues<EndReason>().Select(Codes.Of).Distinct().Count().ShouldBe(Enum.GetValues<EndReason>().Length);
    }
}
