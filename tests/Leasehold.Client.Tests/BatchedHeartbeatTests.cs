using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Leasehold.Client.Tests.Support;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Client.Tests;

/// <summary>
/// A process holding several leases heartbeats them in one <c>POST /v1/sessions/heartbeats</c> a round (docs/sdk.md, "Many leases
/// in one process"), against a real server, while each lease keeps its own session, its own end and its own sign-off.
/// </summary>
public sealed class BatchedHeartbeatTests : HostedTests
{
    private const string BatchPath = "/v1/sessions/heartbeats";

    [Fact]
    public async Task ThreeLeases_SendOneBatchARound_AndKeepTheirSessionsAlive()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 3, ClientFixture.ShortTtlPolicy(ttlSeconds: 5));
        var requests = new HeartbeatRecorder();
        using var client = Client(requests, t);
        await using var pump = new ClockPump(Host.Clock);
        await using var a = await client.CheckoutAsync("alice", "pc-1");
        await using var b = await client.CheckoutAsync("bob", "pc-2");
        await using var c = await client.CheckoutAsync("carol", "pc-3");
        string[] all = [a.SessionId, b.SessionId, c.SessionId];
        await requests.UntilBatchOfAsync(all);

        // From then on, for rounds past several TTLs of server time: one request each round, with all three in it.
        var mark = requests.Mark();
        await Wait.UntilAsync(() => pump.Moved > TimeSpan.FromSeconds(16) && requests.BatchesSince(mark).Count >= 5, "rounds past three TTLs");

        requests.BatchesSince(mark).ShouldAllBe(batch => batch.Order().SequenceEqual(all.Order()));
        requests.SinglesSince(mark).ShouldBeEmpty();
        using var admin = Host.Client(t.AdminKey);
        foreach (var lease in new[] { a, b, c })
        {
            lease.IsActive.ShouldBeTrue(lease.End?.ToString());
            var session = await admin.GetJsonAsync($"/v1/sessions/{lease.SessionId}");
            session.Str("status").ShouldBe("active");
            session.GetProperty("lastHeartbeatAt").GetDateTimeOffset().ShouldBeGreaterThan(TestHost.Epoch.AddSeconds(10));
            lease.Session.LastHeartbeatAt.ShouldBeGreaterThan(TestHost.Epoch.AddSeconds(10)); // each lease read its own item
        }
    }

    [Fact]
    public async Task OneLeaseStoppedByAnAdmin_LearnsItsEndFromItsItem_WhileTheOthersGoOn()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 3, ClientFixture.ShortTtlPolicy(ttlSeconds: 5));
        var requests = new HeartbeatRecorder();
        using var client = Client(requests, t, pushChannel: false); // only the heartbeats' answers can tell the end
        await using var pump = new ClockPump(Host.Clock);
        await using var a = await client.CheckoutAsync("alice", "pc-1");
        await using var b = await client.CheckoutAsync("bob", "pc-2");
        await using var c = await client.CheckoutAsync("carol", "pc-3");
        await requests.UntilBatchOfAsync([a.SessionId, b.SessionId, c.SessionId]);
        var order = new ConcurrentQueue<string>();
        b.SessionEnded += (_, e) => order.Enqueue($"SessionEnded({e.End.Code}, token: {b.EndedToken.IsCancellationRequested}, task: {b.Ended.IsCompleted})");
        b.EndedToken.Register(() => order.Enqueue("EndedToken"));
        var afterEnded = b.Ended.ContinueWith(_ => order.Enqueue("Ended"), TaskScheduler.Default);
        var mark = requests.Mark();

        using var admin = Host.Client(t.AdminKey);
        await admin.PostAsync($"/v1/sessions/{b.SessionId}/stop", null, HttpStatusCode.OK);

        var end = await b.Ended.OrFailAsync("bob's lease to learn of the stop");
        await afterEnded.WaitAsync(Wait.Patience);
        (end.Reason, end.Code).ShouldBe((LeaseEndReason.Stopped, "stopped"));
        end.Message.ShouldNotBeNullOrEmpty();
        end.EndedAt.ShouldNotBeNull();
        order.ShouldBe(["SessionEnded(stopped, token: False, task: False)", "EndedToken", "Ended"]);
        requests.BatchesSince(mark).ShouldContain(batch => batch.Contains(b.SessionId), "the stop was told in a batch's item");
        requests.SinglesSince(mark).ShouldBeEmpty();

        // The others go on, in batches without bob.
        await b.Loops.WaitAsync(Wait.Patience);
        var afterEnd = requests.Mark();
        await Wait.UntilAsync(() => requests.BatchesSince(afterEnd).Count >= 3, "three more rounds");
        requests.BatchesSince(afterEnd).ShouldAllBe(batch => batch.Order().SequenceEqual(new[] { a.SessionId, c.SessionId }.Order()));
        a.IsActive.ShouldBeTrue(a.End?.ToString());
        c.IsActive.ShouldBeTrue(c.End?.ToString());
        (await admin.GetJsonAsync($"/v1/sessions/{a.SessionId}")).Str("status").ShouldBe("active");
        (await admin.GetJsonAsync($"/v1/sessions/{c.SessionId}")).Str("status").ShouldBe("active");
    }

    [Fact]
    public async Task ALeaseDisposedMidway_SignsOff_AndLeavesTheBatch()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 3, ClientFixture.ShortTtlPolicy(ttlSeconds: 5));
        var requests = new HeartbeatRecorder();
        using var client = Client(requests, t);
        await using var pump = new ClockPump(Host.Clock);
        await using var a = await client.CheckoutAsync("alice", "pc-1");
        var b = await client.CheckoutAsync("bob", "pc-2");
        await using var c = await client.CheckoutAsync("carol", "pc-3");
        await requests.UntilBatchOfAsync([a.SessionId, b.SessionId, c.SessionId]);

        await b.DisposeAsync();

        b.End!.Reason.ShouldBe(LeaseEndReason.Released);
        using var admin = Host.Client(t.AdminKey);
        (await admin.GetJsonAsync($"/v1/sessions/{b.SessionId}")).Str("endReason").ShouldBe("released");
        // Once its heartbeats wound down (a batch in flight at the sign-off may still have carried it), no request names it again.
        await b.Loops.WaitAsync(Wait.Patience);
        var mark = requests.Mark();
        await Wait.UntilAsync(() => requests.BatchesSince(mark).Count >= 3, "three more rounds");
        requests.BatchesSince(mark).ShouldAllBe(batch => batch.Order().SequenceEqual(new[] { a.SessionId, c.SessionId }.Order()));
        requests.SinglesSince(mark).ShouldBeEmpty();
        a.IsActive.ShouldBeTrue(a.End?.ToString());
        c.IsActive.ShouldBeTrue(c.End?.ToString());

        // The last two signed off: their heartbeats wind down too, and no seat is held.
        await a.DisposeAsync();
        await c.DisposeAsync();
        await Task.WhenAll(a.Loops, c.Loops).WaitAsync(Wait.Patience);
        (await admin.GetJsonAsync($"/v1/sessions?licenseId={t.LicenseId}")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task AWholeBatchThatFails_TakesEachLeaseOffline_AndTheyComeBackTogether()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 2, ClientFixture.ShortTtlPolicy(ttlSeconds: 9));
        var requests = new HeartbeatRecorder();
        using var client = Client(requests, t, pushChannel: false);
        await using var pump = new ClockPump(Host.Clock);
        await using var a = await client.CheckoutAsync("alice", "pc-1");
        await using var b = await client.CheckoutAsync("bob", "pc-2");
        await requests.UntilBatchOfAsync([a.SessionId, b.SessionId]);
        var offline = new[] { a, b }.Select(l => Wait.FirstAsync<LeaseConnectivityEventArgs>(h => l.ConnectivityChanged += h)).ToArray();

        requests.FailHeartbeats = HttpStatusCode.ServiceUnavailable; // a proxy in front of the server, say: retries fail too

        foreach (var lost in offline)
            (await lost.OrFailAsync("each lease to notice the server is unavailable")).Online.ShouldBeFalse();
        a.IsOnline.ShouldBeFalse();
        b.IsOnline.ShouldBeFalse();
        requests.BatchAnswers.ShouldContain(HttpStatusCode.ServiceUnavailable); // the failure that took them offline was their batch's
        var online = new[] { a, b }.Select(l => Wait.FirstAsync<LeaseConnectivityEventArgs>(h => l.ConnectivityChanged += h)).ToArray();
        var mark = requests.Mark();
        requests.FailHeartbeats = null;
        foreach (var back in online)
            (await back.OrFailAsync("each lease to reach the server again")).Online.ShouldBeTrue();
        a.IsActive.ShouldBeTrue(a.End?.ToString());
        b.IsActive.ShouldBeTrue(b.End?.ToString());
        await requests.UntilBatchOfAsync([a.SessionId, b.SessionId], since: mark); // retried apart, they meet again in one request
    }

    [Fact]
    public async Task ARevokedKey_EndsEveryLeaseOfTheBatchAsRejected()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 2, ClientFixture.ShortTtlPolicy(ttlSeconds: 5));
        var requests = new HeartbeatRecorder();
        using var client = Client(requests, t, pushChannel: false);
        await using var pump = new ClockPump(Host.Clock);
        await using var a = await client.CheckoutAsync("alice", "pc-1");
        await using var b = await client.CheckoutAsync("bob", "pc-2");
        await requests.UntilBatchOfAsync([a.SessionId, b.SessionId]);
        using var admin = Host.Client(t.AdminKey);
        var keys = (await admin.GetJsonAsync($"/v1/api-keys?tenantId={t.TenantId}")).GetProperty("items");
        var appKeyId = keys.EnumerateArray().Single(k => k.Str("role") == "client").Str("id");

        await admin.DeleteAsync($"/v1/api-keys/{appKeyId}", HttpStatusCode.OK);

        foreach (var lease in new[] { a, b })
        {
            var end = await lease.Ended.OrFailAsync("the lease to learn its key was revoked");
            (end.Reason, end.Code).ShouldBe((LeaseEndReason.Rejected, "unauthorized"));
        }
    }

    [Fact]
    public async Task AnItemRefused_EndsThatLeaseAsItsSingleHeartbeatWould_WhileTheOtherGoesOn()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 2, ClientFixture.ShortTtlPolicy(ttlSeconds: 5));
        var requests = new HeartbeatRecorder();
        using var client = Client(requests, t, pushChannel: false);
        await using var pump = new ClockPump(Host.Clock);
        await using var a = await client.CheckoutAsync("alice", "pc-1");
        await using var b = await client.CheckoutAsync("bob", "pc-2");
        await requests.UntilBatchOfAsync([a.SessionId, b.SessionId]);
        var mark = requests.Mark();

        requests.SpoilTokenOf = b.SessionId; // bob's item carries a token the server does not accept: 403 for that item alone

        var end = await b.Ended.OrFailAsync("bob's lease to learn its item was refused");
        (end.Reason, end.Code).ShouldBe((LeaseEndReason.Rejected, "session_token_invalid"));
        end.Message.ShouldContain("sessionToken");
        requests.BatchesSince(mark).ShouldContain(batch => batch.Contains(b.SessionId));
        await b.Loops.WaitAsync(Wait.Patience);
        var afterEnd = requests.Mark();
        await Wait.UntilAsync(() => requests.SinglesSince(afterEnd).Count(id => id == a.SessionId) >= 3, "alice's next heartbeats, alone now");
        a.IsActive.ShouldBeTrue(a.End?.ToString());
        using var admin = Host.Client(t.AdminKey);
        (await admin.GetJsonAsync($"/v1/sessions/{a.SessionId}")).Str("status").ShouldBe("active");
    }

    [Theory]
    [InlineData("404")]        // what the brief's older server answers
    [InlineData("no_route")]   // what this server answers for a POST to a route it does not have
    public async Task AServerWithoutTheBatchRoute_GetsSingleHeartbeats_AndIsNotAskedAgain(string older)
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 2, ClientFixture.ShortTtlPolicy(ttlSeconds: 5));
        var requests = new HeartbeatRecorder { OlderServer = older };
        using var client = Client(requests, t, pushChannel: false);
        await using var pump = new ClockPump(Host.Clock);
        await using var a = await client.CheckoutAsync("alice", "pc-1");
        await using var b = await client.CheckoutAsync("bob", "pc-2");
        await Wait.UntilAsync(() => requests.BatchesSince(0).Count >= 1, "a batch to be tried");

        // Each lease heartbeats alone from then on, and keeps its session alive past several TTLs.
        var mark = requests.Mark();
        await Wait.UntilAsync(() => pump.Moved > TimeSpan.FromSeconds(16) && requests.SinglesSince(mark).Count >= 10, "rounds of single heartbeats past three TTLs");

        requests.BatchesSince(0).Count.ShouldBe(1);
        requests.BatchAnswers.ShouldHaveSingleItem().ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        requests.SinglesSince(mark).ShouldContain(a.SessionId);
        requests.SinglesSince(mark).ShouldContain(b.SessionId);
        using var admin = Host.Client(t.AdminKey);
        foreach (var lease in new[] { a, b })
        {
            lease.IsActive.ShouldBeTrue(lease.End?.ToString());
            (await admin.GetJsonAsync($"/v1/sessions/{lease.SessionId}")).Str("status").ShouldBe("active");
        }
    }

    [Fact]
    public async Task TwoLeasesOfOneSession_NeverGoInOneBatch()
    {
        // The same idempotency key twice: one session, two Lease objects (the server would refuse a batch naming it twice).
        var t = await ClientFixture.TenancyAsync(Host, seats: 2, ClientFixture.ShortTtlPolicy(ttlSeconds: 5));
        var requests = new HeartbeatRecorder();
        using var client = Client(requests, t, pushChannel: false);
        await using var pump = new ClockPump(Host.Clock);
        var request = new CheckoutRequest { User = "alice", Device = "pc-1", IdempotencyKey = "alice-pc-1-once" };
        await using var first = await client.CheckoutAsync(request);
        await using var again = await client.CheckoutAsync(request);
        await using var other = await client.CheckoutAsync("bob", "pc-2");
        again.SessionId.ShouldBe(first.SessionId);

        await Wait.UntilAsync(() => requests.BatchesSince(0).Count >= 3 && requests.SinglesSince(0).Count(id => id == first.SessionId) >= 3,
            "rounds with the session's second lease beside the batch");

        requests.BatchesSince(0).ShouldAllBe(batch => batch.Distinct().Count() == batch.Count);
        foreach (var lease in new[] { first, again, other })
            lease.IsActive.ShouldBeTrue(lease.End?.ToString());
    }

    private LeaseholdClient Client(HeartbeatRecorder requests, (string TenantId, string LicenseId, string AppKey, string AdminKey) t, bool pushChannel = true)
    {
        var options = ClientFixture.Options(Host, t.AppKey, t.LicenseId);
        options.UsePushChannel = pushChannel;
        return new LeaseholdClient(new HttpClient(requests) { Timeout = Timeout.InfiniteTimeSpan }, options);
    }

    /// <summary>
    /// Records the heartbeats the SDK sends (each batch as the session ids in it, each single heartbeat as its session's id), then
    /// passes them on to the server; it can fail them (as a proxy in front of the server would) or play an older server without them.
    /// </summary>
    private sealed class HeartbeatRecorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly List<(bool Batch, IReadOnlyList<string> Ids)> _sent = [];
        private readonly ConcurrentQueue<HttpStatusCode> _batchAnswers = new();

        /// <summary>The status of each batch's answer, as the SDK got it.</summary>
        public IReadOnlyList<HttpStatusCode> BatchAnswers => [.. _batchAnswers];

        /// <summary>Answer every heartbeat (batched or single) with this status, without passing it on.</summary>
        public HttpStatusCode? FailHeartbeats { get; set; }

        /// <summary>The session whose item in a batch gets a token the server does not accept.</summary>
        public string? SpoilTokenOf { get; set; }

        /// <summary>"404": answer the batch route 404 as an older server; "no_route": send it to a path this server has no route for.</summary>
        public string? OlderServer { get; init; }

        public int Mark()
        {
            lock (_sent)
                return _sent.Count;
        }

        public List<IReadOnlyList<string>> BatchesSince(int mark)
        {
            lock (_sent)
                return [.. _sent.Skip(mark).Where(s => s.Batch).Select(s => s.Ids)];
        }

        public List<string> SinglesSince(int mark)
        {
            lock (_sent)
                return [.. _sent.Skip(mark).Where(s => !s.Batch).Select(s => s.Ids[0])];
        }

        /// <summary>Waits until a batch has carried exactly these sessions (leases checked out together meet in one within a round or two).</summary>
        public Task UntilBatchOfAsync(string[] ids, int since = 0) =>
            Wait.UntilAsync(() => BatchesSince(since).Any(batch => batch.Order().SequenceEqual(ids.Order())), "a batch of all the leases");

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (request.Method == HttpMethod.Post && path == BatchPath)
            {
                var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(ct))!;
                var items = body["sessions"]!.AsArray();
                lock (_sent)
                    _sent.Add((true, [.. items.Select(item => (string)item!["id"]!)]));
                if (SpoilTokenOf is { } spoiled && items.FirstOrDefault(item => (string)item!["id"]! == spoiled) is { } victim)
                {
                    victim["sessionToken"] = "not-this-sessions-token";
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                }
                if (FailHeartbeats is { } status)
                    return Answered(new HttpResponseMessage(status) { RequestMessage = request });
                if (OlderServer == "404")
                    return Answered(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request, Content = new StringContent("", Encoding.UTF8) });
                if (OlderServer == "no_route")
                    request.RequestUri = new Uri(request.RequestUri, "/v1/sessions/heartbeats-of-a-future-version");
                return Answered(await base.SendAsync(request, ct));
            }
            else if (request.Method == HttpMethod.Post && path.StartsWith("/v1/sessions/", StringComparison.Ordinal) && path.EndsWith("/heartbeat", StringComparison.Ordinal))
            {
                lock (_sent)
                    _sent.Add((false, [Uri.UnescapeDataString(path["/v1/sessions/".Length..^"/heartbeat".Length])]));
                if (FailHeartbeats is { } status)
                    return new HttpResponseMessage(status) { RequestMessage = request };
            }
            return await base.SendAsync(request, ct);
        }

        private HttpResponseMessage Answered(HttpResponseMessage response)
        {
            _batchAnswers.Enqueue(response.StatusCode);
            return response;
        }
    }
}
