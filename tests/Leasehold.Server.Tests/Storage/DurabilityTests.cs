using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Storage;

public sealed class DurabilityTests
{
    [Fact]
    public async Task Sessions_SurviveAServerRestart()
    {
        await InFreshDataDirectoryAsync(async data =>
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
        });
    }

    /// <summary>
    /// After a restart the writer knows no live session yet: a renewal then writes sessions it has
    /// not loaded (an insert that finds the row, then the update), also one taken with an
    /// Idempotency-Key, whose key is unique too.
    /// </summary>
    [Fact]
    public async Task ARenewalAfterARestart_MovesTheEndOfOpenSessions_AndKeepsTheirIdempotencyKey()
    {
        await InFreshDataDirectoryAsync(async data =>
        {
            string licenseId, sessionId, appKey;
            await using (var first = await TestHost.StartAsync(data))
            {
                first.KeepData = true;
                var tenantId = await first.CreateTenantAsync();
                licenseId = await first.CreateLicenseAsync(tenantId, seats: 1,
                    new { clientTypes = new { desktop = new { ttlSeconds = 604800, idleTimeoutSeconds = 0 } } });
                await first.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{licenseId}", new { endsAt = TestHost.Epoch.AddDays(3) }, HttpStatusCode.OK);
                appKey = await first.CreateKeyAsync(tenantId, "client");
                using var app = first.Client(appKey);
                sessionId = (await app.CheckoutAsync(licenseId, "alice", idempotencyKey: "alice-1")).Str("id");
            }

            await using var second = await TestHost.StartAsync(data);
            await second.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{licenseId}", new { endsAt = TestHost.Epoch.AddDays(100) }, HttpStatusCode.OK);
            // Past the old end: without the renewal written to the session, it would have ended with the license.
            second.Clock.Advance(TimeSpan.FromDays(4));
            using var again = second.Client(appKey);
            (await again.PostAsync($"/v1/sessions/{sessionId}/heartbeat", new { active = true }, HttpStatusCode.OK)).Str("status").ShouldBe("active");
            (await again.CheckoutAsync(licenseId, "alice", idempotencyKey: "alice-1")).Str("id").ShouldBe(sessionId);
            await again.CheckoutAsync(licenseId, "bob", HttpStatusCode.Conflict);
        });
    }

    [Fact]
    public async Task AnAcknowledgedCheckout_SurvivesKillDashNine()
    {
        const string operatorKey = "lh_kill-test-operator-key-0123456789";
        await InFreshDataDirectoryAsync(async data =>
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
        });
    }

    /// <summary>Runs <paramref name="test"/> with a data directory of its own, removed afterwards whatever happens.</summary>
    private static async Task InFreshDataDirectoryAsync(Func<string, Task> test)
    {
        var data = Path.Combine(Path.GetTempPath(), "leasehold-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            await test(data);
        }
        finally
        {
            TestHost.TryDelete(data);
        }
    }
}
