using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Sessions;

/// <summary>Stops that stick: a stop's cool-down refuses the stopped user's checkouts (stopped_recently, until) while others get the seat; an admin lifts it.</summary>
public sealed class CoolDownTests : HostedTests
{
    [Fact]
    public async Task StopWithCoolDown_RefusesTheUsersCheckout_WithTheCodeAndUntil_AndAdmitsAnotherUser()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        var stopped = await t.Admin.PostAsync($"/v1/sessions/{alice}/stop", new { coolDownMinutes = 30 }, HttpStatusCode.OK);

        var until = TestHost.Epoch.AddMinutes(30);
        stopped.Str("endReason").ShouldBe("stopped");
        stopped.GetProperty("coolDownUntil").GetDateTimeOffset().ShouldBe(until);
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var refused = await t.App.CheckoutAsync(t.LicenseId, "Alice", HttpStatusCode.Conflict, device: "another-pc");
        refused.Str("code").ShouldBe("stopped_recently");
        refused.GetProperty("until").GetDateTimeOffset().ShouldBe(until);
        refused.Str("detail").ShouldContain("An administrator stopped your session");
        await t.App.CheckoutAsync(t.LicenseId, "bob");

        var history = await t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={t.LicenseId}");
        history.ToString().ShouldContain("stopped_recently");
    }

    [Fact]
    public async Task Lift_LetsTheUserBackInAtOnce_AndListsNoMore()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await t.Admin.PostAsync($"/v1/sessions/{alice}/stop", new { coolDownMinutes = 60 }, HttpStatusCode.OK);

        var listed = (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}/cool-downs")).GetProperty("items");
        var entry = listed.EnumerateArray().ShouldHaveSingleItem();
        (entry.Str("user"), entry.Str("sessionId")).ShouldBe(("alice", alice));
        entry.GetProperty("until").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddMinutes(60));
        await t.App.CheckoutAsync(t.LicenseId, "alice", HttpStatusCode.Conflict);

        await t.Admin.DeleteAsync($"/v1/licenses/{t.LicenseId}/cool-downs/ALICE", HttpStatusCode.NoContent);

        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}/cool-downs")).GetProperty("items").GetArrayLength().ShouldBe(0);
        await t.App.CheckoutAsync(t.LicenseId, "alice");
        (await t.Admin.DeleteAsync($"/v1/licenses/{t.LicenseId}/cool-downs/alice", HttpStatusCode.NotFound)).Str("field").ShouldBe("user");
    }

    [Fact]
    public async Task ThePolicysDefault_AppliesWhenTheStopNamesNone_AndEnds()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2, new { stops = new { coolDownMinutes = 10 } });
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        var bob = (await t.App.CheckoutAsync(t.LicenseId, "bob")).Str("id");

        (await t.Admin.PostAsync($"/v1/sessions/{alice}/stop", null, HttpStatusCode.OK))
            .GetProperty("coolDownUntil").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddMinutes(10));
        var noCoolDown = await t.Admin.PostAsync($"/v1/sessions/{bob}/stop", new { coolDownMinutes = 0 }, HttpStatusCode.OK);
        noCoolDown.TryGetProperty("coolDownUntil", out _).ShouldBeFalse();

        await t.App.CheckoutAsync(t.LicenseId, "alice", HttpStatusCode.Conflict);
        await t.App.CheckoutAsync(t.LicenseId, "bob");
        Host.Clock.Advance(TimeSpan.FromMinutes(10));
        await t.App.CheckoutAsync(t.LicenseId, "alice");
        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).GetProperty("policy").GetProperty("stops").Int("coolDownMinutes").ShouldBe(10);
    }

    [Fact]
    public async Task ACoolDownOutOfRange_IsRefusedOnItsField_AndStopsNothing()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        (await t.Admin.PostAsync($"/v1/sessions/{alice}/stop", new { coolDownMinutes = 10081 }, HttpStatusCode.BadRequest))
            .Str("field").ShouldBe("coolDownMinutes");
        (await t.Admin.GetJsonAsync($"/v1/sessions/{alice}")).Str("status").ShouldBe("active");
        (await Host.Operator.PostAsync("/v1/licenses", new { tenantId = t.TenantId, product = "x", seats = 1, policy = new { stops = new { coolDownMinutes = -1 } } },
            HttpStatusCode.BadRequest)).Str("field").ShouldBe("policy.stops.coolDownMinutes");
    }

    [Fact]
    public async Task CoolDowns_AreTheTenantsOwn()
    {
        using var a = await Host.CreateTenancyAsync(seats: 1);
        using var b = await Host.CreateTenancyAsync(seats: 1);
        var alice = (await a.App.CheckoutAsync(a.LicenseId, "alice")).Str("id");
        await a.Admin.PostAsync($"/v1/sessions/{alice}/stop", new { coolDownMinutes = 5 }, HttpStatusCode.OK);

        await b.Admin.GetJsonAsync($"/v1/licenses/{a.LicenseId}/cool-downs", HttpStatusCode.NotFound);
        await b.Admin.DeleteAsync($"/v1/licenses/{a.LicenseId}/cool-downs/alice", HttpStatusCode.NotFound);
        await a.App.GetJsonAsync($"/v1/licenses/{a.LicenseId}/cool-downs", HttpStatusCode.Forbidden);
        (await a.Admin.GetJsonAsync($"/v1/licenses/{a.LicenseId}/cool-downs")).GetProperty("items").GetArrayLength().ShouldBe(1);
    }
}
