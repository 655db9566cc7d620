using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Sessions;

public sealed class IdempotencyTests : HostedTests
{
    [Fact]
    public async Task RetriedCheckout_WithTheSameKey_ReturnsTheSameSession_AndTakesNoSecondSeat()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2);

        var first = await t.App.CheckoutAsync(t.LicenseId, "alice", idempotencyKey: "6f1c-retry");
        Host.Clock.Advance(TimeSpan.FromSeconds(30));
        var retry = await t.App.CheckoutAsync(t.LicenseId, "alice", idempotencyKey: "6f1c-retry");

        retry.Str("id").ShouldBe(first.Str("id"));
        retry.Int("seatsInUse").ShouldBe(1);
        await t.App.CheckoutAsync(t.LicenseId, "bob");
        await t.App.CheckoutAsync(t.LicenseId, "carol", HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task RetriedCheckout_IsAnsweredEvenWhenTheLicenseIsNowFull()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var first = await t.App.CheckoutAsync(t.LicenseId, "alice", idempotencyKey: "k-1");

        var retry = await t.App.CheckoutAsync(t.LicenseId, "alice", idempotencyKey: "k-1");

        retry.Str("id").ShouldBe(first.Str("id"));
    }

    [Fact]
    public async Task SameKey_ForADifferentCheckout_IsRefused()
    {
        using var t = await Host.CreateTenancyAsync(seats: 3);
        await t.App.CheckoutAsync(t.LicenseId, "alice", idempotencyKey: "k-2");

        var refused = await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.BadRequest, idempotencyKey: "k-2");

        refused.Str("code").ShouldBe("idempotency_key_reused");
        refused.Str("field").ShouldBe("Idempotency-Key");
        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seatsInUse").ShouldBe(1);
    }

    [Fact]
    public async Task RetryAfterTheSessionEnded_IsToldItEnded_NotGivenANewSeat()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var first = await t.App.CheckoutAsync(t.LicenseId, "alice", idempotencyKey: "k-3");
        await t.App.DeleteAsync($"/v1/sessions/{first.Str("id")}", HttpStatusCode.NoContent);

        var retry = await t.App.CheckoutAsync(t.LicenseId, "alice", HttpStatusCode.Gone, idempotencyKey: "k-3");

        retry.Str("reason").ShouldBe("released");
        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seatsInUse").ShouldBe(0);
    }
}
