using System.Net;
using Leasehold.Server.Background;
using Leasehold.Server.Storage.Postgres;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.MultiNode;

/// <summary>An end decided on one node reaches a push channel held by another (LISTEN/NOTIFY).</summary>
public sealed class CrossNodePushTests
{
    [Fact]
    public async Task AnAdminStopOnOneNode_ReachesTheClientWhoseChannelIsOnAnother()
    {
        await using var nodes = await Nodes.StartListeningAsync(2);
        var tenantId = await nodes[0].CreateTenantAsync();
        var licenseId = await nodes[0].CreateLicenseAsync(tenantId, seats: 1);
        var apps = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "client"));
        using var admin = nodes[0].Client(await nodes[0].CreateKeyAsync(tenantId, "admin"));
        var id = (await apps[0].CheckoutAsync(licenseId, "alice")).Str("id");
        await using var stream = await SseReader.OpenAsync(apps[1], $"/v1/sessions/{id}/events");
        (await stream.NextAsync()).Name.ShouldBe("session");

        await admin.PostAsync($"/v1/sessions/{id}/stop", null, HttpStatusCode.OK);

        var ended = await stream.NextAsync();
        ended.Name.ShouldBe("ended");
        ended.Data.Str("sessionId").ShouldBe(id);
        ended.Data.Str("reason").ShouldBe("stopped");
        foreach (var app in apps)
            app.Dispose();
    }

    [Fact]
    public async Task ATakeoverOnOneNode_ReachesTheOccupantWhoseChannelIsOnAnother()
    {
        await using var nodes = await Nodes.StartListeningAsync(3);
        var tenantId = await nodes[0].CreateTenantAsync(timeZone: "UTC");
        var licenseId = await nodes[0].CreateLicenseAsync(tenantId, seats: 2, policy: Leasehold.Scenarios.Tests.Scenario.Policy("hosted-service"));
        var connection = (await nodes[0].Operator.PostAsync("/v1/connections",
            new { tenantId, name = "shared-1", email = "team@example.org", accessPlan = "always" }, HttpStatusCode.Created)).Str("id");
        var apps = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "client"));
        var anna = (await apps[0].PostAsync("/v1/sessions",
            new { licenseId, user = "anna", device = "pc-1", client = "desktop", connection, email = "team@example.org" }, HttpStatusCode.Created)).Str("id");
        await using var stream = await SseReader.OpenAsync(apps[2], $"/v1/sessions/{anna}/events");
        (await stream.NextAsync()).Name.ShouldBe("session");

        var ben = await apps[1].PostAsync("/v1/sessions",
            new { licenseId, user = "ben", device = "pc-2", client = "desktop", connection, email = "team@example.org" }, HttpStatusCode.Created);

        ben.GetProperty("tookOver").Str("sessionId").ShouldBe(anna);
        var ended = await stream.NextAsync();
        ended.Name.ShouldBe("ended");
        ended.Data.Str("sessionId").ShouldBe(anna);
        ended.Data.Str("reason").ShouldBe("taken_over");
        foreach (var app in apps)
            app.Dispose();
    }

    [Fact]
    public async Task AReaperPassOnOneNode_ReachesAChannelOnAnother()
    {
        await using var nodes = await Nodes.StartListeningAsync(2);
        var tenantId = await nodes[0].CreateTenantAsync();
        var licenseId = await nodes[0].CreateLicenseAsync(tenantId, seats: 1);
        var apps = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "client"));
        var id = (await apps[0].CheckoutAsync(licenseId, "alice")).Str("id");
        await using var stream = await SseReader.OpenAsync(apps[1], $"/v1/sessions/{id}/events");
        (await stream.NextAsync()).Name.ShouldBe("session");

        nodes.Clock.Advance(TimeSpan.FromMinutes(6));
        await nodes[0].Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);
        await nodes[1].Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

        var ended = await stream.NextAsync();
        ended.Name.ShouldBe("ended");
        ended.Data.Str("reason").ShouldBe("expired");
        foreach (var app in apps)
            app.Dispose();
    }
}
