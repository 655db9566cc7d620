using System.Collections.Concurrent;
using System.Net;
using Leasehold.Client.Tests.Support;
using Leasehold.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Leasehold.Client.Tests;

/// <summary>
/// A checkout that waits in the license's waiting line (docs/sdk.md, "Waiting for a seat"), against a real server over HTTP:
/// the place reported, the seat pushed and taken, the end thrown with its reason, cancellation leaving the line.
/// </summary>
public sealed class WaitingCheckoutTests : HostedTests
{
    /// <summary>
    /// A line, and a desktop TTL of 300 s: the place's heartbeat interval is 100 s, so anything the client learns within a test's
    /// run it learns from the push channel, not from a poll.
    /// </summary>
    private static readonly object LinePolicy = new
    {
        waitingLine = new { enabled = true, maxLength = 10, offerSeconds = 30, maxWaitSeconds = 1800 },
        clientTypes = new { desktop = new { ttlSeconds = 300, idleTimeoutSeconds = 0 }, web = new { waits = false } },
    };

    [Fact]
    public async Task ThreeUsersOnTwoSeats_TheThirdWaitsFirstInLine_AndGetsTheSeatByPush_BeforeAnyPoll()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 2, LinePolicy);
        var requests = new CountingHandler();
        using var http = new HttpClient(requests) { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new LeaseholdClient(http, ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        var alice = await client.CheckoutAsync("alice", "pc-alice");
        await using var bob = await client.CheckoutAsync("bob", "pc-bob");
        var positions = new Positions();

        var carl = client.CheckoutAsync("carl", "pc-carl", TimeSpan.FromMinutes(10), positions);

        var joined = await positions.FirstAsync();
        (joined.Position, joined.Status).ShouldBe((1, QueuePosition.Waiting));
        joined.WaitId.ShouldStartWith("wait_");
        joined.WaitUntil.ShouldBe(Host.Clock.GetUtcNow().AddMinutes(10));
        carl.IsCompleted.ShouldBeFalse();
        Host.Clock.Advance(TimeSpan.FromSeconds(1)); // so a heartbeat of the place would show in its lastHeartbeatAt

        await alice.DisposeAsync(); // the first signs off

        await using var lease = await carl.OrFailAsync("carl's lease");
        lease.IsActive.ShouldBeTrue();
        lease.Session.User.ShouldBe("carl");
        lease.Session.SeatsInUse.ShouldBe(2);
        // The push, not a poll: no heartbeat of the place was sent (the first was due only 80-100 s after joining), and the
        // server last heard of the place when it joined.
        requests.Count("/heartbeat", under: "/v1/waits/").ShouldBe(0);
        requests.Count("/events", under: "/v1/waits/").ShouldBeGreaterThanOrEqualTo(1);
        using var admin = Host.Client(t.AdminKey);
        var place = await admin.GetJsonAsync($"/v1/waits/{joined.WaitId}");
        (place.Str("status"), place.Str("endReason")).ShouldBe(("ended", "granted"));
        place.GetProperty("lastHeartbeatAt").GetDateTimeOffset().ShouldBe(place.GetProperty("joinedAt").GetDateTimeOffset());
        place.Str("sessionId").ShouldBe(lease.SessionId);
        positions.All.Where(p => p.Status == QueuePosition.Waiting).ShouldAllBe(p => p.Position == 1);
        positions.All[^1].Status.ShouldBe(QueuePosition.Offered);

        // The lease is carl's own, with its session token: its sign-off frees the seat.
        await lease.DisposeAsync();
        (await admin.GetJsonAsync($"/v1/sessions/{lease.SessionId}")).Str("endReason").ShouldBe("released");
    }

    [Fact]
    public async Task Cancelling_LeavesTheLine_AndThrowsOperationCanceled()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1, LinePolicy);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        await using var alice = await client.CheckoutAsync("alice", "pc-alice");
        var positions = new Positions();
        using var cancel = new CancellationTokenSource();
        var bob = client.CheckoutAsync("bob", "pc-bob", TimeSpan.FromMinutes(10), positions, cancel.Token);
        var joined = await positions.FirstAsync();

        cancel.Cancel();

        var thrown = await CaughtAsync(bob);
        thrown.ShouldBeAssignableTo<OperationCanceledException>();
        using var admin = Host.Client(t.AdminKey);
        var place = await admin.GetJsonAsync($"/v1/waits/{joined.WaitId}");
        (place.Str("status"), place.Str("endReason")).ShouldBe(("ended", "left"));
        (await admin.GetJsonAsync($"/v1/waits?licenseId={t.LicenseId}")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task AnAdminWhoRemovesThePlace_EndsTheWait_WithLeft()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1, LinePolicy);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        await using var alice = await client.CheckoutAsync("alice", "pc-alice");
        var positions = new Positions();
        var bob = client.CheckoutAsync("bob", "pc-bob", TimeSpan.FromMinutes(10), positions);
        var joined = await positions.FirstAsync();

        using var admin = Host.Client(t.AdminKey, sendSessionTokens: false);
        await admin.DeleteAsync($"/v1/waits/{joined.WaitId}", HttpStatusCode.NoContent);

        var denied = (await CaughtAsync(bob)).ShouldBeOfType<SeatDeniedException>();
        (denied.Code, denied.WaitEnd, denied.Status).ShouldBe((RefusalCodes.Left, "left", 410));
        denied.UserMessage.ShouldBe("You left the waiting line.");
    }

    [Fact]
    public async Task ACheckoutWhoseAnswerWasLost_IsRetried_IntoTheSamePlace()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1, LinePolicy);
        var requests = new CountingHandler(loseFirstCheckoutAnswer: true);
        using var http = new HttpClient(requests) { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new LeaseholdClient(http, ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        using var app = Host.Client(t.AppKey);
        await app.CheckoutAsync(t.LicenseId, "alice");
        var positions = new Positions();
        using var cancel = new CancellationTokenSource();

        var bob = client.CheckoutAsync("bob", "pc-bob", TimeSpan.FromMinutes(10), positions, cancel.Token);

        var joined = await positions.FirstAsync();
        joined.Position.ShouldBe(1);
        requests.Count("/v1/waits", under: "/v1/waits").ShouldBe(2); // the lost answer, and the retry's
        using var admin = Host.Client(t.AdminKey);
        var line = (await admin.GetJsonAsync($"/v1/waits?licenseId={t.LicenseId}")).GetProperty("items");
        line.GetArrayLength().ShouldBe(1);
        line[0].Str("id").ShouldBe(joined.WaitId);
        cancel.Cancel();
        (await CaughtAsync(bob)).ShouldBeAssignableTo<OperationCanceledException>();
    }

    [Fact]
    public async Task AWaitThatRunsOut_ThrowsSeatDenied_WithTimedOut()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1, LinePolicy);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        await using var alice = await client.CheckoutAsync("alice", "pc-alice");
        var positions = new Positions();
        var bob = client.CheckoutAsync("bob", "pc-bob", TimeSpan.FromSeconds(60), positions);
        var joined = await positions.FirstAsync();
        joined.WaitUntil.ShouldBe(Host.Clock.GetUtcNow().AddSeconds(60));

        // Server time passes the wait's end (and on, until the client has heard: the server's stream may have been between a read and its timer).
        Host.Clock.Advance(TimeSpan.FromSeconds(61));
        await Wait.UntilAsync(() =>
        {
            if (!bob.IsCompleted)
                Host.Clock.Advance(TimeSpan.FromSeconds(1));
            return bob.IsCompleted;
        }, "the wait to end");

        var denied = (await CaughtAsync(bob)).ShouldBeOfType<SeatDeniedException>();
        (denied.Code, denied.WaitEnd, denied.WaitId).ShouldBe((RefusalCodes.TimedOut, "timed_out", joined.WaitId));
        denied.UserMessage.ShouldContain("No seat freed up");
        // The server ended it (the client did not leave first).
        using var admin = Host.Client(t.AdminKey);
        (await admin.GetJsonAsync($"/v1/waits/{joined.WaitId}")).Str("endReason").ShouldBe("timed_out");
    }

    [Fact]
    public async Task AWaitPastItsEndByTheClientsClock_LeavesTheLine_AndThrowsTimedOut()
    {
        // The server never says (its clock stands still): the client's own guard leaves after the wait's end and a margin.
        var t = await ClientFixture.TenancyAsync(Host, seats: 1, LinePolicy);
        var clientClock = new FakeTimeProvider(TestHost.Epoch);
        var options = ClientFixture.Options(Host, t.AppKey, t.LicenseId);
        options.TimeProvider = clientClock;
        using var client = new LeaseholdClient(options);
        await using var alice = await client.CheckoutAsync("alice", "pc-alice");
        var positions = new Positions();
        var bob = client.CheckoutAsync("bob", "pc-bob", TimeSpan.FromSeconds(60), positions);
        var joined = await positions.FirstAsync();

        await Wait.UntilAsync(() =>
        {
            if (!bob.IsCompleted)
                clientClock.Advance(TimeSpan.FromSeconds(5));
            return bob.IsCompleted;
        }, "the client to give up");

        var denied = (await CaughtAsync(bob)).ShouldBeOfType<SeatDeniedException>();
        denied.Code.ShouldBe(RefusalCodes.TimedOut);
        clientClock.GetUtcNow().ShouldBeGreaterThanOrEqualTo(TestHost.Epoch + TimeSpan.FromSeconds(60) + TimeSpan.FromSeconds(30));
        using var admin = Host.Client(t.AdminKey);
        (await admin.GetJsonAsync($"/v1/waits/{joined.WaitId}")).Str("endReason").ShouldBe("left");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithoutThePushChannel_TheHeartbeatsPoll_AndTakeTheSeatOnceOffered(bool streamDown)
    {
        // Either the push channel is off, or it is on and its stream cannot be reached (503 every time).
        var t = await ClientFixture.TenancyAsync(Host, seats: 1, LinePolicy);
        var clientClock = new FakeTimeProvider(TestHost.Epoch);
        var requests = new CountingHandler(failWaitEvents: streamDown);
        using var http = new HttpClient(requests) { Timeout = Timeout.InfiniteTimeSpan };
        var options = ClientFixture.Options(Host, t.AppKey, t.LicenseId);
        options.TimeProvider = clientClock;
        options.UsePushChannel = streamDown;
        using var client = new LeaseholdClient(http, options);
        using var app = Host.Client(t.AppKey);
        var alice = (await app.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        var positions = new Positions();
        var bob = client.CheckoutAsync("bob", "pc-bob", TimeSpan.FromMinutes(10), positions);
        await positions.FirstAsync();
        await app.DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent);

        // Client time moves until the first poll goes out (no further: the poll's answer is what takes the seat).
        await Wait.UntilAsync(() =>
        {
            if (requests.Count("/heartbeat", under: "/v1/waits/") == 0)
                clientClock.Advance(TimeSpan.FromSeconds(1));
            return bob.IsCompleted;
        }, "a poll to find the seat held");

        await using var lease = await bob;
        lease.Session.User.ShouldBe("bob");
        requests.Count("/heartbeat", under: "/v1/waits/").ShouldBeGreaterThanOrEqualTo(1);
        if (!streamDown)
            requests.Count("/events", under: "/v1/waits/").ShouldBe(0);
        // Polled every 5 s while there is no stream, long before the first heartbeat (100 s, less up to 20% jitter) would have gone.
        clientClock.GetUtcNow().ShouldBeLessThan(TestHost.Epoch + TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task AClientTypeThatMayNotWait_IsRefusedWithWaitingNotAllowed()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1, LinePolicy);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        await using var alice = await client.CheckoutAsync("alice", "pc-alice");
        var positions = new Positions();

        var denied = await Should.ThrowAsync<SeatDeniedException>(() => client.CheckoutAsync(
            new CheckoutRequest { User = "bob", Device = "pc-bob", Client = "web" }, TimeSpan.FromMinutes(10), positions));

        (denied.Code, denied.Status).ShouldBe((RefusalCodes.WaitingNotAllowed, 409));
        denied.WaitEnd.ShouldBeNull();
        positions.All.ShouldBeEmpty();
    }

    [Fact]
    public async Task AFreeSeat_IsALeaseAtOnce_WithoutJoiningTheLine()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1, LinePolicy);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        var positions = new Positions();

        await using var lease = await client.CheckoutAsync("alice", "pc-alice", TimeSpan.FromMinutes(10), positions);

        lease.IsActive.ShouldBeTrue();
        positions.All.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(86_401)]
    public async Task AWaitOfNothingOrOverADay_IsRefusedBeforeAnyRequest(int seconds)
    {
        var requests = new CountingHandler();
        using var http = new HttpClient(requests);
        using var client = new LeaseholdClient(http, ClientFixture.Options(Host, "lh_unused", "lic_unused"));

        var e = await Should.ThrowAsync<ArgumentOutOfRangeException>(() => client.CheckoutAsync("alice", "pc", TimeSpan.FromSeconds(seconds)));

        e.ParamName.ShouldBe("waitUpTo");
        requests.Count("/", under: "/").ShouldBe(0);
    }

    private static async Task<Exception> CaughtAsync(Task task)
    {
        try
        {
            await task.WaitAsync(Wait.Patience);
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            return e;
        }
        throw new ShouldAssertException("the task completed without throwing");
    }

    /// <summary>Collects what a waiting checkout reports, in order, as it reports it (no synchronization context).</summary>
    private sealed class Positions : IProgress<QueuePosition>
    {
        private readonly ConcurrentQueue<QueuePosition> _reported = new();
        private readonly TaskCompletionSource<QueuePosition> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<QueuePosition> All => [.. _reported];

        public void Report(QueuePosition value)
        {
            _reported.Enqueue(value);
            _first.TrySetResult(value);
        }

        public Task<QueuePosition> FirstAsync() => _first.Task.OrFailAsync("the place in line");
    }

    /// <summary>Sends to the real server and counts the requests by path; with <paramref name="failWaitEvents"/>, a place's events stream answers 503.</summary>
    /// <remarks>With <paramref name="loseFirstCheckoutAnswer"/>, the first checkout reaches the server but its answer is lost (a 503 instead).</remarks>
    private sealed class CountingHandler(bool failWaitEvents = false, bool loseFirstCheckoutAnswer = false) : DelegatingHandler(new HttpClientHandler())
    {
        private readonly ConcurrentQueue<string> _paths = new();
        private int _checkouts;

        /// <summary>How many requests went to a path under <paramref name="under"/> that ends with <paramref name="end"/>.</summary>
        public int Count(string end, string under) =>
            _paths.Count(p => p.StartsWith(under, StringComparison.Ordinal) && p.EndsWith(end, StringComparison.Ordinal));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var path = request.RequestUri!.AbsolutePath;
            _paths.Enqueue(path);
            if (failWaitEvents && path.StartsWith("/v1/waits/", StringComparison.Ordinal) && path.EndsWith("/events", StringComparison.Ordinal))
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            var response = await base.SendAsync(request, ct);
            if (loseFirstCheckoutAnswer && path == "/v1/waits" && Interlocked.Increment(ref _checkouts) == 1)
            {
                response.Dispose();
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            }
            return response;
        }
    }
}
