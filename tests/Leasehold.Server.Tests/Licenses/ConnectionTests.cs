using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Licenses;

public sealed class ConnectionTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task BusinessHoursConnection_ShowsWhetherItIsOpen_InTheTenantsTimeZone()
    {
        var tenantId = await _host.CreateTenantAsync(timeZone: "Australia/Sydney");

        var created = await _host.Operator.PostAsync("/v1/connections",
            new { tenantId, name = "parallels-01", email = "housing@org.com.au", accessPlan = "business-hours" }, HttpStatusCode.Created);

        // 2026-03-02 09:00 UTC is Monday 20:00 in Sydney (UTC+11): closed until Tuesday 07:00 local.
        created.GetProperty("openNow").GetBoolean().ShouldBeFalse();
        created.GetProperty("opensAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 3, 3, 7, 0, 0, TimeSpan.FromHours(11)));
        created.GetProperty("accessPlan").Str("kind").ShouldBe("weekly");
        using var admin = _host.Client(await _host.CreateKeyAsync(tenantId, "admin"));
        (await admin.GetJsonAsync("/v1/connections")).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task CustomPlan_AndBadPlans_AreValidatedByField()
    {
        var tenantId = await _host.CreateTenantAsync();
        var custom = new { kind = "always", maintenance = new[] { new { from = "2026-03-07T22:00", to = "2026-03-08T02:00" } } };
        await _host.Operator.PostAsync("/v1/connections", new { tenantId, name = "rdp-always", accessPlan = custom }, HttpStatusCode.Created);

        (await _host.Operator.PostAsync("/v1/connections", new { tenantId, name = "x", accessPlan = "weekends" }, HttpStatusCode.BadRequest))
            .Str("field").ShouldBe("accessPlan");
        (await _host.Operator.PostAsync("/v1/connections",
            new { tenantId, name = "y", accessPlan = new { kind = "weekly", windows = new[] { new { days = new[] { "mon" }, from = "25:00", to = "19:00" } } } },
            HttpStatusCode.BadRequest)).Str("field").ShouldBe("accessPlan.windows[0].from");
        (await _host.Operator.PostAsync("/v1/connections", new { tenantId, name = "rdp-always", accessPlan = "always" }, HttpStatusCode.Conflict))
            .Str("code").ShouldBe("connection_exists");
        (await _host.Operator.GetJsonAsync($"/v1/connections?tenantId={tenantId}")).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task CheckoutThroughAnUnknownOrForeignConnection_IsNotFound()
    {
        using var a = await _host.CreateTenancyAsync(seats: 2);
        using var b = await _host.CreateTenancyAsync(seats: 2);
        var foreign = (await _host.Operator.PostAsync("/v1/connections", new { tenantId = b.TenantId, name = "b-1", accessPlan = "always" }, HttpStatusCode.Created)).Str("id");

        var missing = await a.App.PostAsync("/v1/sessions",
            new { licenseId = a.LicenseId, user = "alice", device = "pc", client = "desktop", connection = foreign }, HttpStatusCode.NotFound);

        missing.Str("field").ShouldBe("connection");
        (await a.Admin.GetJsonAsync($"/v1/licenses/{a.LicenseId}")).Int("seatsInUse").ShouldBe(0);
        await a.Admin.GetJsonAsync($"/v1/connections/{foreign}", HttpStatusCode.NotFound);
    }
}
