using System.Collections.Concurrent;
using System.Net;
using Leasehold.Client.Tests.Support;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Client.Tests;

/// <summary>How a lease ends, as docs/sdk.md promises it: a sign-off that frees the seat in one request, and one order of the end's signals.</summary>
public sealed class LeaseEndTests : HostedTests
{
    [Fact]
    public async Task Dispose_SignsOffInOneRequest_AndTheSeatIsFreeWhenItReturns()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1);
        var requests = new RecordingHandler();
        using var http = new HttpClient(requests) { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new LeaseholdClient(http, ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        var lease = await client.CheckoutAsync("alice", "laptop");
        // The case users hit: the push channel is open when the application signs off.
        await Wait.UntilAsync(() => Host.Service<Leasehold.Server.Sessions.Signals.SessionSignals>().Count == 1, "the lease to listen");
        requests.Clear();

        await lease.DisposeAsync();

        // The seat is free on the server the moment DisposeAsync returns: bob gets the one seat.
        using var app = Host.Client(t.AppKey);
        await app.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Created);
        lease.End!.Reason.ShouldBe(LeaseEndReason.Released);
        lease.Ended.IsCompleted.ShouldBeTrue();
        lease.EndedToken.IsCancellationRequested.ShouldBeTrue();
        // One round trip: the sign-off, and nothing after it once the loops wound down (no heartbeat, no reconnect).
        await lease.Loops.WaitAsync(Wait.Patience);
        requests.Sent.ShouldBe([$"DELETE /v1/sessions/{lease.SessionId}"]);
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("delete")]
    public async Task AnEndTheApplicationDidNotAskFor_RaisesSessionEnded_ThenCancelsTheToken_ThenCompletesTheTask(string how)
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        await using var lease = await client.CheckoutAsync("alice", "laptop");
        var order = new ConcurrentQueue<string>();
        lease.SessionEnded += (_, e) =>
        {
            // In the handler the end is known, but the token and the task have not fired yet.
            order.Enqueue($"SessionEnded({e.End.Code}, End set: {lease.End is not null}, token: {lease.EndedToken.IsCancellationRequested}, task: {lease.Ended.IsCompleted})");
        };
        lease.EndedToken.Register(() => order.Enqueue("EndedToken"));
        var afterEnded = lease.Ended.ContinueWith(_ => order.Enqueue("Ended"), TaskScheduler.Default);
        await Wait.UntilAsync(() => Host.Service<Leasehold.Server.Sessions.Signals.SessionSignals>().Count == 1, "the lease to listen");

        using var admin = Host.Client(t.AdminKey);
        if (how == "stop")
            await admin.PostAsync($"/v1/sessions/{lease.SessionId}/stop", null, HttpStatusCode.OK);
        else
        {
            using var deleted = await admin.DeleteAsync(new Uri($"/v1/sessions/{lease.SessionId}", UriKind.Relative)); // an admin's DELETE is a stop
            deleted.EnsureSuccessStatusCode();
        }

        var end = await lease.Ended.OrFailAsync("the lease to learn of the end");
        await afterEnded.WaitAsync(Wait.Patience);
        end.Reason.ShouldBe(LeaseEndReason.Stopped, how);
        order.ShouldBe(["SessionEnded(stopped, End set: True, token: False, task: False)", "EndedToken", "Ended"]);
        end.EndedAt.ShouldNotBeNull();
    }

    /// <summary>Records each request the SDK sends ("METHOD /path"), then passes it on to the network.</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly ConcurrentQueue<string> _sent = new();

        public IReadOnlyList<string> Sent => [.. _sent];

        public void Clear() => _sent.Clear();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _sent.Enqueue($"{request.Method} {request.RequestUri!.AbsolutePath}");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
