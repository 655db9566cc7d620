using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Licenses;

public sealed class ConnectionTests : HostedTests
{
    [Fact]
    public async Task BusinessHoursConnection_ShowsWhetherItIsOpen_InTheTenantsTimeZone()
    {
        var tenantId = await Host.CreateTenantAsync(timeZone: "Australia/Sydney");

        var created = await Host.Operator.PostAsync("/v1/connections",
            new { tenantId, name = "parallels-01", email = "housing@org.com.au", accessPlan = "business-hours" }, HttpStatusCode.Created);

        // 2026-03-02 09:00 UTC is Monday 20:00 in Sydney (UTC+11): closed until Tuesday 07:00 local.
        created.GetProperty("openNow").GetBoolean().ShouldBeFalse();
        created.GetProperty("opensAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 3, 3, 7, 0, 0, TimeSpan.FromHours(11)));
        created.GetProperty("accessPlan").Str("kind").ShouldBe("weekly");
        using var admin = Host.Client(await Host.CreateKeyAsync(tenantId, "admin"));
        (await admin.GetJsonAsync("/v1/connections")).GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task CustomPlan_AndBadPlans_AreValidatedByField()
    {
        var tenantId = await Host.CreateTenantAsync();
        var custom = new { kind = "always", maintenance = new[] { new { from = "2026-03-07T22:00", to = "2026-03-08T02:00" } } };
        await Host.Operator.PostAsync("/v1/connections", new { tenantId, name = "rdp-always", accessPlan = custom }, HttpStatusCode.Created);

        (await Host.Operator.PostAsync("/v1/connections", new { tenantId, name = "x", accessPlan = "weekends" }, HttpStatusCode.BadRequest))
            .Str("field").ShouldBe("accessPlan");
        (await Host.Operator.PostAsync("/v1/connections",
            new { tenantId, name = "y", accessPlan = new { kind = "weekly", windows = new[] { new { days = new[] { "mon" }, from = "25:00", to = "19:00" } } } },
            HttpStatusCode.BadRequest)).Str("field").ShouldBe("accessPlan.windows[0].from");
        (await Host.Operator.PostAsync("/v1/connections", new { tenantId, name = "rdp-always", accessPlan = "always" }, HttpStatusCode.Conflict))
            .Str("code").ShouldBe("connection_exists");
        (await Host.Operator.GetJsonAsync($"/v1/connections?tenantId={tenantId}")).GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task CheckoutThroughAnUnknownOrForeignConnection_IsNotFound()
    {
        using var a = await Host.CreateTenancyAsync(seats: 2);
        using var b = await Host.CreateTenancyAsync(seats: 2);
        var foreign = (await Host.Operator.PostAsync("/v1/connections", new { tenantId = b.TenantId, name = "b-1", accessPlan = "always" }, HttpStatusCode.Created)).Str("id");

        var missing = await a.App.PostAsync("/v1/sessions",
            new { licenseId = a.LicenseId, user = "alice", device = "pc", client = "desktop", connection = foreign }, HttpStatusCode.NotFound);

        missing.Str("field").ShouldBe("connection");
        (await a.Admin.GetJsonAsync($"/v1/licenses/{a.LicenseId}")).Int("seatsInUse").ShouldBe(0);
        await a.Admin.GetJsonAsync($"/v1/connections/{foreign}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BusinessHours_FollowLocalTime_AcrossTheDaylightSavingChange()
    {
        var policy = new { connections = new { required = true }, clientTypes = new { desktop = new { ttlSeconds = 300 } } };
        using var t = await Host.CreateTenancyAsync(seats: 5, policy);
        var connection = (await Host.Operator.PostAsync("/v1/connections",
            new { tenantId = t.TenantId, name = "rdp-1", accessPlan = "business-hours" }, HttpStatusCode.Created)).Str("id");

        // Europe/Berlin: Monday 2026-03-23 is still CET (UTC+1), so 07:00 local is 06:00 UTC.
        MoveTo(new DateTimeOffset(2026, 3, 23, 5, 59, 0, TimeSpan.Zero));
        var early = await SignInAsync(t, connection, "early", HttpStatusCode.Conflict);
        early.Str("code").ShouldBe("outside_access_window");
        early.GetProperty("opensAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 3, 23, 7, 0, 0, TimeSpan.FromHours(1)));
        early.Str("detail").ShouldContain("Monday 07:00 (Europe/Berlin)");
        MoveTo(new DateTimeOffset(2026, 3, 23, 6, 0, 0, TimeSpan.Zero));
        await SignInAsync(t, connection, "on-time", HttpStatusCode.Created);

        // The clocks go forward on Sunday 2026-03-29: on Monday 2026-03-30, 07:00 local (CEST, UTC+2) is 05:00 UTC.
        MoveTo(new DateTimeOffset(2026, 3, 30, 4, 59, 0, TimeSpan.Zero));
        var stillEarly = await SignInAsync(t, connection, "early", HttpStatusCode.Conflict);
        stillEarly.GetProperty("opensAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 3, 30, 7, 0, 0, TimeSpan.FromHours(2)));
        MoveTo(new DateTimeOffset(2026, 3, 30, 5, 0, 0, TimeSpan.Zero));
        var admitted = await SignInAsync(t, connection, "on-time", HttpStatusCode.Created);

        // ... and the window closes at 19:00 CEST = 17:00 UTC: the session ends then, as window_closed.
        admitted.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 3, 30, 5, 5, 0, TimeSpan.Zero));
        for (var at = new DateTimeOffset(2026, 3, 30, 5, 4, 0, TimeSpan.Zero); at < new DateTimeOffset(2026, 3, 30, 17, 0, 0, TimeSpan.Zero); at = at.AddMinutes(4))
        {
            MoveTo(at);
            await t.App.PostAsync($"/v1/sessions/{admitted.Str("id")}/heartbeat", new { active = true }, HttpStatusCode.OK);
        }
        MoveTo(new DateTimeOffset(2026, 3, 30, 17, 1, 0, TimeSpan.Zero));
        var gone = await t.App.PostAsync($"/v1/sessions/{admitted.Str("id")}/heartbeat", new { active = true }, HttpStatusCode.Gone);
        gone.Str("reason").ShouldBe("window_closed");
        gone.GetProperty("endedAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 3, 30, 17, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task AClientTypesOwnMessage_IsUsedForOtherRefusalsToo()
    {
        var policy = new
        {
            connections = new { required = true },
            clientTypes = new { desktop = new { messages = new Dictionary<string, string> { ["outside_access_window"] = "Your remote login is closed now." } } },
        };
        using var t = await Host.CreateTenancyAsync(seats: 1, policy);
        var connection = (await Host.Operator.PostAsync("/v1/connections",
            new { tenantId = t.TenantId, name = "rdp-1", accessPlan = new { kind = "weekly", windows = new[] { new { days = new[] { "sun" }, from = "07:00", to = "08:00" } } } },
            HttpStatusCode.Created)).Str("id");

        var refused = await SignInAsync(t, connection, "alice", HttpStatusCode.Conflict);

        refused.Str("code").ShouldBe("outside_access_window");
        refused.Str("detail").ShouldBe("Your remote login is closed now.");
        (await t.App.PostAsync("/v1/sessions", new { licenseId = t.LicenseId, user = "bob", device = "pc", client = "desktop" }, HttpStatusCode.BadRequest))
            .Str("code").ShouldBe("connection_required");
    }

    private void MoveTo(DateTimeOffset at)
    {
        var delta = at - Host.Clock.GetUtcNow();
        delta.ShouldBeGreaterThanOrEqualTo(TimeSpan.Zero);
        Host.Clock.Advance(delta);
    }

    private static Task<System.Text.Json.JsonElement> SignInAsync(Tenancy t, string connection, string user, HttpStatusCode expected) =>
        t.App.PostAsync("/v1/sessions", new { licenseId = t.LicenseId, user, device = "pc-" + user, client = "desktop", connection }, expected);

    [Fact]
    public async Task AnAdmin_DeclaresAPlannedUpdateWindow_OnAnAlwaysOnConnection_AndItClosesTheConnectionThen()
    {
        var policy = new { connections = new { required = true }, clientTypes = new { desktop = new { ttlSeconds = 300 } } };
        using var t = await Host.CreateTenancyAsync(seats: 5, policy);
        var id = (await Host.Operator.PostAsync("/v1/connections", new { tenantId = t.TenantId, name = "rdp-01", accessPlan = "always" }, HttpStatusCode.Created)).Str("id");

        // Saturday 2026-03-07 22:00 to Sunday 02:00 Berlin time: the hosting company's planned update.
        var window = new { kind = "always", maintenance = new[] { new { from = "2026-03-07T22:00", to = "2026-03-08T02:00" } } };
        var changed = await t.Admin.SendAsync(HttpMethod.Patch, $"/v1/connections/{id}", new { accessPlan = window }, HttpStatusCode.OK);

        changed.Str("name").ShouldBe("rdp-01", "fields left out stay");
        changed.GetProperty("closesAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 3, 7, 22, 0, 0, TimeSpan.FromHours(1)));
        Host.Clock.Advance(new DateTimeOffset(2026, 3, 7, 21, 30, 0, TimeSpan.Zero) - Host.Clock.GetUtcNow()); // 22:30 in Berlin
        (await t.App.PostAsync("/v1/sessions", new { licenseId = t.LicenseId, user = "alice", device = "pc", client = "desktop", connection = id },
            HttpStatusCode.Conflict)).Str("code").ShouldBe("outside_access_window");
    }

    [Fact]
    public async Task Renaming_ReplacingAndRemoving_AConnection_AreCheckedByField_AndScopedToTheTenant()
    {
        using var t = await Host.CreateTenancyAsync(seats: 5);
        using var other = await Host.CreateTenancyAsync(seats: 1);
        var id = (await Host.Operator.PostAsync("/v1/connections",
            new { tenantId = t.TenantId, name = "rdp-01", email = "team@acme.example", accessPlan = "always" }, HttpStatusCode.Created)).Str("id");
        await Host.Operator.PostAsync("/v1/connections", new { tenantId = t.TenantId, name = "rdp-02", accessPlan = "always" }, HttpStatusCode.Created);

        (await t.Admin.SendAsync(HttpMethod.Patch, $"/v1/connections/{id}", new { name = "RDP-02" }, HttpStatusCode.Conflict)).Str("code").ShouldBe("connection_exists");
        (await t.Admin.SendAsync(HttpMethod.Patch, $"/v1/connections/{id}", new { accessPlan = "weekends" }, HttpStatusCode.BadRequest)).Str("field").ShouldBe("accessPlan");
        (await t.Admin.SendAsync(HttpMethod.Patch, $"/v1/connections/{id}", new { email = "not-an-address" }, HttpStatusCode.BadRequest)).Str("field").ShouldBe("email");
        await other.Admin.SendAsync(HttpMethod.Patch, $"/v1/connections/{id}", new { name = "mine" }, HttpStatusCode.NotFound);
        await other.Admin.DeleteAsync($"/v1/connections/{id}", HttpStatusCode.NotFound);
        await t.App.SendAsync(HttpMethod.Patch, $"/v1/connections/{id}", new { name = "x" }, HttpStatusCode.Forbidden);

        var replaced = await t.Admin.SendAsync(HttpMethod.Put, $"/v1/connections/{id}", new { name = "rdp-01b", accessPlan = "business-hours" }, HttpStatusCode.OK);
        (replaced.Str("name"), replaced.GetProperty("email").ValueKind, replaced.GetProperty("accessPlan").Str("kind"))
            .ShouldBe(("rdp-01b", System.Text.Json.JsonValueKind.Null, "weekly"), "PUT replaces the whole: the shared e-mail is gone");
        (await t.Admin.SendAsync(HttpMethod.Put, $"/v1/connections/{id}", new { name = "rdp-01c" }, HttpStatusCode.BadRequest)).Str("field").ShouldBe("accessPlan");

        await t.Admin.DeleteAsync($"/v1/connections/{id}", HttpStatusCode.NoContent);
        await t.Admin.GetJsonAsync($"/v1/connections/{id}", HttpStatusCode.NotFound);
        (await t.Admin.GetJsonAsync("/v1/connections")).GetProperty("items").EnumerateArray().Select(c => c.Str("name")).ShouldBe(["rdp-02"]);
    }

    [Fact]
    public async Task AConnectionAnOpenSessionUses_CannotBeRemoved_UntilTheSessionEnds()
    {
        using var t = await Host.CreateTenancyAsync(seats: 5);
        var id = (await Host.Operator.PostAsync("/v1/connections", new { tenantId = t.TenantId, name = "rdp-01", accessPlan = "always" }, HttpStatusCode.Created)).Str("id");
        var session = await t.App.PostAsync("/v1/sessions",
            new { licenseId = t.LicenseId, user = "alice", device = "pc", client = "desktop", connection = id }, HttpStatusCode.Created);

        var refused = await t.Admin.DeleteAsync($"/v1/connections/{id}", HttpStatusCode.Conflict);

        (refused.Str("code"), refused.Int("openSessions")).ShouldBe(("connection_in_use", 1));
        await t.App.DeleteAsync($"/v1/sessions/{session.Str("id")}", HttpStatusCode.NoContent);
        await t.Admin.DeleteAsync($"/v1/connections/{id}", HttpStatusCode.NoContent);
    }
}
