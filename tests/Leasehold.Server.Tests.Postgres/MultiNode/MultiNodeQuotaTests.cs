using System.Net;
using System.Net.Http.Json;
using Leasehold.Server.Tests.Security;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.MultiNode;

/// <summary>Quotas hold when several nodes write at once: the key count and the refusal counter are decided in the store's transaction.</summary>
public sealed class MultiNodeQuotaTests
{
    [Fact]
    public async Task ParallelKeyCreations_OverThreeNodes_NeverPassTheTenantsQuota()
    {
        await using var nodes = await Nodes.StartAsync(3, new Dictionary<string, string> { ["LEASEHOLD_MAX_KEYS_PER_TENANT"] = "10" });
        var tenantId = await nodes[0].CreateTenantAsync();
        var admins = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "admin")); // 1 of 10
        using var start = new SemaphoreSlim(0);

        var attempts = Enumerable.Range(0, 60).Select(async i =>
        {
            await start.WaitAsync();
            using var response = await admins[i % nodes.Count].PostAsJsonAsync("/v1/api-keys", new { role = i % 2 == 0 ? "client" : "admin" });
            return response.StatusCode;
        }).ToList();
        start.Release(60);
        var answers = await Task.WhenAll(attempts);

        answers.Count(s => s == HttpStatusCode.Created).ShouldBe(9);
        answers.Count(s => s == HttpStatusCode.Conflict).ShouldBe(51);
        var keys = QuotaTests.Items(await admins[1].GetJsonAsync("/v1/api-keys"), "keys");
        keys.EnumerateArray().Count(k => k.GetProperty("revokedAt").ValueKind == System.Text.Json.JsonValueKind.Null).ShouldBe(10);
        foreach (var admin in admins)
            admin.Dispose();
    }

    [Fact]
    public async Task ParallelRefusals_OfOneUserAndDevice_OverThreeNodes_AreOneEventWithEveryRefusalCounted()
    {
        await using var nodes = await Nodes.StartAsync(3);
        var tenantId = await nodes[0].CreateTenantAsync();
        var licenseId = await nodes[0].CreateLicenseAsync(tenantId, seats: 1);
        var apps = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "client"));
        using var admin = nodes[0].Client(await nodes[0].CreateKeyAsync(tenantId, "admin"));
        await apps[0].CheckoutAsync(licenseId, "alice");
        using var start = new SemaphoreSlim(0);

        var attempts = Enumerable.Range(0, 150).Select(async i =>
        {
            await start.WaitAsync();
            using var response = await apps[i % nodes.Count].PostAsJsonAsync("/v1/sessions",
                new { licenseId, user = "bob", device = "pc-2", client = "desktop" });
            return response.StatusCode;
        }).ToList();
        start.Release(150);
        var answers = await Task.WhenAll(attempts);

        answers.ShouldAllBe(s => s == HttpStatusCode.Conflict);
        var denied = await QuotaTests.EventsAsync(admin, $"licenseId={licenseId}&kind=denied");
        denied.ShouldHaveSingleItem().Int("count").ShouldBe(150);
        (await admin.GetJsonAsync($"/v1/usage/licenses/{licenseId}/denials")).Int("denials").ShouldBe(150);
        foreach (var app in apps)
            app.Dispose();
    }
}
