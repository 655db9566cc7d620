using Leasehold.Client.Admin;
using Leasehold.Client.Tests.Support;
using Leasehold.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Leasehold.Client.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddLeaseholdClient_GivesWorkingClients()
    {
        await using var host = await TestHost.StartAsync();
        var t = await ClientFixture.TenancyAsync(host, seats: 1);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLeaseholdClient(o =>
        {
            o.ServerUrl = host.BaseAddress;
            o.ApiKey = t.AdminKey;
            o.LicenseId = t.LicenseId;
        });
        await using var provider = services.BuildServiceProvider();

        await using var lease = await provider.GetRequiredService<LeaseholdClient>().CheckoutAsync("alice", "laptop");
        var holders = await provider.GetRequiredService<LeaseholdAdminClient>().ListSessionsAsync(t.LicenseId);

        holders.ShouldHaveSingleItem().Id.ShouldBe(lease.SessionId);
        holders[0].User.ShouldBe("alice");
    }
}
