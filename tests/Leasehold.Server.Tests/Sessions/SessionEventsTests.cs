using System.Net;
using Leasehold.Server.Background;
using Leasehold.Server.Sessions.Signals;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Sessions;

/// <summary>The push channel: <c>GET /v1/sessions/{id}/events</c> as server-sent events, over real HTTP.</summary>
public sealed class SessionEventsTests : HostedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Events_WhenAnAdminStopsTheSession_SendEndedWithReasonStopped()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await using var stream = await SseReader.OpenAsync(t.App, $"/v1/sessions/{id}/events");
        var first = await stream.NextAsync();
        first.Name.ShouldBe("session");
        first.Data.Str("id").ShouldBe(id);
        first.Data.Str("status").ShouldBe("active");

        await t.Admin.PostAsync($"/v1/sessions/{id}/stop", null, HttpStatusCode.OK);

        var ended = await stream.NextAsync();
        ended.Name.ShouldBe("ended");
        ended.Data.Str("sessionId").ShouldBe(id);
        ended.Data.Str("reason").ShouldBe("stopped");
        ended.Data.Str("message").ShouldContain("administrator");
        (await stream.NextAsync()).Name.ShouldBe("(closed)");
    }

    [Fact]
    public async Task Events_WhenTheReaperEndsTheSession_SendEndedWithReasonExpired()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await using var stream = await SseReader.OpenAsync(t.App, $"/v1/sessions/{id}/events");
        (await stream.NextAsync()).Name.ShouldBe("session");

        Host.Clock.Advance(TimeSpan.FromMinutes(6));
        await Host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

        var ended = await stream.NextAsync();
        ended.Name.ShouldBe("ended");
        ended.Data.Str("reason").ShouldBe("expired");
        ended.Data.GetProperty("endedAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddMinutes(5));
    }

    [Fact]
    public async Task Events_WhenTheClientSignsOff_SendEndedWithReasonReleased_AndLeaveNoListenerBehind()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await using (var stream = await SseReader.OpenAsync(t.App, $"/v1/sessions/{id}/events"))
        {
            (await stream.NextAsync()).Name.ShouldBe("session");
            await t.App.DeleteAsync($"/v1/sessions/{id}", HttpStatusCode.NoContent);
            (await stream.NextAsync()).Data.Str("reason").ShouldBe("released");
        }
        // The handler lets go of its listener as it returns, just after the last write: wait for that, patiently.
        var signals = Host.Service<SessionSignals>();
        await Wait.UntilAsync(() => signals.Count == 0, "the handler to let go of its listener", Patience);
        signals.Count.ShouldBe(0);
    }

    [Fact]
    public async Task Events_OfAnEndedSession_Answer410WithTheReason()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await t.Admin.PostAsync($"/v1/sessions/{id}/stop", null, HttpStatusCode.OK);

        var problem = await t.App.ShouldFailAsync(HttpMethod.Get, $"/v1/sessions/{id}/events", null, HttpStatusCode.Gone, "session_ended");
        problem.Str("reason").ShouldBe("stopped");
    }

    [Fact]
    public async Task Events_OfAnotherTenantsSession_LookLikeAnUnknownId()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        using var other = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        var foreign = await other.App.SendRawAsync(HttpMethod.Get, $"/v1/sessions/{id}/events");
        var unknown = await other.App.SendRawAsync(HttpMethod.Get, "/v1/sessions/ses_nope/events");
        foreign.ShouldBeProblem(HttpStatusCode.NotFound, "not_found");
        foreign.ShouldLookTheSameAs(unknown);
        (await Host.Client().SendRawAsync(HttpMethod.Get, $"/v1/sessions/{id}/events")).StatusCode.ShouldBe(401);
    }
}
