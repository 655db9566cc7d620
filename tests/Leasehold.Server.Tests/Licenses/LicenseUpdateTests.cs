using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Licenses;

public sealed class LicenseUpdateTests : HostedTests
{
    [Fact]
    public async Task NewPolicy_GetsANewVersion_AndOpenSessionsKeepTheRulesTheyStartedWith()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        var updated = await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}",
            new { policy = new { clientTypes = new { desktop = new { ttlSeconds = 60 } } } }, HttpStatusCode.OK);
        updated.Int("policyVersion").ShouldBe(2);

        var bob = await t.App.CheckoutAsync(t.LicenseId, "bob");
        bob.Int("policyVersion").ShouldBe(2);
        bob.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddSeconds(60));
        Host.Clock.Advance(TimeSpan.FromMinutes(2));
        var beat = await t.App.PostAsync($"/v1/sessions/{alice}/heartbeat", new { active = true }, HttpStatusCode.OK);
        beat.Int("policyVersion").ShouldBe(1);
        beat.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddMinutes(7));
    }

    [Fact]
    public async Task Seats_CanBeRaisedWithinThePlan_AndPastItsCapAreRefusedWithTheChangePlanMessage()
    {
        var policy = new { plan = new { name = "Small Business Basic", baseSeats = 3, maxSeats = 35, changePlanMessage = "Please change plan." } };
        using var t = await Host.CreateTenancyAsync(seats: 3, policy);

        var raised = await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { seats = 35 }, HttpStatusCode.OK);
        raised.Int("seats").ShouldBe(35);
        raised.GetProperty("plan").Int("addOnSeats").ShouldBe(32);

        var refused = await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { seats = 36 }, HttpStatusCode.Conflict);
        refused.Str("code").ShouldBe("plan_limit_reached");
        refused.Str("detail").ShouldBe("Please change plan.");
        refused.Str("field").ShouldBe("seats");
        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seats").ShouldBe(35);
    }

    [Fact]
    public async Task Update_ByATenantAdmin_IsForbidden_AndChangesNothing()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2);

        await t.Admin.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { seats = 50 }, HttpStatusCode.Forbidden);

        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seats").ShouldBe(2);
    }

    [Fact]
    public async Task EndDate_WarnsBeforeIt_EndsOpenSessionsAtIt_AndRefusesAfterIt()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2, LongLivedDesktop);
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { endsAt = TestHost.Epoch.AddDays(10) }, HttpStatusCode.OK);

        var alice = await t.App.CheckoutAsync(t.LicenseId, "alice");
        var warning = alice.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem();
        warning.Str("code").ShouldBe("license_expiring");
        warning.Str("message").ShouldContain("2026-03-12");

        Host.Clock.Advance(TimeSpan.FromDays(6));
        await t.App.PostAsync($"/v1/sessions/{alice.Str("id")}/heartbeat", new { active = true }, HttpStatusCode.OK);
        Host.Clock.Advance(TimeSpan.FromDays(5));

        var gone = await t.App.PostAsync($"/v1/sessions/{alice.Str("id")}/heartbeat", new { active = true }, HttpStatusCode.Gone);
        gone.Str("reason").ShouldBe("license_expired");
        gone.GetProperty("endedAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddDays(10));
        var refused = await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict);
        refused.Str("code").ShouldBe("license_expired");
    }

    [Fact]
    public async Task Renewal_MovesTheEndOfSessionsThatAreOpen()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2, LongLivedDesktop);
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { endsAt = TestHost.Epoch.AddDays(10) }, HttpStatusCode.OK);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { endsAt = TestHost.Epoch.AddDays(100) }, HttpStatusCode.OK);
        Host.Clock.Advance(TimeSpan.FromDays(6));
        await t.App.PostAsync($"/v1/sessions/{alice}/heartbeat", new { active = true }, HttpStatusCode.OK);
        Host.Clock.Advance(TimeSpan.FromDays(5));

        var beat = await t.App.PostAsync($"/v1/sessions/{alice}/heartbeat", new { active = true }, HttpStatusCode.OK);
        beat.GetProperty("warnings").GetArrayLength().ShouldBe(0);
    }

    private static readonly object LongLivedDesktop = new { clientTypes = new { desktop = new { ttlSeconds = 604800, idleTimeoutSeconds = 0 } } };
}
