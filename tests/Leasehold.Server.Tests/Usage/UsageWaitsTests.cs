using System.Net;
using System.Text.Json;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Usage;

/// <summary>
/// The waiting line in usage reports (docs/waiting-line.md, "Usage events and right-sizing"), read over HTTP after
/// <see cref="WaitStory"/> (entries made through <see cref="ISessionDecisions"/>, seats freed over HTTP). Runs on SQLite
/// here and on PostgreSQL in Leasehold.Server.Tests.Postgres.
/// </summary>
public sealed class UsageWaitsTests
{
    private const string Period = WaitStory.Period;

    private static Task<Tenancy> PlayAsync(TestHost host) => WaitStory.PlayAsync(host);

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
}
