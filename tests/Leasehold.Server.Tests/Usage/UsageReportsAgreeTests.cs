using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Usage;

/// <summary>
/// Every report counts the same events the same way (issue 14): a refused checkout is a denial
/// everywhere, and one refused for want of a seat is the refusal that limit warnings and what-if
/// count; a failed pass/fail check is a failed check, never a refusal. Times the reports give, in
/// fields and in the warning's text, are in the tenant's Europe/Berlin time with its offset.
/// </summary>
public sealed class UsageReportsAgreeTests : HostedTests
{
    private static readonly DateTimeOffset Tuesday = UsageStory.Tuesday;

    private static readonly object Policy = UsageStory.Policy;

    [Fact]
    public async Task DenialsConcurrencyLimitWarningsAndWhatIf_CountTheSameEvents_AndAFailedCheckIsNeverARefusal()
    {
        using var t = await Host.CreateTenancyAsync(1, Policy);
        await PlayTuesdayAsync(t);
        Host.Clock.SetUtcNow(Tuesday.AddDays(1).AddHours(12));
        var period = "from=2026-03-03&to=2026-03-04";

        var denials = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/denials?{period}");
        var day = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=day&{period}");
        var hours = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=hour&{period}");
        var warnings = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/limit-warnings?{period}");
        var whatIf = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/what-if?seats=1&{period}");

        // For want of a seat: the two no_seat_available refusals, not mia's failed checks (one of them no_seat_available too).
        warnings.GetProperty("refusals").Int("count").ShouldBe(2);
        whatIf.Int("refusalsInHistory").ShouldBe(2);
        denials.GetProperty("breakdown").EnumerateArray()
            .Where(b => b.Str("kind") == "denied" && b.Str("code") == "no_seat_available").Sum(b => b.Int("count")).ShouldBe(2);

        // Refused checkouts: bob and carol for want of a seat, dave because the license had not started.
        (denials.Int("denials"), denials.Int("failedChecks")).ShouldBe((3, 2));
        (day.Int("denials"), day.Int("failedChecks")).ShouldBe((3, 2));
        day.GetProperty("buckets").EnumerateArray().Select(d => (d.Int("denials"), d.Int("failedChecks"))).ShouldBe([(3, 2)]);
        var byHour = hours.GetProperty("buckets").EnumerateArray().ToList();
        (byHour.Sum(h => h.Int("denials")), byHour.Sum(h => h.Int("failedChecks"))).ShouldBe((3, 2));
        (hours.Int("denials"), hours.Int("failedChecks")).ShouldBe((3, 2));
        denials.GetProperty("denialsByCode").Deserialize<Dictionary<string, int>>()
            .ShouldBe(new Dictionary<string, int> { ["license_not_started"] = 1, ["no_seat_available"] = 2 });
        denials.GetProperty("breakdown").EnumerateArray().Where(b => b.Str("kind") == "checked").Sum(b => b.Int("count"))
            .ShouldBe(denials.Int("failedChecks"));
    }

    [Fact]
    public async Task LimitWarnings_GiveTimesInTheTenantsZone_InTheirFieldsAndTheirText()
    {
        using var t = await Host.CreateTenancyAsync(1, Policy);
        await PlayTuesdayAsync(t);
        Host.Clock.SetUtcNow(Tuesday.AddDays(1).AddHours(12));

        var warnings = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/limit-warnings?from=2026-03-03&to=2026-03-04");
        var denials = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/denials?from=2026-03-03&to=2026-03-04");
        var whatIf = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/what-if?seats=1&from=2026-03-03&to=2026-03-04");

        warnings.Str("warning").ShouldBe("Users were refused a seat 2 time(s) in this period (last 2026-03-03 09:30 (UTC+01:00, Europe/Berlin)). Consider more seats.");
        warnings.GetProperty("refusals").Str("first").ShouldBe("2026-03-03T09:10:00+01:00");
        warnings.GetProperty("refusals").Str("last").ShouldBe("2026-03-03T09:30:00+01:00");
        denials.GetProperty("breakdown").EnumerateArray().ShouldAllBe(b => b.Str("first").EndsWith("+01:00") && b.Str("last").EndsWith("+01:00"));
        (whatIf.Str("from"), whatIf.Str("to")).ShouldBe(("2026-03-03T00:00:00+01:00", "2026-03-04T00:00:00+01:00"));
    }

    [Fact]
    public async Task SoftLimitWarning_SaysWhenTheLicenseWentOver_InTheTenantsZone()
    {
        using var t = await Host.CreateTenancyAsync(1, new { limit = new { mode = "soft" } });
        await t.App.CheckoutAsync(t.LicenseId, "alice"); // 10:00 in Berlin (TestHost.Epoch)
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        await t.App.CheckoutAsync(t.LicenseId, "bob", device: "pc-2");

        var warnings = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/limit-warnings");

        warnings.Str("warning").ShouldContain("(last 2026-03-02 10:01 (UTC+01:00, Europe/Berlin))");
        warnings.GetProperty("overLimit").Str("last").ShouldBe("2026-03-02T10:01:00+01:00");
    }

    /// <summary>
    /// One seat. 09:00 alice holds it; 09:10 bob (desktop) is refused; 09:20 mia's mobile check fails;
    /// 09:30 carol (web) is refused; 10:00 alice signs off; then the operator moves the license's start to
    /// the next day, so dave's checkout at 10:10 and mia's check at 10:15 fail as license_not_started.
    /// </summary>
    private async Task PlayTuesdayAsync(Tenancy t)
    {
        var alice = await At(9, 0, () => t.App.CheckoutAsync(t.LicenseId, "alice"));
        await At(9, 10, () => t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict, device: "pc-2"));
        (await At(9, 20, () => Check(t))).Str("code").ShouldBe("no_seat_available");
        await At(9, 30, () => t.App.CheckoutAsync(t.LicenseId, "carol", HttpStatusCode.Conflict, device: "pc-3", kind: "web"));
        await At(10, 0, () => t.App.DeleteAsync($"/v1/sessions/{alice.Str("id")}", HttpStatusCode.NoContent));
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { startsAt = Tuesday.AddDays(1) }, HttpStatusCode.OK);
        (await At(10, 10, () => t.App.CheckoutAsync(t.LicenseId, "dave", HttpStatusCode.Conflict, device: "pc-4"))).Str("code").ShouldBe("license_not_started");
        (await At(10, 15, () => Check(t))).Str("code").ShouldBe("license_not_started");
    }

    private static Task<JsonElement> Check(Tenancy t) =>
        t.App.PostAsync("/v1/checks", new { licenseId = t.LicenseId, user = "mia", client = "mobile" }, HttpStatusCode.OK);

    private Task<JsonElement> At(int hour, int minute, Func<Task<JsonElement>> call)
    {
        Host.Clock.SetUtcNow(Tuesday.AddHours(hour).AddMinutes(minute));
        return call();
    }
}
