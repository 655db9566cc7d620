using Leasehold.Core.Installations;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Installations;

/// <summary>"Cargo Office will automatically try to update the license date 2 weeks before the expiry date."</summary>
public sealed class RenewalTests
{
    private static readonly TimeSpan Retry = TimeSpan.FromMinutes(1);

    private static LicenseFile File(DateTimeOffset? endsAt, DateTimeOffset refreshBy) => new()
    {
        LicenseId = LicenseId, TenantId = TenantId, Product = "cargo-office", InstallationId = "ins_1", Fingerprint = "laptop", Seats = 1,
        Policy = new(), EndsAt = endsAt, RefreshBy = refreshBy, Serial = 1, IssuedAt = T0, KeyId = "kid",
    };

    [Fact]
    public void TheWindowOpens_TwoWeeksBeforeTheLicenseEnds_OrBeforeTheFileMustBeRefreshed_WhicheverIsSooner()
    {
        Renewal.WindowOpens(File(T0.AddDays(20), T0.AddDays(30)), 14).ShouldBe(T0.AddDays(6));
        Renewal.WindowOpens(File(T0.AddDays(200), T0.AddDays(30)), 14).ShouldBe(T0.AddDays(16));
        Renewal.WindowOpens(File(null, T0.AddDays(30)), 3).ShouldBe(T0.AddDays(27));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void BeforeTheWindow_TheFirstAttemptIsSpreadOverTheHourAfterItOpens(double random)
    {
        var opens = T0.AddDays(16);

        var next = Renewal.NextAttempt(T0, opens, 0, Retry, random);

        next.ShouldBe(opens + Renewal.OpeningSpread * random);
    }

    [Fact]
    public void InsideTheWindow_TheFirstAttemptIsAtOnce_AndEachFurtherWaitDoubles_UpToSixHours()
    {
        var opens = T0.AddDays(-1);

        Renewal.NextAttempt(T0, opens, 0, Retry, 0.5).ShouldBe(T0);
        Renewal.NextAttempt(T0, opens, 1, Retry, 0.5).ShouldBe(T0 + Retry);
        Renewal.NextAttempt(T0, opens, 4, Retry, 0.5).ShouldBe(T0 + Retry * 8);
        Renewal.NextAttempt(T0, opens, 40, Retry, 0.5).ShouldBe(T0 + Renewal.LongestWait);
    }

    [Fact]
    public void Waits_AreJittered_ByAFifthEitherWay()
    {
        var opens = T0.AddDays(-1);

        Renewal.NextAttempt(T0, opens, 3, Retry, 0).ShouldBe(T0 + Retry * 4 * (1 - Renewal.Jitter));
        Renewal.NextAttempt(T0, opens, 3, Retry, 1).ShouldBe(T0 + Retry * 4 * (1 + Renewal.Jitter));
    }
}
