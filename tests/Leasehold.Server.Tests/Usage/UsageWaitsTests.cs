using System.Net;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Usage;

/// <summary>
/// The waiting line in usage reports (docs/waiting-line.md, "Usage events and right-sizing"), read over HTTP. The
/// waits endpoint is not on this branch: entries are made by the Core decision through <see cref="ISessionDecisions"/>
/// as the checkout endpoint will make them (as Storage/WaitingLineStoreTests does), seats are freed over HTTP, so the
/// line offers them, and offers are taken as the take endpoint will. Runs on SQLite here and on PostgreSQL in
/// Leasehold.Server.Tests.Postgres.
/// </summary>
public sealed class UsageWaitsTests
{
    private static readonly object LinePolicy = new
    {
        waitingLine = new { enabled = true, offerSeconds = 60, maxWaitSeconds = 7200 },
        clientTypes = new { desktop = new { ttlSeconds = 7200, idleTimeoutSeconds = 0 } },
    };

    private static readonly DateTimeOffset Nine = TestHost.Epoch; // 2026-03-02 09:00 UTC, 10:00 in the tenant's Berlin

    private const string Period = "from=2026-03-02T09:00:00Z&to=2026-03-02T11:00:00Z";

    /// <summary>
    /// One seat, held for a taker 60 seconds. alice holds it 9:00-9:30; bob waits from 9:10 and takes it at 9:30:30
    /// (20.5 minutes), until an admin stops him at 10:00; carl waits from 9:20 and times out at 9:50; dana waits from 9:45
    /// and takes bob's seat at 10:00:30 (15.5 minutes), until she is stopped at 10:30.
    /// </summary>
    private static async Task<Tenancy> PlayAsync(TestHost host)
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

    [Fact]
    public async Task TheConcurrencyReport_CountsWaitsAndTheirDurations_PerHourAndOverThePeriod()
    {
        await using var host = await TestHost.StartAsync();
        var t = await PlayAsync(host);

        var report = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=hour&{Period}");

        // Started 3, granted bob (20.5 minutes) and dana (15.5), carl gave up: he timed out.
        Waits(report.GetProperty("waits")).ShouldBe((3, 2, 1, 0, 0, 1, 0));
        Seconds(report.GetProperty("waits")).ShouldBe((930.0, 1230.0, 1230.0));
        var hours = report.GetProperty("buckets").EnumerateArray().ToList();
        hours.Count.ShouldBe(2);
        hours[0].Str("start").ShouldBe("2026-03-02T10:00:00+01:00");
        Waits(hours[0].GetProperty("waits")).ShouldBe((3, 1, 1, 0, 0, 1, 0));
        Seconds(hours[0].GetProperty("waits")).ShouldBe((1230.0, 1230.0, 1230.0));
        Waits(hours[1].GetProperty("waits")).ShouldBe((0, 1, 0, 0, 0, 0, 0));
        Seconds(hours[1].GetProperty("waits")).ShouldBe((930.0, 930.0, 930.0));
        // What the report said before waits is unchanged: nobody was refused, one seat was held at a time.
        (report.Int("peakSeats"), report.Int("denials")).ShouldBe((1, 0));

        // A day bucket sums the same waits; a license without a line shows zeros and no durations.
        var day = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=day&from=2026-03-02&to=2026-03-03");
        Waits(day.GetProperty("buckets")[0].GetProperty("waits")).ShouldBe((3, 2, 1, 0, 0, 1, 0));
        var plain = await host.CreateTenancyAsync(seats: 1);
        var none = (await plain.Admin.GetJsonAsync($"/v1/usage/licenses/{plain.LicenseId}/concurrency?bucket=hour&{Period}")).GetProperty("waits");
        Waits(none).ShouldBe((0, 0, 0, 0, 0, 0, 0));
        none.GetProperty("waitSeconds").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    /// <summary>
    /// Replayed with the line's rule (an offer taken at once): with one seat bob waits 20 minutes, carl gives up after
    /// 30 (a refusal), dana waits 14.5; with two, carl waits 10 and the others not at all; with three, nobody waits.
    /// </summary>
    [Fact]
    public async Task RightSizing_ReplaysWaitsAsDemand_AndMaxWaitMinutesBoundsTheWaits()
    {
        await using var host = await TestHost.StartAsync();
        var t = await PlayAsync(host);
        var url = $"/v1/usage/licenses/{t.LicenseId}/right-size?{Period}";

        var sized = await t.Admin.GetJsonAsync(url);
        (sized.Int("recommendedSeats"), sized.Int("currentSeats"), sized.Int("refusalsAtCurrent"), sized.Int("waits")).ShouldBe((2, 1, 1, 3));
        Minutes(sized, "longestWaitMinutesAtCurrent", "longestWaitMinutesWithOneMore", "longestWaitMinutesAtRecommended").ShouldBe([30, 10, 10]);
        sized.GetProperty("maxWaitMinutes").ValueKind.ShouldBe(JsonValueKind.Null);
        sized.GetProperty("waitsOverMaxWaitAtCurrent").ValueKind.ShouldBe(JsonValueKind.Null);

        // "With how many seats would nobody have waited more than 5 minutes?"
        var strict = await t.Admin.GetJsonAsync(url + "&maxWaitMinutes=5");
        (strict.Int("recommendedSeats"), strict.Int("maxWaitMinutes"), strict.Int("peakDemand")).ShouldBe((3, 5, 3));
        (strict.Int("waitsOverMaxWaitAtRecommended"), strict.Int("waitsOverMaxWaitAtCurrent")).ShouldBe((0, 3));
        (await t.Admin.GetJsonAsync(url + "&maxWaitMinutes=10&maxRefusals=1")).Int("recommendedSeats").ShouldBe(2);

        var whatIf = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/what-if?seats=2&{Period}");
        (whatIf.Int("refusals"), whatIf.Int("waits")).ShouldBe((0, 3));
        whatIf.GetProperty("longestWaitMinutes").GetDouble().ShouldBe(10);

        foreach (var bad in new[] { "abc", "-1", "1441", "2.5" })
        {
            await t.Admin.ShouldFailAsync(HttpMethod.Get, url + "&maxWaitMinutes=" + bad, null, HttpStatusCode.BadRequest, "invalid_request", "maxWaitMinutes");
        }
    }

    private static (int, int, int, int, int, int, int) Waits(JsonElement w) => (w.Int("started"), w.Int("granted"), w.Int("givenUp"),
        w.Int("left"), w.Int("expired"), w.Int("timedOut"), w.Int("offerLapsed"));

    private static (double, double, double) Seconds(JsonElement w)
    {
        var s = w.GetProperty("waitSeconds");
        return (s.GetProperty("p50").GetDouble(), s.GetProperty("p95").GetDouble(), s.GetProperty("max").GetDouble());
    }

    private static double[] Minutes(JsonElement e, params string[] names) => [.. names.Select(n => e.GetProperty(n).GetDouble())];

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
