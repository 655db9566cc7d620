using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Storage;

public sealed class DurabilityTests
{
    [Fact]
    public async Task Sessions_SurviveAServerRestart()
    {
        var data = Path.Combine(Path.GetTempPath(), "leasehold-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            string licenseId, sessionId, appKey;
            await using (var first = await TestHost.StartAsync(data))
            {
                first.KeepData = true;
                var tenantId = await first.CreateTenantAsync();
                licenseId = await first.CreateLicenseAsync(tenantId, seats: 1);
                appKey = await first.CreateKeyAsync(tenantId, "client");
                using var app = first.Client(appKey);
                sessionId = (await app.CheckoutAsync(licenseId, "alice")).Str("id");
            }

            await using var second = await TestHost.StartAsync(data);
            using var again = second.Client(appKey);
            (await again.PostAsync($"/v1/sessions/{sessionId}/heartbeat", new { active = true }, HttpStatusCode.OK)).Str("status").ShouldBe("active");
            await again.CheckoutAsync(licenseId, "bob", HttpStatusCode.Conflict);
        }
        finally
        {
            TestHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task AnAcknowledgedCheckout_SurvivesKillDashNine()
    {
        var data = Path.Combine(Path.GetTempPath(), "leasehold-test-" + Guid.NewGuid().ToString("N"));
        const string operatorKey = "lh_kill-test-operator-key-0123456789";
        try
        {
            string licenseId, appKey;
            var sessionIds = new List<string>();
            await using (var server = await ServerProcess.StartAsync(data, operatorKey))
            {
                using var op = server.Client(operatorKey);
                var tenantId = (await op.PostAsync("/v1/tenants", new { name = "Acme", timeZone = "UTC" }, HttpStatusCode.Created)).Str("id");
                licenseId = (await op.PostAsync("/v1/licenses", new { tenantId, product = "cad", seats = 3 }, HttpStatusCode.Created)).Str("id");
                appKey = (await op.PostAsync("/v1/api-keys", new { tenantId, role = "client" }, HttpStatusCode.Created)).Str("key");
                using var app = server.Client(appKey);
                for (var i = 0; i < 3; i++)
                    sessionIds.Add((await app.CheckoutAsync(licenseId, $"user-{i}")).Str("id"));

                server.KillHard();
            }

            await using var restarted = await ServerProcess.StartAsync(data, operatorKey);
            using var again = restarted.Client(appKey);
            foreach (var id in sessionIds)
                (await again.GetJsonAsync($"/v1/sessions/{id}")).Str("status").ShouldBe("active");
            await again.CheckoutAsync(licenseId, "late", HttpStatusCode.Conflict);
        }
        finally
        {
            TestHost.TryDelete(data);
        }
    }
}
