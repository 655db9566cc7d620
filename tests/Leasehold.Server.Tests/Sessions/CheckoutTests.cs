using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Sessions;

public sealed class CheckoutTests : HostedTests
{
    [Fact]
    public async Task Checkout_WithFreeSeat_IsAdmittedAndHoldsOneSeat()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2);

        var session = await t.App.CheckoutAsync(t.LicenseId, "alice");

        session.Str("status").ShouldBe("active");
        session.Str("user").ShouldBe("alice");
        session.Int("seats").ShouldBe(1);
        session.Int("seatsInUse").ShouldBe(1);
        session.Int("seatLimit").ShouldBe(2);
        session.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddMinutes(5));
        session.Int("heartbeatIntervalSeconds").ShouldBe(100);
        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seatsInUse").ShouldBe(1);
    }

    [Fact]
    public async Task Checkout_WhenLimitReached_IsRefusedWithClientMessage()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        await t.App.CheckoutAsync(t.LicenseId, "alice");

        var refused = await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict, kind: "web");

        refused.Str("code").ShouldBe("no_seat_available");
        refused.Str("detail").ShouldBe("No license is free right now. Please try again in a few minutes.");
        refused.Int("seatsInUse").ShouldBe(1);
        refused.Str("traceId").ShouldNotBeNullOrEmpty();
        (await t.Admin.GetJsonAsync($"/v1/sessions?licenseId={t.LicenseId}")).GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task SignOff_FreesTheSeatAtOnce_AndRepeatingItIsHarmless()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var alice = await t.App.CheckoutAsync(t.LicenseId, "alice");

        await t.App.DeleteAsync($"/v1/sessions/{alice.Str("id")}", HttpStatusCode.NoContent);
        await t.App.DeleteAsync($"/v1/sessions/{alice.Str("id")}", HttpStatusCode.NoContent);

        await t.App.CheckoutAsync(t.LicenseId, "bob");
        var gone = await t.App.PostAsync($"/v1/sessions/{alice.Str("id")}/heartbeat", new { active = true }, HttpStatusCode.Gone);
        gone.Str("reason").ShouldBe("released");
    }

    [Fact]
    public async Task Heartbeat_ExtendsTheLease_PastSeveralTtls()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        for (var i = 0; i < 5; i++)
        {
            Host.Clock.Advance(TimeSpan.FromMinutes(4));
            var beat = await t.App.PostAsync($"/v1/sessions/{id}/heartbeat", new { active = true }, HttpStatusCode.OK);
            beat.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(Host.Clock.GetUtcNow().AddMinutes(5));
        }

        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task SessionWithoutHeartbeat_EndsAsExpired_AndItsSeatIsFree()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        Host.Clock.Advance(TimeSpan.FromMinutes(5));

        await t.App.CheckoutAsync(t.LicenseId, "bob");
        var gone = await t.App.PostAsync($"/v1/sessions/{id}/heartbeat", new { active = true }, HttpStatusCode.Gone);
        gone.Str("code").ShouldBe("session_ended");
        gone.Str("reason").ShouldBe("expired");
        gone.GetProperty("endedAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddMinutes(5));
    }

    [Fact]
    public async Task HeartbeatsWithoutActivity_EndTheSessionAsIdle_AfterTheIdleTimeout()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        for (var minute = 4; minute < 60; minute += 4)
        {
            Host.Clock.Advance(TimeSpan.FromMinutes(4));
            await t.App.PostAsync($"/v1/sessions/{id}/heartbeat", new { active = false }, HttpStatusCode.OK);
        }
        Host.Clock.Advance(TimeSpan.FromMinutes(4));

        var gone = await t.App.PostAsync($"/v1/sessions/{id}/heartbeat", new { active = false }, HttpStatusCode.Gone);
        gone.Str("reason").ShouldBe("idle");
        gone.GetProperty("endedAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddHours(1));
    }

    [Fact]
    public async Task AdminStop_FreesTheSeat_AndTheClientsNextHeartbeatIsToldStopped()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        var stopped = await t.Admin.PostAsync($"/v1/sessions/{id}/stop", null, HttpStatusCode.OK);

        stopped.Str("endReason").ShouldBe("stopped");
        (await t.App.PostAsync($"/v1/sessions/{id}/heartbeat", new { active = true }, HttpStatusCode.Gone)).Str("reason").ShouldBe("stopped");
        (await t.App.DeleteAsync($"/v1/sessions/{id}", HttpStatusCode.Gone)).Str("reason").ShouldBe("stopped");
        await t.App.CheckoutAsync(t.LicenseId, "bob");
    }

    [Fact]
    public async Task ActiveSessionsList_ShowsWhoHoldsSeats_SinceWhenAndLastActivity()
    {
        using var t = await Host.CreateTenancyAsync(seats: 3);
        await t.App.CheckoutAsync(t.LicenseId, "alice", device: "laptop");
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var bob = await t.App.CheckoutAsync(t.LicenseId, "bob", kind: "web");
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        await t.App.PostAsync($"/v1/sessions/{bob.Str("id")}/heartbeat", new { active = true }, HttpStatusCode.OK);

        var list = (await t.Admin.GetJsonAsync($"/v1/sessions?licenseId={t.LicenseId}")).GetProperty("items");

        list.GetArrayLength().ShouldBe(2);
        list[0].Str("user").ShouldBe("alice");
        list[0].Str("device").ShouldBe("laptop");
        list[0].GetProperty("startedAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch);
        list[1].Str("client").ShouldBe("web");
        list[1].GetProperty("lastActivityAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddMinutes(2));
    }

    [Fact]
    public async Task Check_PassesWhileASeatIsFree_AndHoldsNothing()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);

        var pass = await t.App.PostAsync("/v1/checks", new { licenseId = t.LicenseId, user = "mia", client = "desktop" }, HttpStatusCode.OK);
        pass.GetProperty("pass").GetBoolean().ShouldBeTrue();
        pass.Str("code").ShouldBe("pass");
        await t.App.CheckoutAsync(t.LicenseId, "alice");

        var fail = await t.App.PostAsync("/v1/checks", new { licenseId = t.LicenseId, user = "mia", client = "desktop" }, HttpStatusCode.OK);
        fail.GetProperty("pass").GetBoolean().ShouldBeFalse();
        fail.Str("code").ShouldBe("no_seat_available");
        fail.Str("message").ShouldStartWith("All licenses are in use");
    }
}
