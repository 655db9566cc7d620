using System.Net;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;
using Leasehold.Server.Storage;

using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Usage;

/// <summary>
/// A morning on a one-seat license with a waiting line, for the reports on waits (here and on PostgreSQL).
/// The waits endpoint is not wired yet: entries are made by the Core decision through <see cref="ISessionDecisions"/>
/// as the checkout endpoint will make them (as Storage/WaitingLineStoreTests does), seats are freed over HTTP so the
/// line offers them, and offers are taken as the take endpoint will take them.
/// </summary>
internal static class WaitStory
{
    private static readonly object LinePolicy = new
    {
        waitingLine = new { enabled = true, offerSeconds = 60, maxWaitSeconds = 7200 },
        clientTypes = new { desktop = new { ttlSeconds = 7200, idleTimeoutSeconds = 0 } },
    };

    public static readonly DateTimeOffset Nine = TestHost.Epoch; // 2026-03-02 09:00 UTC, 10:00 in the tenant's Berlin

    public const string Period = "from=2026-03-02T09:00:00Z&to=2026-03-02T11:00:00Z";

    /// <summary>
    /// One seat, held for a taker 60 seconds. alice holds it 9:00-9:30; bob waits from 9:10 and takes it at 9:30:30
    /// (20.5 minutes), until an admin stops him at 10:00; carl waits from 9:20 and times out at 9:50; dana waits from 9:45
    /// and takes bob's seat at 10:00:30 (15.5 minutes), until she is stopped at 10:30.
    /// </summary>
    public static async Task<Tenancy> PlayAsync(TestHost host)
    {
        var t = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice", device: "pc-alice")).Str("id");
        await At(host, 10, () => JoinAsync(host, t.LicenseId, "bob", TimeSpan.FromHours(2)));
        await At(host, 20, () => JoinAsync(host, t.LicenseId, "carl", TimeSpan.FromMinutes(30)));
        await At(host, 30, () => t.App.DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent));
        await At(host, 30.5, () => TakeAsync(host, t.LicenseId, "bob"));
        await At(host, 45, () => JoinAsync(host, t.LicenseId, "dana", TimeSpan.FromHours(2)));
        await At(host, 51, () => host.Service<ISessionDecisions>().EndDueSessionsAsync(host.Clock.GetUtcNow(), 100, CancellationToken.None));
        await At(host, 60, () => t.Admin.PostAsync("/v1/sessions/ses_wait-bob/stop", new { coolDownMinutes = 0 }, HttpStatusCode.OK));
        await At(host, 60.5, () => TakeAsync(host, t.LicenseId, "dana"));
        await At(host, 90, () => t.Admin.PostAsync("/v1/sessions/ses_wait-dana/stop", new { coolDownMinutes = 0 }, HttpStatusCode.OK));
        host.Clock.SetUtcNow(Nine.AddHours(3));
        return t;
    }

    private static async Task At(TestHost host, double minutes, Func<Task> act)
    {
        host.Clock.SetUtcNow(Nine.AddMinutes(minutes));
        await act();
    }

    /// <summary>A checkout that may wait, as the checkout endpoint will make it: its entry is <c>wait_{user}</c>, its session <c>ses_wait-{user}</c>.</summary>
    private static async Task JoinAsync(TestHost host, string licenseId, string user, TimeSpan waitFor)
    {
        var now = host.Clock.GetUtcNow();
        var request = new CheckoutRequest($"ses_wait-{user}", user, $"pc-{user}", "desktop", IdempotencyKey: $"wait-{user}");
        var result = await host.Service<ISessionDecisions>().DecideOnLicenseAsync(new LedgerQuery(licenseId, null, request.IdempotencyKey),
            ledger => WaitingLine.Checkout(ledger, request, new WaitRequest($"wait_{user}", waitFor), now), CancellationToken.None);
        result.ShouldBeOfType<WaitCheckoutResult.Joined>();
    }

    /// <summary>Takes the seat held for <paramref name="user"/>'s entry, as the take endpoint will: its own checkout, naming the entry.</summary>
    private static async Task TakeAsync(TestHost host, string licenseId, string user)
    {
        var now = host.Clock.GetUtcNow();
        var taken = await host.Service<ISessionDecisions>().DecideOnLicenseAsync(new LedgerQuery(licenseId, null),
            ledger => ledger.Line.SingleOrDefault(e => e.User == user) is { State: WaitState.Offered } entry
                ? SeatDecision.Checkout(ledger, entry.Request with { WaitId = entry.Id }, now)
                : throw new InvalidOperationException($"No seat is held for {user}: " + string.Join(", ", ledger.Line.Select(e => $"{e.User} {e.State}"))), CancellationToken.None);
        taken.ShouldBeOfType<CheckoutResult.Admitted>();
    }
}
