using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.MultiNode;

/// <summary>On a cluster of its own, which it stops and starts again: the shared one serves the other tests.</summary>
public sealed class DatabaseLossTests
{
    [Fact]
    public async Task WhileTheDatabaseIsDown_EveryCallIs503WithARetryHint_ThenTheNodeRecoversByItself()
    {
        await using var cluster = await PgCluster.StartAsync();
        await using var host = await TestHost.StartAsync(storeSettings: new Dictionary<string, string>
        {
            ["LEASEHOLD_POSTGRES"] = cluster.ConnectionString(maxPoolSize: 10),
        });
        using var t = await host.CreateTenancyAsync(seats: 1);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        await cluster.StopAsync();
        using var anonymous = host.Client();
        (await anonymous.SendRawAsync(HttpMethod.Get, "/readyz")).ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        (await anonymous.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK, "alive, only not ready: no reason to restart the node");

        var checkout = await t.App.SendRawAsync(HttpMethod.Post, "/v1/sessions",
            new { licenseId = t.LicenseId, user = "bob", device = "pc-2", client = "desktop" });
        checkout.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        checkout.Headers.RetryAfter.ShouldNotBeNull(checkout.ToString());
        checkout.Headers.RetryAfter.Delta.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);
        (await t.App.SendRawAsync(HttpMethod.Post, $"/v1/sessions/{alice}/heartbeat", new { active = true }))
            .ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        (await t.Admin.SendRawAsync(HttpMethod.Get, $"/v1/sessions?licenseId={t.LicenseId}"))
            .ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        using (var newcomer = host.Client("lh_a-key-this-node-never-saw-0123456789"))
            (await newcomer.SendRawAsync(HttpMethod.Get, "/v1/tenants")).ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "store_unavailable");

        await cluster.StartAgainAsync();

        // No restart of the node: its pool drops the dead connections and opens new ones. A few
        // calls may still meet a dead pooled connection (503); the first success ends the wait.
        Reply heartbeat = null!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            heartbeat = await t.App.SendRawAsync(HttpMethod.Post, $"/v1/sessions/{alice}/heartbeat", new { active = true });
            if (heartbeat.StatusCode != 503)
                break;
            await Task.Delay(50);
        }
        heartbeat.StatusCode.ShouldBe(200, heartbeat.ToString());
        (await anonymous.GetAsync("/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict);
        (await t.Admin.GetJsonAsync($"/v1/sessions?licenseId={t.LicenseId}")).GetProperty("items").GetArrayLength().ShouldBe(1);
    }
}
