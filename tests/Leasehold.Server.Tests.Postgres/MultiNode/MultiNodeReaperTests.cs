using System.Net;
using Leasehold.Core.Usage;
using Leasehold.Server.Background;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.MultiNode;

public sealed class MultiNodeReaperTests
{
    [Fact]
    public async Task ReapersOnEveryNode_AndCheckoutsRacingThem_EndEachDueSessionOnce_WithOneEvent()
    {
        await using var nodes = await Nodes.StartAsync(3);
        var tenantId = await nodes[0].CreateTenantAsync();
        var licenses = new List<string>();
        for (var i = 0; i < 3; i++)
            licenses.Add(await nodes[0].CreateLicenseAsync(tenantId, seats: 30));
        var apps = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "client"));
        var opened = new List<string>();
        for (var i = 0; i < 60; i++)
            opened.Add((await apps[i % 3].CheckoutAsync(licenses[i % 3], $"user-{i}", device: $"pc-{i}")).Str("id"));

        // Every session's heartbeat lapses: every node's background reaper wakes on this tick, and
        // while they run, each node also reaps by hand and checks out on every license (a checkout
        // ends the due holders it finds, too).
        nodes.Clock.Advance(TimeSpan.FromMinutes(6));
        var work = new List<Task>();
        foreach (var node in nodes.All)
            work.Add(node.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None));
        for (var i = 0; i < 9; i++)
            work.Add(apps[i % 3].CheckoutAsync(licenses[i / 3], $"late-{i}", device: $"late-{i}"));
        await Task.WhenAll(work);
        foreach (var node in nodes.All)
            await node.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

        var store = nodes[0].Service<ISessionReads>();
        var ends = new List<UsageEvent>();
        foreach (var license in licenses)
            ends.AddRange((await nodes[0].UsageEventsAsync(license)).Where(e => e.Kind == UsageKind.Ended));
        ends.Count.ShouldBe(60);
        ends.Select(e => e.SessionId).ShouldBe(opened, ignoreOrder: true);
        ends.ShouldAllBe(e => e.Code == "expired" && e.At == TestHost.Epoch.AddMinutes(5));
        foreach (var id in opened)
            (await store.GetSessionAsync(id, null, CancellationToken.None))!.EndReason.ShouldBe(Leasehold.Core.Sessions.EndReason.Expired);
        foreach (var node in nodes.All)
            (await node.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None)).ShouldBe(0);
        (await store.ListOpenSessionsAsync(null, null, null, CancellationToken.None)).Count.ShouldBe(9);
        foreach (var app in apps)
            app.Dispose();
    }

    [Fact]
    public async Task TwoNodesReapingTheSameLicenses_NeverEndASessionTwice()
    {
        await using var nodes = await Nodes.StartAsync(2);
        var tenantId = await nodes[0].CreateTenantAsync();
        var licenseId = await nodes[0].CreateLicenseAsync(tenantId, seats: 50);
        var app = nodes[0].Client(await nodes[0].CreateKeyAsync(tenantId, "client"));
        for (var i = 0; i < 40; i++)
            await app.CheckoutAsync(licenseId, $"user-{i}", device: $"pc-{i}");
        nodes.Clock.Advance(TimeSpan.FromMinutes(6));

        var passes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => nodes[i % 2].Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None))));
        foreach (var node in nodes.All)
            await node.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

        var events = await nodes[1].UsageEventsAsync(licenseId);
        var ends = events.Where(e => e.Kind == UsageKind.Ended).ToList();
        ends.Count.ShouldBe(40);
        ends.Select(e => e.SessionId).Distinct().Count().ShouldBe(40);
        passes.Sum().ShouldBeLessThanOrEqualTo(40, "a session was looked at by two reaper passes");
        app.Dispose();
    }
}
