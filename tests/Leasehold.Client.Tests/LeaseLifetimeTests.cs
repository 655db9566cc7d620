using System.Net;
using Leasehold.Client.Tests.Support;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Client.Tests;

/// <summary>A lease against a real server: it holds its seat while it lives and frees it when disposed.</summary>
public sealed class LeaseLifetimeTests : HostedTests
{
    [Fact]
    public async Task HeartbeatLoop_KeepsTheSeatPastSeveralTtls()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1, ClientFixture.ShortTtlPolicy(ttlSeconds: 5));
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        await using var pump = new ClockPump(Host.Clock);
        await using var lease = await client.CheckoutAsync("alice", "laptop");
        lease.Session.HeartbeatIntervalSeconds.ShouldBe(1);

        // Server time passes three TTLs (and the reaper runs every 5 s of it) while the client heartbeats by itself.
        await Wait.UntilAsync(() => pump.Moved > TimeSpan.FromSeconds(16), "three TTLs of server time");

        lease.IsActive.ShouldBeTrue(lease.End?.ToString());
        using var admin = Host.Client(t.AdminKey);
        var session = await admin.GetJsonAsync($"/v1/sessions/{lease.SessionId}");
        session.Str("status").ShouldBe("active");
        session.GetProperty("lastHeartbeatAt").GetDateTimeOffset().ShouldBeGreaterThan(TestHost.Epoch.AddSeconds(10));
        using var app = Host.Client(t.AppKey);
        await app.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict); // the one seat is still alice's
    }

    [Fact]
    public async Task Dispose_SignsOffAndFreesTheSeat_WithoutRaisingSessionEnded()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        var lease = await client.CheckoutAsync("alice", "laptop");
        var raised = false;
        lease.SessionEnded += (_, _) => raised = true;

        await lease.DisposeAsync();

        lease.End!.Reason.ShouldBe(LeaseEndReason.Released);
        lease.EndedToken.IsCancellationRequested.ShouldBeTrue();
        using var admin = Host.Client(t.AdminKey);
        var session = await admin.GetJsonAsync($"/v1/sessions/{lease.SessionId}");
        session.Str("endReason").ShouldBe("released");
        await using var next = await client.CheckoutAsync("bob", "pc-2"); // the seat is free again
        next.IsActive.ShouldBeTrue();
        raised.ShouldBeFalse();
    }

    [Fact]
    public async Task Checkout_WhenNoSeatIsFree_ThrowsWithTheClientTypesMessage()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        await using var first = await client.CheckoutAsync("alice", "laptop");

        var denied = await Should.ThrowAsync<SeatDeniedException>(() => client.CheckoutAsync("bob", "pc-2"));

        denied.Status.ShouldBe(409);
        denied.Code.ShouldBe("no_seat_available");
        denied.UserMessage.ShouldStartWith("All licenses are in use.");
        denied.SeatsInUse.ShouldBe(1);
        denied.SeatLimit.ShouldBe(1);
        denied.TraceId.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Checkout_OfAnUnknownClientType_ThrowsWithTheFieldAtFault()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));

        var error = await Should.ThrowAsync<LeaseholdException>(() =>
            client.CheckoutAsync(new CheckoutRequest { User = "alice", Device = "laptop", Client = "toaster" }));

        error.Status.ShouldBe(400);
        error.Code.ShouldBe("unknown_client_type");
        error.Field.ShouldBe("client");
        error.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public async Task Check_PassesWhileASeatIsFree_AndFailsWithTheMessageWhenNot()
    {
        var t = await ClientFixture.TenancyAsync(Host, seats: 1);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));

        (await client.CheckAsync("mia")).Pass.ShouldBeTrue();
        await using var lease = await client.CheckoutAsync("alice", "laptop");
        var failed = await client.CheckAsync("mia");

        failed.Pass.ShouldBeFalse();
        failed.Code.ShouldBe("no_seat_available");
        failed.SeatsInUse.ShouldBe(1);
    }

    [Fact]
    public async Task Lease_OverASoftLimit_CarriesTheHomeScreenWarning()
    {
        var policy = new
        {
            limit = new { mode = "soft", warningMessage = "Over the limit: ask for more seats." },
            clientTypes = new { desktop = new { ttlSeconds = 5 } },
        };
        var t = await ClientFixture.TenancyAsync(Host, seats: 1, policy);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        await using var first = await client.CheckoutAsync("alice", "laptop");

        await using var over = await client.CheckoutAsync("bob", "pc-2");

        first.Warnings.ShouldBeEmpty();
        var warning = new LeaseWarning("over_limit", "Over the limit: ask for more seats.");
        over.Warnings.ShouldHaveSingleItem().ShouldBe(warning);
        // Heartbeat answers do not judge the limit again: the overage said at checkout stays on the home screen.
        await using var pump = new ClockPump(Host.Clock);
        var checkedOutAt = over.Session.LastHeartbeatAt;
        await Wait.UntilAsync(() => over.Session.LastHeartbeatAt > checkedOutAt, "a heartbeat");
        over.Warnings.ShouldHaveSingleItem().ShouldBe(warning);
    }

    [Fact]
    public async Task ReportActivity_KeepsTheUserFromGoingIdle_WhileSilenceEndsTheSessionAsIdle()
    {
        var policy = new { clientTypes = new { desktop = new { ttlSeconds = 6, idleTimeoutSeconds = 5 } } };
        var t = await ClientFixture.TenancyAsync(Host, seats: 2, policy);
        using var client = new LeaseholdClient(ClientFixture.Options(Host, t.AppKey, t.LicenseId));
        await using var pump = new ClockPump(Host.Clock);
        await using var busy = await client.CheckoutAsync("busy", "pc-1");
        await using var silent = await client.CheckoutAsync("silent", "pc-2");
        using var typing = new CancellationTokenSource();
        var typist = Task.Run(async () =>
        {
            while (!typing.IsCancellationRequested)
            {
                busy.ReportActivity();
                await Task.Delay(200);
            }
        });

        var end = await silent.Ended.OrFailAsync("the silent user's session to end as idle");
        await typing.CancelAsync();
        await typist;

        end.Reason.ShouldBe(LeaseEndReason.Idle);
        busy.IsActive.ShouldBeTrue(busy.End?.ToString());
    }
}
