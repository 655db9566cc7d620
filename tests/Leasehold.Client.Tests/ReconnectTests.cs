using System.Net;
using System.Text.Json;
using Leasehold.Client.Tests.Support;
using Leasehold.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Leasehold.Client.Tests;

/// <summary>Network trouble: the client keeps its own session through a server restart and a lost answer, and says when it gives up.</summary>
public sealed class ReconnectTests
{
    [Fact]
    public async Task ServerRestart_OnTheSameDataAndPort_GivesTheLeaseItsOwnSessionBack()
    {
        var port = TestHost.FreePort();
        var clock = new FakeTimeProvider(TestHost.Epoch);
        var host = await TestHost.StartAsync(clock: clock, port: port);
        host.KeepData = true;
        var dataDirectory = host.DataDirectory;
        try
        {
            var t = await ClientFixture.TenancyAsync(host, seats: 1, ClientFixture.ShortTtlPolicy(ttlSeconds: 9));
            using var client = new LeaseholdClient(ClientFixture.Options(host, t.AppKey, t.LicenseId));
            await using var pump = new ClockPump(clock);
            await using var lease = await client.CheckoutAsync("alice", "laptop");
            var offline = Wait.FirstAsync<LeaseConnectivityEventArgs>(h => lease.ConnectivityChanged += h);

            // The server goes down (its clock stands still meanwhile, so no TTL runs out while it is away)...
            pump.Paused = true;
            await host.DisposeAsync();
            (await offline.OrFailAsync("the lease to notice the server is gone")).Online.ShouldBeFalse();
            lease.IsOnline.ShouldBeFalse();
            var online = Wait.FirstAsync<LeaseConnectivityEventArgs>(h => lease.ConnectivityChanged += h);

            // ...and comes back on the same data and port.
            host = await TestHost.StartAsync(dataDirectory, clock, port);
            host.KeepData = true;
            pump.Paused = false;
            (await online.OrFailAsync("the lease to reach the server again")).Online.ShouldBeTrue();

            lease.IsActive.ShouldBeTrue(lease.End?.ToString());
            using var admin = host.Client(t.AdminKey);
            var holders = (await admin.GetJsonAsync($"/v1/sessions?licenseId={t.LicenseId}")).GetProperty("items");
            holders.GetArrayLength().ShouldBe(1);
            holders[0].Str("id").ShouldBe(lease.SessionId);

            // The push channel reconnected too: a stop still reaches the application at once.
            await Wait.UntilAsync(() => host.Service<Leasehold.Server.Sessions.Signals.SessionSignals>().Count == 1, "the lease to listen again");
            await admin.PostAsync($"/v1/sessions/{lease.SessionId}/stop", null, HttpStatusCode.OK);
            (await lease.Ended.OrFailAsync("the stop after the restart")).Reason.ShouldBe(LeaseEndReason.Stopped);
        }
        finally
        {
            host.KeepData = false;
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Checkout_WhoseAnswerIsLost_IsRetriedWithTheSameKey_AndHoldsOneSeat()
    {
        await using var host = await TestHost.StartAsync();
        var t = await ClientFixture.TenancyAsync(host, seats: 2);
        using var lossy = new HttpClient(new LoseFirstAnswer { InnerHandler = new HttpClientHandler() }) { Timeout = Timeout.InfiniteTimeSpan };
        var options = ClientFixture.Options(host, t.AppKey, t.LicenseId);
        options.UsePushChannel = false;
        using var client = new LeaseholdClient(lossy, options);

        await using var lease = await client.CheckoutAsync("alice", "laptop");

        using var admin = host.Client(t.AdminKey);
        var holders = (await admin.GetJsonAsync($"/v1/sessions?licenseId={t.LicenseId}")).GetProperty("items");
        holders.GetArrayLength().ShouldBe(1, "the retry took a second seat");
        holders[0].Str("id").ShouldBe(lease.SessionId);
    }

    [Fact]
    public async Task ServerGone_PastTheOfflineGrace_EndsTheLeaseAndTellsTheApplication()
    {
        var host = await TestHost.StartAsync();
        try
        {
            var t = await ClientFixture.TenancyAsync(host, seats: 1, ClientFixture.ShortTtlPolicy(ttlSeconds: 5));
            var options = ClientFixture.Options(host, t.AppKey, t.LicenseId);
            options.OfflineGrace = TimeSpan.FromSeconds(2);
            using var client = new LeaseholdClient(options);
            await using var lease = await client.CheckoutAsync("alice", "laptop");
            var ended = Wait.FirstAsync<LeaseEndedEventArgs>(h => lease.SessionEnded += h);

            await host.DisposeAsync();

            var end = (await ended.OrFailAsync("the offline grace to run out")).End;
            end.Reason.ShouldBe(LeaseEndReason.OfflineGraceExpired);
            lease.EndedToken.IsCancellationRequested.ShouldBeTrue();
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task RevokedKey_EndsTheLeaseAsRejected_AtTheNextHeartbeat()
    {
        await using var host = await TestHost.StartAsync();
        var t = await ClientFixture.TenancyAsync(host, seats: 1, ClientFixture.ShortTtlPolicy(ttlSeconds: 5));
        using var client = new LeaseholdClient(ClientFixture.Options(host, t.AppKey, t.LicenseId));
        await using var pump = new ClockPump(host.Clock);
        await using var lease = await client.CheckoutAsync("alice", "laptop");
        using var admin = host.Client(t.AdminKey);
        var keys = (await admin.GetJsonAsync($"/v1/api-keys?tenantId={t.TenantId}")).GetProperty("items");
        var appKeyId = keys.EnumerateArray().Single(k => k.Str("role") == "client").Str("id");

        await admin.DeleteAsync($"/v1/api-keys/{appKeyId}", HttpStatusCode.OK);

        var end = await lease.Ended.OrFailAsync("the lease to learn its key was revoked");
        end.Reason.ShouldBe(LeaseEndReason.Rejected);
        end.Code.ShouldBe("unauthorized");
    }

    /// <summary>Lets the first checkout reach the server, then drops its answer, as a broken connection would.</summary>
    private sealed class LoseFirstAnswer : DelegatingHandler
    {
        private int _lost;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var response = await base.SendAsync(request, ct);
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/v1/sessions" && Interlocked.Exchange(ref _lost, 1) == 0)
            {
                response.StatusCode.ShouldBe(HttpStatusCode.Created);
                response.Dispose();
                throw new HttpRequestException("The connection was reset (simulated).");
            }
            return response;
        }
    }
}
