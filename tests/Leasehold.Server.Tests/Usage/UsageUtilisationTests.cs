using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Usage;

/// <summary>
/// Average seats and utilisation as a new user reads them (issue 14): for today while it is still going,
/// for seats held across midnight and still held now, and for the 23-hour day of a DST change in the
/// tenant's Europe/Berlin calendar. Hours, days and the period agree on the same seat-time.
/// </summary>
public sealed class UsageUtilisationTests : HostedTests
{
    /// <summary>Seats held without heartbeats for up to two days, so only sign-offs end them.</summary>
    private static readonly object LongSessions = new { seatKey = "session", clientTypes = new { desktop = new { ttlSeconds = 172800, idleTimeoutSeconds = 0 } } };

    [Fact]
    public async Task Today_WhileItIsStillGoing_AveragesTheSeatsHeldSinceTheLicenseWasMade_NotOverHoursToCome()
    {
        // The license is made at 10:00 Berlin time (TestHost.Epoch); alice and bob take two of its three seats at once.
        using var t = await Host.CreateTenancyAsync(3, LongSessions);
        var alice = await t.App.CheckoutAsync(t.LicenseId, "alice");
        await t.App.CheckoutAsync(t.LicenseId, "bob", device: "pc-2");
        Host.Clock.Advance(TimeSpan.FromHours(3));
        await t.App.DeleteAsync($"/v1/sessions/{alice.Str("id")}", HttpStatusCode.NoContent);
        Host.Clock.Advance(TimeSpan.FromHours(1)); // 14:00: bob still holds his seat

        var days = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=day");
        var hours = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=hour");

        // 2 seats for 3 hours and 1 for the fourth: 7 seat-hours in the 4 hours the license has existed.
        var today = days.GetProperty("buckets").EnumerateArray().Last();
        today.GetProperty("start").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(1)));
        (today.Int("peakSeats"), Average(today), Utilisation(today)).ShouldBe((2, 1.75, Math.Round(1.75 / 3, 4)));
        (Average(days), Utilisation(days)).ShouldBe((1.75, Math.Round(1.75 / 3, 4)), "the period is 30 days, but the license is 4 hours old");
        var byHour = hours.GetProperty("buckets").EnumerateArray().TakeLast(5)
            .Select(h => (h.GetProperty("start").GetDateTimeOffset().Hour, h.Int("peakSeats"), Average(h))).ToList();
        byHour.ShouldBe([(10, 2, 2), (11, 2, 2), (12, 2, 2), (13, 1, 1), (14, 0, 0)], "the hour that starts now has nothing observed yet");
        Average(hours).ShouldBe(Average(days), "hours and days of the same seat-time agree");
    }

    [Fact]
    public async Task SeatsHeldAcrossMidnight_AndStillHeldNow_CountInEveryDayTheyWereHeld_OnTheDstDayToo()
    {
        using var t = await Host.CreateTenancyAsync(2, LongSessions);
        var alice = await At(new(2026, 3, 28, 22, 0, 0, TimeSpan.FromHours(1)), () => t.App.CheckoutAsync(t.LicenseId, "alice"));
        // 29 March 2026: clocks go forward at 02:00, so the day has 23 hours.
        await At(new(2026, 3, 29, 9, 0, 0, TimeSpan.FromHours(2)), () => t.App.CheckoutAsync(t.LicenseId, "bob", device: "pc-2"));
        await At(new(2026, 3, 29, 11, 0, 0, TimeSpan.FromHours(2)), () => t.App.DeleteAsync($"/v1/sessions/{alice.Str("id")}", HttpStatusCode.NoContent));
        Host.Clock.SetUtcNow(new(2026, 3, 30, 8, 0, 0, TimeSpan.FromHours(2))); // bob still holds his seat

        var days = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=day&from=2026-03-28&to=2026-03-31");
        var dstHours = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=hour&from=2026-03-29&to=2026-03-30");

        var buckets = days.GetProperty("buckets").EnumerateArray().ToList();
        buckets.Select(d => d.Int("peakSeats")).ShouldBe([1, 2, 1]);
        // 28th: alice 22:00-24:00. 29th (23 h): alice 00:00-11:00 is 10 real hours, bob 09:00-24:00 is 15.
        // 30th: bob from midnight until now, 08:00: the whole observed part of the day.
        buckets.Select(Average).ShouldBe([Math.Round(2.0 / 24, 4), Math.Round(25.0 / 23, 4), 1]);
        buckets.Select(Utilisation).ShouldBe([Math.Round(2.0 / 24 / 2, 4), Math.Round(25.0 / 23 / 2, 4), 0.5]);
        Average(days).ShouldBe(Math.Round(35.0 / (24 + 23 + 8), 4));

        var hours = dstHours.GetProperty("buckets").EnumerateArray().ToList();
        hours.Count.ShouldBe(23);
        hours.Max(h => h.Int("peakSeats")).ShouldBe(buckets[1].Int("peakSeats"));
        hours.Sum(h => h.GetProperty("averageSeats").GetDouble()).ShouldBe(25, 0.001, "each hour's seat-hours add up to the day's");
        Average(dstHours).ShouldBe(Average(buckets[1]));
    }

    private async Task<JsonElement> At(DateTimeOffset at, Func<Task<JsonElement>> call)
    {
        Host.Clock.SetUtcNow(at);
        return await call();
    }

    private static double Average(JsonElement report) => report.GetProperty("averageSeats").GetDouble();

    private static double Utilisation(JsonElement report) => report.GetProperty("utilisation").GetDouble();
}
