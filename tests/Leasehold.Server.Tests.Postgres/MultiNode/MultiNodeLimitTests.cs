using System.Net;
using System.Net.Http.Json;
using Leasehold.Server.Storage;
using Leasehold.Server.Storage.Postgres;
using Leasehold.Server.Tests.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.MultiNode;

public sealed class MultiNodeLimitTests
{
    [Fact]
    public async Task EveryTestHostOfThisProject_RunsOnPostgreSql()
    {
        await using var host = await TestHost.StartAsync();

        host.Service<ISessionDecisions>().ShouldBeOfType<PostgresStore>();
    }

    [Fact]
    public async Task ThreeHundredParallelCheckouts_SpreadOverThreeNodes_AgainstALimitOf25_AdmitExactly25()
    {
        await using var nodes = await Nodes.StartAsync(3);
        var tenantId = await nodes[0].CreateTenantAsync();
        var licenseId = await nodes[0].CreateLicenseAsync(tenantId, seats: 25);
        var apps = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "client"));
        var admins = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "admin"));
        using var start = new SemaphoreSlim(0);

        var attempts = Enumerable.Range(0, 300).Select(async i =>
        {
            await start.WaitAsync();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions")
            {
                Content = JsonContent.Create(new { licenseId, user = $"user-{i}", device = $"pc-{i}", client = "desktop" }),
            };
            using var response = await apps[i % nodes.Count].SendAsync(request);
            return (Node: i % nodes.Count, response.StatusCode);
        }).ToList();
        start.Release(300);
        var answers = await Task.WhenAll(attempts);

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(25);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).ShouldBe(275);
        foreach (var admin in admins)
        {
            (await admin.GetJsonAsync($"/v1/sessions?licenseId={licenseId}")).GetProperty("items").GetArrayLength().ShouldBe(25);
            (await admin.GetJsonAsync($"/v1/licenses/{licenseId}")).Int("seatsInUse").ShouldBe(25);
        }
        var events = await nodes[0].UsageEventsAsync(licenseId);
        events.Count(e => e.Kind == Leasehold.Core.Usage.UsageKind.Admitted).ShouldBe(25);
        events.Count(e => e.Kind == Leasehold.Core.Usage.UsageKind.Denied).ShouldBe(275);
        foreach (var client in apps.Concat(admins))
            client.Dispose();
    }

    [Fact]
    public async Task AStopOnOneNode_IsSeenAtOnceByTheOthers()
    {
        await using var nodes = await Nodes.StartAsync(3);
        var tenantId = await nodes[0].CreateTenantAsync();
        var licenseId = await nodes[0].CreateLicenseAsync(tenantId, seats: 1);
        var apps = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "client"));
        var admins = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "admin"));
        var id = (await apps[0].CheckoutAsync(licenseId, "alice")).Str("id");
        await apps[1].PostAsync($"/v1/sessions/{id}/heartbeat", new { active = true }, HttpStatusCode.OK);

        await admins[1].PostAsync($"/v1/sessions/{id}/stop", null, HttpStatusCode.OK);

        var gone = await apps[2].PostAsync($"/v1/sessions/{id}/heartbeat", new { active = true }, HttpStatusCode.Gone);
        gone.Str("reason").ShouldBe("stopped");
        await apps[0].CheckoutAsync(licenseId, "bob");
        await apps[2].CheckoutAsync(licenseId, "carol", HttpStatusCode.Conflict);
        foreach (var client in apps.Concat(admins))
            client.Dispose();
    }
}
