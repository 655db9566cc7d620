using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Leasehold.Server.Tests.MultiNode;

public sealed class MultiNodeStartAndRetryTests
{
    [Fact]
    public async Task ThreeNodesStartingAtOnceOnAnEmptyDatabase_MigrateItOnce()
    {
        var data = Path.Combine(Path.GetTempPath(), "leasehold-nodes-" + Guid.NewGuid().ToString("N"));
        var clock = new FakeTimeProvider(TestHost.Epoch);
        var starts = Enumerable.Range(0, 3).Select(_ => TestHost.StartAsync(data, clock)).ToList();
        try
        {
            var hosts = await Task.WhenAll(starts);

            var connection = (await TestStore.SettingsAsync(data))["LEASEHOLD_POSTGRES"];
            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT version) FROM schema_migrations", db);
            await using var reader = await count.ExecuteReaderAsync();
            (await reader.ReadAsync()).ShouldBeTrue();
            reader.GetInt64(0).ShouldBe(reader.GetInt64(1));
            reader.GetInt64(0).ShouldBeGreaterThanOrEqualTo(3);
            var tenant = await hosts[2].CreateTenantAsync();
            (await hosts[0].Operator.GetJsonAsync($"/v1/tenants/{tenant}")).Str("id").ShouldBe(tenant);
        }
        finally
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                start.Result.KeepData = true;
                await start.Result.DisposeAsync();
            }
            await TestStore.ReleaseAsync(data);
        }
    }

    [Fact]
    public async Task RetriesWithOneIdempotencyKey_SentToEveryNodeAtOnce_OpenOneSession()
    {
        await using var nodes = await Nodes.StartAsync(3);
        var tenantId = await nodes[0].CreateTenantAsync();
        var licenseId = await nodes[0].CreateLicenseAsync(tenantId, seats: 5);
        var apps = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "client"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            apps[i % 3].CheckoutAsync(licenseId, "alice", idempotencyKey: "start-1")));

        answers.Select(a => a.Str("id")).Distinct().Count().ShouldBe(1);
        using var admin = nodes[1].Client(await nodes[0].CreateKeyAsync(tenantId, "admin"));
        (await admin.GetJsonAsync($"/v1/licenses/{licenseId}")).Int("seatsInUse").ShouldBe(1);
        foreach (var app in apps)
            app.Dispose();
    }
}
