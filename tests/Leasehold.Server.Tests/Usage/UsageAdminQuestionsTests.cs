using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Usage;

/// <summary>
/// The questions of issue 5, answered through the HTTP API after a day of real checkouts (fake clock):
/// who was using seats at 10:00 last Tuesday, how often people were refused this month and on which
/// client types, the daily peak, and how many seats to buy.
/// </summary>
public sealed class UsageAdminQuestionsTests : HostedTests
{
    private static readonly DateTimeOffset Tuesday = UsageStory.Tuesday;

    private static readonly object Policy = UsageStory.Policy;

    private Tenancy _t = null!;

    protected override async Task GivenAsync()
    {
        _t = await Host.CreateTenancyAsync(2, Policy);
        await PlayTuesdayAsync();
        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 9, 12, 0, 0, TimeSpan.Zero)); // the Monday after
    }

    public override async Task DisposeAsync()
    {
        _t?.Dispose(); // null when the setup failed part way
        await base.DisposeAsync();
    }

    /// <summary>
    /// 09:30 alice (desktop) and 09:45 bob (web) take both seats; carol is refused at 09:50 (desktop)
    /// and 09:55 (web), mia's mobile check fails at 09:56; alice signs off at 10:30, carol gets in
    /// at 10:40; an admin stops bob at 11:00; carol signs off at 12:00 (all Berlin time).
    /// </summary>
    private async Task PlayTuesdayAsync()
    {
        var alice = await At(9, 30, () => _t.App.CheckoutAsync(_t.LicenseId, "alice", device: "pc-1"));
        var bob = await At(9, 45, () => _t.App.CheckoutAsync(_t.LicenseId, "bob", device: "laptop", kind: "web"));
        await At(9, 50, () => _t.App.CheckoutAsync(_t.LicenseId, "carol", HttpStatusCode.Conflict, device: "pc-3"));
        await At(9, 55, () => _t.App.CheckoutAsync(_t.LicenseId, "carol", HttpStatusCode.Conflict, device: "pc-3", kind: "web"));
        var check = await At(9, 56, () => _t.App.PostAsync("/v1/checks", new { licenseId = _t.LicenseId, user = "mia", client = "mobile" }, HttpStatusCode.OK));
        check.GetProperty("pass").GetBoolean().ShouldBeFalse();
        await At(10, 30, () => _t.App.DeleteAsync($"/v1/sessions/{alice.Str("id")}", HttpStatusCode.NoContent));
        var carol = await At(10, 40, () => _t.App.CheckoutAsync(_t.LicenseId, "carol", device: "pc-3"));
        await At(11, 0, () => _t.Admin.PostAsync($"/v1/sessions/{bob.Str("id")}/stop", null, HttpStatusCode.OK));
        await At(12, 0, () => _t.App.DeleteAsync($"/v1/sessions/{carol.Str("id")}", HttpStatusCode.NoContent));
    }

    private Task<JsonElement> At(int hour, int minute, Func<Task<JsonElement>> call)
    {
        Host.Clock.SetUtcNow(Tuesday.AddHours(hour).AddMinutes(minute));
        return call();
    }

    [Fact]
    public async Task WhoWasUsingSeats_AtTenLastTuesday()
    {
        var holders = await _t.Admin.GetJsonAsync($"/v1/usage/licenses/{_t.LicenseId}/holders?at=2026-03-03T10:00");

        holders.GetProperty("at").GetDateTimeOffset().ShouldBe(Tuesday.AddHours(10));
        holders.Int("seatsInUse").ShouldBe(2);
        holders.GetProperty("holders").EnumerateArray().Select(h => (h.Str("user"), h.Str("client"), h.Str("device")))
            .ShouldBe([("alice", "desktop", "pc-1"), ("bob", "web", "laptop")]);
        var later = await _t.Admin.GetJsonAsync($"/v1/usage/licenses/{_t.LicenseId}/holders?at=2026-03-03T10:30:00%2B01:00");
        later.GetProperty("holders").EnumerateArray().Select(h => h.Str("user")).ShouldBe(["bob"], "alice signed off at 10:30 exactly");
    }

    [Fact]
    public async Task HowOftenPeopleWereRefused_ThisMonth_AndOnWhichClientTypes()
    {
        var denials = await _t.Admin.GetJsonAsync($"/v1/usage/licenses/{_t.LicenseId}/denials?from=2026-03-01&to=2026-04-01");

        denials.Int("denials").ShouldBe(2);
        denials.Int("failedChecks").ShouldBe(1);
        denials.GetProperty("denialsByClient").Deserialize<Dictionary<string, int>>().ShouldBe(new Dictionary<string, int> { ["desktop"] = 1, ["web"] = 1 });
        denials.GetProperty("denialsByCode").Deserialize<Dictionary<string, int>>().ShouldBe(new Dictionary<string, int> { ["no_seat_available"] = 2 });
        denials.GetProperty("breakdown").EnumerateArray().Select(b => b.Str("client")).Order().ShouldBe(["desktop", "mobile", "web"]);

        var refusedWeb = await _t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={_t.LicenseId}&kind=denied&client=web&from=2026-03-01");
        var only = refusedWeb.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        (only.Str("user"), only.Str("code"), only.Int("seatsInUse"), only.Int("seatLimit")).ShouldBe(("carol", "no_seat_available", 2, 2));
        only.GetProperty("at").GetDateTimeOffset().ShouldBe(Tuesday.AddHours(9).AddMinutes(55));
    }

    [Fact]
    public async Task DailyPeak_AndUtilisation_InTheTenantsCalendar()
    {
        var report = await _t.Admin.GetJsonAsync($"/v1/usage/licenses/{_t.LicenseId}/concurrency?bucket=day&from=2026-03-02&to=2026-03-05");

        var days = report.GetProperty("buckets").EnumerateArray().ToList();
        days.Select(d => d.GetProperty("start").GetDateTimeOffset()).ShouldBe([Tuesday.AddDays(-1), Tuesday, Tuesday.AddDays(1)]);
        days.Select(d => d.Int("peakSeats")).ShouldBe([0, 2, 0]);
        days.Select(d => d.Int("peakSessions")).ShouldBe([0, 2, 0]);
        days.Select(d => d.Int("denials")).ShouldBe([0, 2, 0]);
        days[1].Int("failedChecks").ShouldBe(1);
        // alice 60 min + bob 75 min + carol 80 min of a 1440-minute day, over 2 seats.
        days[1].GetProperty("averageSeats").GetDouble().ShouldBe(Math.Round(215.0 / 1440, 4));
        days[1].GetProperty("utilisation").GetDouble().ShouldBe(Math.Round(215.0 / 1440 / 2, 4));
        report.Int("peakSeats").ShouldBe(2);
        report.Str("timeZone").ShouldBe("Europe/Berlin");

        var hours = await _t.Admin.GetJsonAsync($"/v1/usage/licenses/{_t.LicenseId}/concurrency?bucket=hour&from=2026-03-03T09:00&to=2026-03-03T13:00");
        hours.GetProperty("buckets").EnumerateArray().Select(h => (h.Int("peakSeats"), h.Int("denials"))).ShouldBe([(2, 2), (2, 0), (1, 0), (0, 0)]);
    }

    [Fact]
    public async Task HowManySeatsToBuy_AndWhatIf()
    {
        var period = "from=2026-03-03&to=2026-03-04";

        var none = await _t.Admin.GetJsonAsync($"/v1/usage/licenses/{_t.LicenseId}/right-size?{period}&maxRefusals=0");
        var one = await _t.Admin.GetJsonAsync($"/v1/usage/licenses/{_t.LicenseId}/right-size?{period}&maxRefusals=1");
        var three = await _t.Admin.GetJsonAsync($"/v1/usage/licenses/{_t.LicenseId}/what-if?{period}&seats=3");

        // Sessions lasted 60, 75 and 80 minutes: a refusal a larger count admits is taken to stay 75.
        // With 3 seats carol's 09:50 attempt gets in and holds a seat until 11:05, so her 09:55 one is still refused.
        (none.Int("recommendedSeats"), none.Int("currentSeats"), none.Int("peakDemand"), none.Int("refusalsAtCurrent")).ShouldBe((4, 2, 4, 2));
        none.GetProperty("assumedSessionMinutes").GetDouble().ShouldBe(75);
        one.Int("recommendedSeats").ShouldBe(3);
        (three.Int("refusals"), three.Int("attempts"), three.Int("refusalsInHistory")).ShouldBe((1, 5, 2));
        // Demand is 4 seats from 09:55 until alice left at 10:30, and again from carol's 10:40 until bob's stop at 11:00.
        three.GetProperty("overageMinutes").GetDouble().ShouldBe(55);
    }

    [Fact]
    public async Task LimitWarnings_ShowWhenAHardLicenseRefused_AndTheIdleHolders()
    {
        var warnings = await _t.Admin.GetJsonAsync($"/v1/usage/licenses/{_t.LicenseId}/limit-warnings?from=2026-03-01&to=2026-04-01");

        (warnings.Str("limitMode"), warnings.GetProperty("refused").GetBoolean(), warnings.GetProperty("exceeded").GetBoolean()).ShouldBe(("hard", true, false));
        warnings.GetProperty("refusals").Int("count").ShouldBe(2, "two refused checkouts; mia's failed check refused no checkout");
        warnings.GetProperty("refusals").GetProperty("first").GetDateTimeOffset().ShouldBe(Tuesday.AddHours(9).AddMinutes(50));
        warnings.GetProperty("refusals").GetProperty("last").GetDateTimeOffset().ShouldBe(Tuesday.AddHours(9).AddMinutes(55));
        warnings.Str("warning").ShouldContain("refused a seat 2 time(s)");

        // Nobody heartbeated: each held its seat idle from checkout to its end.
        var idle = await _t.Admin.GetJsonAsync($"/v1/usage/licenses/{_t.LicenseId}/idle-holders?from=2026-03-01&to=2026-04-01");
        idle.GetProperty("holders").EnumerateArray().Select(h => (h.Str("user"), h.GetProperty("idleMinutes").GetDouble()))
            .ShouldBe([("carol", 80), ("bob", 75), ("alice", 60)]);
    }

    [Fact]
    public async Task History_RecordsWhoStoppedWhat_AndPagesWithoutGapsOrRepeats()
    {
        var all = await _t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={_t.LicenseId}&limit=1000");
        var stopped = all.GetProperty("items").EnumerateArray().Single(e => e.Str("code") == "stopped");
        stopped.Str("user").ShouldBe("bob");
        stopped.Str("actor").ShouldStartWith("key_");
        all.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);

        var paged = new List<long>();
        string? cursor = null;
        do
        {
            var page = await _t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={_t.LicenseId}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            page.GetProperty("items").GetArrayLength().ShouldBeLessThanOrEqualTo(2);
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        paged.ShouldBe(all.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList());
        paged.Count.ShouldBe(9); // 3 admitted, 2 denied, 1 check, 3 ended
    }
}
