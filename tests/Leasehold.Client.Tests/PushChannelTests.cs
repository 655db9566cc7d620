using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Leasehold.Client.Tests.Support;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Client.Tests;

/// <summary>The application learns of an end it did not ask for at once: event, token and task, with the reason.</summary>
public sealed class PushChannelTests : HostedTests
{
    [Fact]
    public async Task AdminStop_ReachesTheApplication_ByEventTokenAndTask()
    {
        // The default desktop TTL is 300 s (a heartbeat every 100 s): only the push channel can tell the client in time.
        var t = await ClientFixture.TenancyAsync(Host, seats: 1);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        await using var lease = await client.CheckoutAsync("alice", "laptop");
        var ended = Wait.FirstAsync<LeaseEndedEventArgs>(h => lease.SessionEnded += h);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lease.EndedToken.Register(() => cancelled.TrySetResult());
        await Wait.UntilAsync(() => Host.Service<Leasehold.Server.Sessions.Signals.SessionSignals>().Count == 1, "the lease to listen");

        using var admin = Host.Client(t.AdminKey);
        await admin.PostAsync($"/v1/sessions/{lease.SessionId}/stop", null, HttpStatusCode.OK);

        var e = await ended.OrFailAsync("the SessionEnded event");
        e.End.Reason.ShouldBe(LeaseEndReason.Stopped);
        e.End.Code.ShouldBe("stopped");
        e.End.Message.ShouldContain("administrator");
        await cancelled.Task.WaitAsync(Wait.Patience);
        (await lease.Ended).Reason.ShouldBe(LeaseEndReason.Stopped);
        lease.IsActive.ShouldBeFalse();
    }

    [Fact]
    public async Task AdminStop_WithoutThePushChannel_ReachesTheApplicationAtTheNextHeartbeat()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1, ClientFixture.ShortTtlPolicy(ttlSeconds: 5));
        var options = ClientFixture.Options(Host, t.AppKey, t.LicenseId);
        options.UsePushChannel = false;
        using var client = new LeaseholdClient(options);
        await using var pump = new ClockPump(Host.Clock);
        await using var lease = await client.CheckoutAsync("alice", "laptop");

        using var admin = Host.Client(t.AdminKey);
        await admin.PostAsync($"/v1/sessions/{lease.SessionId}/stop", null, HttpStatusCode.OK);

        (await lease.Ended.OrFailAsync("the heartbeat to learn of the stop")).Reason.ShouldBe(LeaseEndReason.Stopped);
        Host.Service<Leasehold.Server.Sessions.Signals.SessionSignals>().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Takeover_EndsTheFirstLeaseAsTakenOver_AndHandsItsStateToTheSecond()
    {
        var policy = new { connections = new { required = true } };
        var t = await ClientFixture.TenancyAsync(Host, seats: 5, policy);
        var connection = (await Host.Operator.PostAsync("/v1/connections",
            new { tenantId = t.TenantId, name = "rdp-07", email = "dispatch@acme.example", accessPlan = "always" }, HttpStatusCode.Created)).Str("id");
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        CheckoutRequest On(string user) => new() { User = user, Device = user + "-pc", Connection = connection, Email = "dispatch@acme.example" };
        await using var first = await client.CheckoutAsync(On("alice"));
        await first.SaveStateAsync(new { openScreens = new[] { "bookings/4711" } });

        await using var second = await client.CheckoutAsync(On("bob"));

        (await first.Ended.OrFailAsync("the taken-over lease to learn it")).Reason.ShouldBe(LeaseEndReason.TakenOver);
        second.TookOver.ShouldBe(new TakeoverInfo(first.SessionId, "alice"));
        second.HandedOnState!.Value.GetProperty("openScreens")[0].GetString().ShouldBe("bookings/4711");
        var late = await Should.ThrowAsync<SessionEndedException>(() => first.SaveStateAsync(new { too = "late" }));
        late.End.Reason.ShouldBe(LeaseEndReason.TakenOver);
    }

    [Fact]
    public async Task EndedEvent_WithIdAndRetryFields_AndItsDataOverTwoLines_EndsTheLeaseAtOnce()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1);
        var events = new ScriptedEvents(
            "id: 1\nretry: 3000\nevent: session\ndata: {}\n\n: keep-alive\n\n" +
            "id: 2\nevent: ended\ndata: {\"reason\":\"stopped\",\"endedAt\":\"2026-03-02T09:00:00+00:00\",\ndata:  \"message\":\"Stopped by an administrator.\"}\n\n");
        using var http = new HttpClient(events) { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new LeaseholdClient(http, ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        await using var lease = await client.CheckoutAsync("alice", "laptop");

        var end = await lease.Ended.OrFailAsync("the scripted ended event");
        end.Reason.ShouldBe(LeaseEndReason.Stopped);
        end.Message.ShouldBe("Stopped by an administrator.");
        events.Opened.Length.ShouldBe(1);
    }

    [Fact]
    public async Task ServerRetry_IsTheLeastPauseBeforeTheEventsStreamReconnects()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1);
        // Every stream ends at once; only the first says retry, which holds for the reconnects after it too.
        var events = new ScriptedEvents("retry: 400\nevent: session\ndata: {}\n\n", "event: session\ndata: {}\n\n");
        using var http = new HttpClient(events) { Timeout = Timeout.InfiniteTimeSpan };
        var options = ClientFixture.Options(Host, t.AppKey, t.LicenseId);
        options.InitialBackoff = TimeSpan.FromMilliseconds(10); // without the server's retry, reconnects would come within 20 ms
        options.MaxBackoff = TimeSpan.FromMilliseconds(20);
        using var client = new LeaseholdClient(http, options);
        await using var lease = await client.CheckoutAsync("alice", "laptop");

        await Wait.UntilAsync(() => events.Opened.Length >= 3, "the events stream to reconnect twice");
        var opened = events.Opened;
        (opened[1] - opened[0]).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(350));
        (opened[2] - opened[1]).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(350));
    }

    /// <summary>
    /// Answers each events request with the next scripted body (the last again once they run out),
    /// so a test can send what the server does not; everything else goes to the real server.
    /// </summary>
    private sealed class ScriptedEvents(params string[] bodies) : DelegatingHandler(new HttpClientHandler())
    {
        private readonly ConcurrentQueue<TimeSpan> _opened = new();
        private readonly Stopwatch _since = Stopwatch.StartNew();

        /// <summary>When each events request came, from the handler's creation.</summary>
        public TimeSpan[] Opened => [.. _opened];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (!request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal))
                return await base.SendAsync(request, ct);
            var body = bodies[Math.Min(_opened.Count, bodies.Length - 1)];
            _opened.Enqueue(_since.Elapsed);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "text/event-stream") };
        }
    }
}
