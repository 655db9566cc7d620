using System.Net;
using Leasehold.Core.Usage;
using Leasehold.Server.Background;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Background;

public sealed class LeaseReaperTests : HostedTests
{
    [Fact]
    public async Task Reaper_EndsExpiredAndIdleSessions_DatedWhenTheyWereDue()
    {
        using var t = await Host.CreateTenancyAsync(seats: 5);
        var silent = (await t.App.CheckoutAsync(t.LicenseId, "silent")).Str("id");
        var idle = (await t.App.CheckoutAsync(t.LicenseId, "idle")).Str("id");
        var busy = (await t.App.CheckoutAsync(t.LicenseId, "busy")).Str("id");
        for (var i = 0; i < 14; i++)
        {
            Host.Clock.Advance(TimeSpan.FromMinutes(4));
            await t.App.PostAsync($"/v1/sessions/{idle}/heartbeat", new { active = false }, HttpStatusCode.OK);
            await t.App.PostAsync($"/v1/sessions/{busy}/heartbeat", new { active = true }, HttpStatusCode.OK);
        }
        Host.Clock.Advance(TimeSpan.FromMinutes(4));

        // The background reaper may have run already as the clock moved: either way, each end is recorded once.
        await Host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

        var events = await Host.UsageEventsAsync(t.LicenseId);
        var ends = events.Where(e => e.Kind == UsageKind.Ended).ToDictionary(e => e.SessionId!);
        ends.Count.ShouldBe(2);
        ends[silent].Code.ShouldBe("expired");
        ends[silent].At.ShouldBe(TestHost.Epoch.AddMinutes(5));
        ends[idle].Code.ShouldBe("idle");
        ends[idle].At.ShouldBe(TestHost.Epoch.AddHours(1));
        ends.ShouldNotContainKey(busy);
        var stored = await Host.Service<ISessionReads>().GetSessionAsync(silent, null, CancellationToken.None);
        stored!.IsActive.ShouldBeFalse();
    }

    [Fact]
    public async Task Reaper_EndsSessionsOfALicenseCutShort_AsTheEngineWould()
    {
        using var t = await Host.CreateTenancyAsync(seats: 5);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { endsAt = TestHost.Epoch.AddMinutes(3) }, HttpStatusCode.OK);
        var store = Host.Service<ISessionReads>();
        var live = (await store.GetSessionAsync(id, null, CancellationToken.None))!;
        Host.Clock.Advance(TimeSpan.FromMinutes(3));
        var now = Host.Clock.GetUtcNow();
        var engine = Leasehold.Core.Sessions.SessionLifecycle.Reap(live, now).Result.Session;

        await Host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

        var stored = (await store.GetSessionAsync(id, null, CancellationToken.None))!;
        stored.EndReason.ShouldBe(Leasehold.Core.Sessions.EndReason.LicenseExpired);
        stored.EndReason.ShouldBe(engine.EndReason);
        stored.EndedAt.ShouldBe(engine.EndedAt);
        var ended = (await Host.UsageEventsAsync(t.LicenseId)).Single(e => e.Kind == UsageKind.Ended);
        ended.ShouldBe(UsageEvent.Ended(stored));
    }

    [Fact]
    public async Task Reaper_NeverEndsASessionTwice()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        Host.Clock.Advance(TimeSpan.FromMinutes(6));
        await t.App.PostAsync($"/v1/sessions/{id}/heartbeat", new { active = true }, HttpStatusCode.Gone);

        (await Host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None)).ShouldBe(0);

        var events = await Host.UsageEventsAsync(t.LicenseId);
        events.Count(e => e.Kind == UsageKind.Ended).ShouldBe(1);
    }

    [Fact]
    public async Task Reaper_RunsByItself_WhenTheClockMoves()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        var store = Host.Service<ISessionReads>();

        Host.Clock.Advance(TimeSpan.FromMinutes(6));

        await Wait.UntilAsync(async () =>
        {
            if (!(await store.GetSessionAsync(id, null, CancellationToken.None))!.IsActive)
                return true;
            Host.Clock.Advance(TimeSpan.FromSeconds(5)); // the next tick of the reaper's timer, which may have started after the clock moved
            return false;
        }, "the background reaper to end the session", TimeSpan.FromSeconds(20));
        (await store.GetSessionAsync(id, null, CancellationToken.None))!.EndReason.ShouldBe(Leasehold.Core.Sessions.EndReason.Expired);
    }
}
