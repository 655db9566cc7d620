using System.Net;
using Leasehold.Core;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Storage;

/// <summary>
/// The waiting line in the stores (docs/waiting-line.md, "Storage"), below the API that is not wired yet: entries are
/// made by the Core decision through <see cref="ISessionDecisions"/> as the checkout endpoint will make them, and the
/// seats are taken and freed over HTTP. Runs on SQLite here and on PostgreSQL in Leasehold.Server.Tests.Postgres.
/// </summary>
public sealed class WaitingLineStoreTests
{
    private static readonly object LinePolicy = new
    {
        waitingLine = new { enabled = true, offerSeconds = 30, maxWaitSeconds = 3600 },
        clientTypes = new { desktop = new { ttlSeconds = 3600, idleTimeoutSeconds = 0 } },
    };

    [Fact]
    public async Task EntriesWrittenByADecision_AreReadBackInOrder_AfterARestart()
    {
        var data = Path.Combine(Path.GetTempPath(), "leasehold-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            string licenseId;
            await using (var first = await TestHost.StartAsync(data))
            {
                first.KeepData = true;
                var tenancy = await first.CreateTenancyAsync(seats: 1, LinePolicy);
                licenseId = tenancy.LicenseId;
                await tenancy.App.CheckoutAsync(licenseId, "alice");
                (await JoinAsync(first, licenseId, "bob")).Position.ShouldBe(1);
                (await JoinAsync(first, licenseId, "carl")).Position.ShouldBe(2);
                (await JoinAsync(first, licenseId, "dana")).Position.ShouldBe(3);
            }

            await using var second = await TestHost.StartAsync(data);
            var line = await StoredLineAsync(second, licenseId);
            line.Select(e => e.User).ShouldBe(["bob", "carl", "dana"]);
            line.ShouldAllBe(e => e.State == WaitState.Waiting);
            line.Select(e => e.Sequence).ShouldBe([1L, 2L, 3L]);
            // The entry keeps the checkout it stands for, so taking the offer later is that checkout.
            line[0].Request.Device.ShouldBe("pc-bob");
            line[0].Request.SessionId.ShouldBe("ses_wait-bob");
            // The next to join goes behind them, not to a fresh line.
            (await JoinAsync(second, licenseId, "erin")).Position.ShouldBe(4);
        }
        finally
        {
            TestHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task TheEstimate_ComesFromTheSeatsThatFreedInTheLastHour()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        for (var i = 0; i < 4; i++)
        {
            var id = (await tenancy.App.CheckoutAsync(tenancy.LicenseId, $"early-{i}")).Str("id");
            await tenancy.App.SendAsync(HttpMethod.Delete, $"/v1/sessions/{id}", null, HttpStatusCode.NoContent);
        }
        await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice");

        // Four seats freed in the last hour: one every 15 minutes; second in line waits about 30.
        (await JoinAsync(host, tenancy.LicenseId, "bob", turnover: true)).EstimatedWait.ShouldBe(TimeSpan.FromMinutes(15));
        (await JoinAsync(host, tenancy.LicenseId, "carl", turnover: true)).EstimatedWait.ShouldBe(TimeSpan.FromMinutes(30));
        // Without asking, nothing is read: unknown.
        (await JoinAsync(host, tenancy.LicenseId, "dana")).EstimatedWait.ShouldBeNull();
    }

    [Fact]
    public async Task ASignOff_OffersTheFreedSeatToTheHead_InItsOwnTransaction_AndANewcomerIsRefused()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        var alice = (await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice")).Str("id");
        await JoinAsync(host, tenancy.LicenseId, "bob");
        await JoinAsync(host, tenancy.LicenseId, "carl");

        await tenancy.App.SendAsync(HttpMethod.Delete, $"/v1/sessions/{alice}", null, HttpStatusCode.NoContent);

        // As stored by the sign-off itself (read without a walk of its own).
        var line = await StoredLineAsync(host, tenancy.LicenseId);
        line.Select(e => (e.User, e.State)).ShouldBe([("bob", WaitState.Offered), ("carl", WaitState.Waiting)]);
        line[0].OfferExpiresAt.ShouldBe(host.Clock.GetUtcNow().AddSeconds(30));

        // The seat is held for bob: a checkout that did not wait is refused while he may take it.
        await tenancy.App.CheckoutAsync(tenancy.LicenseId, "zoe", HttpStatusCode.Conflict, device: "pc-zoe");

        // Bob takes it: his entry is granted and leaves the line; carl is next, nothing is offered to him (no seat).
        var taken = await TakeAsync(host, tenancy.LicenseId, line[0]);
        taken.ShouldBeOfType<CheckoutResult.Admitted>().Session.Id.ShouldBe("ses_wait-bob");
        (await StoredLineAsync(host, tenancy.LicenseId)).Select(e => (e.User, e.State)).ShouldBe([("carl", WaitState.Waiting)]);
        (await tenancy.Admin.GetJsonAsync("/v1/sessions/ses_wait-bob")).Str("status").ShouldBe("active");
    }

    [Fact]
    public async Task TheReaper_LapsesAnOfferNotTaken_AndPassesTheSeatOn()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        var alice = (await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice")).Str("id");
        await JoinAsync(host, tenancy.LicenseId, "bob");
        await JoinAsync(host, tenancy.LicenseId, "carl");
        await tenancy.App.SendAsync(HttpMethod.Delete, $"/v1/sessions/{alice}", null, HttpStatusCode.NoContent);
        var offeredAt = host.Clock.GetUtcNow();

        host.Clock.Advance(TimeSpan.FromSeconds(31));
        await host.Service<ISessionDecisions>().EndDueSessionsAsync(host.Clock.GetUtcNow(), 100, CancellationToken.None);

        var line = await StoredLineAsync(host, tenancy.LicenseId);
        line.Select(e => (e.User, e.State)).ShouldBe([("carl", WaitState.Offered)]);
        // Bob's offer lapsed when it was due, whoever noticed; the seat passed on when the reaper did.
        line[0].OfferedAt.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(offeredAt.AddSeconds(30));
        var bob = await ReplayAsync(host, tenancy.LicenseId, "bob");
        bob.ShouldNotBeNull().EndReason.ShouldBe(WaitEnd.OfferLapsed);
        bob.EndedAt.ShouldBe(offeredAt.AddSeconds(30));
    }

    /// <summary>
    /// After a restart nothing is in the writer's memory: the reaper finds the entry that stopped heart-beating by its
    /// deadline, and the license of the session it reaps by the table, and offers the freed seat to the next who waits.
    /// </summary>
    [Fact]
    public async Task AfterARestart_TheReaperEndsAnEntryThatStoppedHeartBeating_AndOffersAReapedSessionsSeat()
    {
        var data = Path.Combine(Path.GetTempPath(), "leasehold-test-" + Guid.NewGuid().ToString("N"));
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestHost.Epoch);
        try
        {
            string licenseId, alice;
            await using (var first = await TestHost.StartAsync(data, clock))
            {
                first.KeepData = true;
                var tenancy = await first.CreateTenancyAsync(seats: 1, LinePolicy);
                licenseId = tenancy.LicenseId;
                alice = (await tenancy.App.CheckoutAsync(licenseId, "alice")).Str("id");
                await JoinAsync(first, licenseId, "bob", waitFor: TimeSpan.FromHours(2));
                clock.Advance(TimeSpan.FromMinutes(30));
                await JoinAsync(first, licenseId, "carl", waitFor: TimeSpan.FromHours(2));
            }

            await using var second = await TestHost.StartAsync(data, clock);
            clock.Advance(TimeSpan.FromMinutes(31)); // alice's session and bob's entry: no heartbeat for their hour
            await second.Service<ISessionDecisions>().EndDueSessionsAsync(clock.GetUtcNow(), 100, CancellationToken.None);

            (await StoredLineAsync(second, licenseId)).Select(e => (e.User, e.State)).ShouldBe([("carl", WaitState.Offered)]);
            var bob = (await ReplayAsync(second, licenseId, "bob")).ShouldNotBeNull();
            bob.EndReason.ShouldBe(WaitEnd.Expired);
            bob.EndedAt.ShouldBe(TestHost.Epoch.AddHours(1));
            (await second.Operator.GetJsonAsync($"/v1/sessions/{alice}")).Str("status").ShouldBe("ended");
        }
        finally
        {
            TestHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task ARaiseOfSeats_OffersTheNewSeatToTheHead_AndACheckoutThatDidNotWaitIsRefused()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice");
        await JoinAsync(host, tenancy.LicenseId, "bob");
        await JoinAsync(host, tenancy.LicenseId, "carl");

        await host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{tenancy.LicenseId}", new { seats = 2 }, HttpStatusCode.OK);

        (await StoredLineAsync(host, tenancy.LicenseId)).Select(e => (e.User, e.State))
            .ShouldBe([("bob", WaitState.Offered), ("carl", WaitState.Waiting)]);
        var refused = await tenancy.App.CheckoutAsync(tenancy.LicenseId, "zoe", HttpStatusCode.Conflict, device: "pc-zoe");
        refused.Str("code").ShouldBe(Codes.NoSeatAvailable);
    }

    /// <summary>A checkout that may wait, as the checkout endpoint will make it: its entry is <c>wait_{user}</c>, its session <c>ses_wait-{user}</c>.</summary>
    private static async Task<WaitCheckoutResult.Joined> JoinAsync(TestHost host, string licenseId, string user, bool turnover = false, TimeSpan? waitFor = null)
    {
        var now = host.Clock.GetUtcNow();
        var request = new CheckoutRequest($"ses_wait-{user}", user, $"pc-{user}", "desktop", IdempotencyKey: $"wait-{user}");
        var result = await host.Service<ISessionDecisions>().DecideOnLicenseAsync(new LedgerQuery(licenseId, null, request.IdempotencyKey, Turnover: turnover),
            ledger => WaitingLine.Checkout(ledger, request, new WaitRequest($"wait_{user}", waitFor ?? TimeSpan.FromMinutes(30)), now), CancellationToken.None);
        return result.ShouldBeOfType<WaitCheckoutResult.Joined>();
    }

    /// <summary>Takes the seat held for <paramref name="entry"/>: its own checkout, naming the entry.</summary>
    private static async Task<CheckoutResult?> TakeAsync(TestHost host, string licenseId, WaitEntry entry)
    {
        var now = host.Clock.GetUtcNow();
        return await host.Service<ISessionDecisions>().DecideOnLicenseAsync(new LedgerQuery(licenseId, null),
            ledger => SeatDecision.Checkout(ledger, entry.Request with { WaitId = entry.Id }, now), CancellationToken.None);
    }

    /// <summary>The license's open entries as the store holds them, in line order: no walk runs before they are read.</summary>
    private static async Task<IReadOnlyList<WaitEntry>> StoredLineAsync(TestHost host, string licenseId) =>
        (await host.Service<ISessionDecisions>().DecideOnLicenseAsync(new LedgerQuery(licenseId, null),
            ledger => new Decided<Holder<IReadOnlyList<WaitEntry>>>(new([.. ledger.Line.OrderBy(e => e.Sequence)]), Changes.None),
            CancellationToken.None))!.Value;

    /// <summary>The entry <paramref name="user"/>'s checkout made (by its idempotency key), open or ended.</summary>
    private static async Task<WaitEntry?> ReplayAsync(TestHost host, string licenseId, string user) =>
        (await host.Service<ISessionDecisions>().DecideOnLicenseAsync(new LedgerQuery(licenseId, null, $"wait-{user}"),
            ledger => new Decided<Holder<WaitEntry?>>(new(ledger.WaitReplay ?? ledger.Line.FirstOrDefault(e => e.User == user)), Changes.None),
            CancellationToken.None))!.Value;

    private sealed record Holder<T>(T Value);
}
