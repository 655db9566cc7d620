using Leasehold.Client.Admin;
using Leasehold.Client.Tests.Support;
using Leasehold.Server.Tests.Support;
using Microsoft.Extensions.Configuration;
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

    [Fact]
    public async Task AddLeaseholdClient_ReadsItsOptionsFromConfiguration()
    {
        await using var host = await TestHost.StartAsync();
        var t = await ClientFixture.TenancyAsync(host, seats: 1);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Leasehold:ServerUrl"] = host.BaseAddress.ToString(),
            ["Leasehold:ApiKey"] = t.AppKey,
            ["Leasehold:LicenseId"] = t.LicenseId,
            ["Leasehold:ClientType"] = "web",
            ["Leasehold:OfflineGrace"] = "00:02:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLeaseholdClient();
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<LeaseholdClient>();
        await using var lease = await client.CheckoutAsync("alice", "browser");

        client.Options.OfflineGrace.ShouldBe(TimeSpan.FromMinutes(2));
        lease.Session.Client.ShouldBe("web");
    }
}
