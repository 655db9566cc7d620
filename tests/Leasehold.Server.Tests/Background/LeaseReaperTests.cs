using System.Net;
using Leasehold.Core.Usage;
using Leasehold.Server.Background;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Background;

public sealed class LeaseReaperTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Reaper_EndsExpiredAndIdleSessions_DatedWhenTheyWereDue()
    {
        using var t = await _host.CreateTenancyAsync(seats: 5);
        var silent = (await t.App.CheckoutAsync(t.LicenseId, "silent")).Str("id");
        var idle = (await t.App.CheckoutAsync(t.LicenseId, "idle")).Str("id");
        var busy = (await t.App.CheckoutAsync(t.LicenseId, "busy")).Str("id");
        for (var i = 0; i < 14; i++)
        {
            _host.Clock.Advance(TimeSpan.FromMinutes(4));
            await t.App.PostAsync($"/v1/sessions/{idle}/heartbeat", new { active = false }, HttpStatusCode.OK);
            await t.App.PostAsync($"/v1/sessions/{busy}/heartbeat", new { active = true }, HttpStatusCode.OK);
        }
        _host.Clock.Advance(TimeSpan.FromMinutes(4));

        // The background reaper may have run already as the clock moved: either way, each end is recorded once.
        await _host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

        var events = await _host.UsageEventsAsync(t.LicenseId);
        var ends = events.Where(e => e.Kind == UsageKind.Ended).ToDictionary(e => e.SessionId!);
        ends.Count.ShouldBe(2);
        ends[silent].Code.ShouldBe("expired");
        ends[silent].At.ShouldBe(TestHost.Epoch.AddMinutes(5));
        ends[idle].Code.ShouldBe("idle");
        ends[idle].At.ShouldBe(TestHost.Epoch.AddHours(1));
        ends.ShouldNotContainKey(busy);
        var stored = await _host.Service<ISessionReads>().GetSessionAsync(silent, null, CancellationToken.None);
        stored!.IsActive.ShouldBeFalse();
    }

    [Fact]
    public async Task Reaper_EndsSessionsOfALicenseCutShort_AsTheEngineWould()
    {
        using var t = await _host.CreateTenancyAsync(seats: 5);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        await _host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { endsAt = TestHost.Epoch.AddMinutes(3) }, HttpStatusCode.OK);
        var store = _host.Service<ISessionReads>();
        var live = (await store.GetSessionAsync(id, null, CancellationToken.None))!;
        _host.Clock.Advance(TimeSpan.FromMinutes(3));
        var now = _host.Clock.GetUtcNow();
        var engine = Leasehold.Core.Sessions.SessionLifecycle.Reap(live, now).Result.Session;

        await _host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

        var stored = (await store.GetSessionAsync(id, null, CancellationToken.None))!;
        stored.EndReason.ShouldBe(Leasehold.Core.Sessions.EndReason.LicenseExpired);
        stored.EndReason.ShouldBe(engine.EndReason);
        stored.EndedAt.ShouldBe(engine.EndedAt);
        var ended = (await _host.UsageEventsAsync(t.LicenseId)).Single(e => e.Kind == UsageKind.Ended);
        ended.ShouldBe(UsageEvent.Ended(stored));
    }

    [Fact]
    public async Task Reaper_NeverEndsASessionTwice()
    {
        using var t = await _host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        _host.Clock.Advance(TimeSpan.FromMinutes(6));
        await t.App.PostAsync($"/v1/sessions/{id}/heartbeat", new { active = true }, HttpStatusCode.Gone);

        (await _host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None)).ShouldBe(0);

        var events = await _host.UsageEventsAsync(t.LicenseId);
        events.Count(e => e.Kind == UsageKind.Ended).ShouldBe(1);
    }

    [Fact]
    public async Task Reaper_RunsByItself_WhenTheClockMoves()
    {
        using var t = await _host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        var store = _host.Service<ISessionReads>();

        _host.Clock.Advance(TimeSpan.FromMinutes(6));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await store.GetSessionAsync(id, null, CancellationToken.None))!.IsActive && DateTime.UtcNow < deadline)
        {
            _host.Clock.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20);
        }
        (await store.GetSessionAsync(id, null, CancellationToken.None))!.EndReason.ShouldBe(Leasehold.Core.Sessions.EndReason.Expired);
    }
}
