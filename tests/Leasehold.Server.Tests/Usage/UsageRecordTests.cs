using System.Net;
using System.Text.Json;
using Leasehold.Server.Background;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Usage;

/// <summary>What the history records, and that reports built on it hold across reaper ends, restarts and soft-mode overage.</summary>
public sealed class UsageRecordTests : HostedTests
{
    [Fact]
    public async Task ReaperEnd_IsDatedAtTheDeadline_AndReportsAgreeAfterARestart()
    {
        using var t = await Host.CreateTenancyAsync(1);
        var alice = await t.App.CheckoutAsync(t.LicenseId, "alice"); // desktop: 300 s TTL, never heartbeats
        Host.Clock.Advance(TimeSpan.FromHours(2));
        await Host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);
        var hourly = $"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=hour&from=2026-03-02T10:00&to=2026-03-02T12:00";

        var report = await t.Admin.GetJsonAsync(hourly);
        var events = await t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={t.LicenseId}&kind=ended");

        var end = events.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        (end.Str("sessionId"), end.Str("code")).ShouldBe((alice.Str("id"), "expired"));
        end.GetProperty("at").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddMinutes(5), "dated when the TTL ran out, not when the reaper ran");
        var first = report.GetProperty("buckets")[0];
        first.Int("peakSeats").ShouldBe(1);
        first.GetProperty("averageSeats").GetDouble().ShouldBe(Math.Round(5.0 / 60, 4));
        report.GetProperty("buckets")[1].Int("peakSeats").ShouldBe(0);
        end.GetProperty("lastActivityAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch);
        var idle = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/idle-holders");
        idle.GetProperty("holders").EnumerateArray().Select(h => (h.Str("user"), h.GetProperty("idleMinutes").GetDouble())).ShouldBe([("alice", 5.0)]);

        await RestartHostAsync();
        using var admin = Host.Client(await Host.CreateKeyAsync(t.TenantId, "admin"));
        (await admin.GetJsonAsync(hourly)).ToString().ShouldBe(report.ToString());
    }

    [Fact]
    public async Task SoftLimit_AdmitsWithTheHomeScreenWarning_AndTheLicenseShowsWhenItWentOver()
    {
        using var t = await Host.CreateTenancyAsync(1, new { limit = new { mode = "soft" } });
        await t.App.CheckoutAsync(t.LicenseId, "alice");
        Host.Clock.Advance(TimeSpan.FromMinutes(1));

        var bob = await t.App.CheckoutAsync(t.LicenseId, "bob");
        var warnings = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/limit-warnings");
        var over = await t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={t.LicenseId}&code=admitted_over_limit");

        bob.GetProperty("warnings")[0].Str("code").ShouldBe("over_limit");
        bob.GetProperty("warnings")[0].Str("message").ShouldNotBeNullOrWhiteSpace();
        (warnings.Str("limitMode"), warnings.GetProperty("exceeded").GetBoolean(), warnings.GetProperty("refused").GetBoolean()).ShouldBe(("soft", true, false));
        warnings.GetProperty("overLimit").Int("count").ShouldBe(1);
        warnings.GetProperty("overLimit").GetProperty("first").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddMinutes(1));
        var e = over.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        (e.Str("user"), e.Int("seatsInUse"), e.Int("seatLimit")).ShouldBe(("bob", 2, 1));
    }

    [Fact]
    public async Task Retention_RollsOldEventsIntoHours_AndReportsOverThatPeriodAreUnchanged()
    {
        var policy = new { clientTypes = new { desktop = new { ttlSeconds = 604800, idleTimeoutSeconds = 0 }, web = new { ttlSeconds = 300 } } };
        using var t = await Host.CreateTenancyAsync(2, policy);
        await t.App.CheckoutAsync(t.LicenseId, "alice"); // lives 7 days: past the retention cut
        Host.Clock.Advance(TimeSpan.FromMinutes(10));
        await t.App.CheckoutAsync(t.LicenseId, "bob", kind: "web"); // expires 5 minutes later
        Host.Clock.Advance(TimeSpan.FromMinutes(2));
        await t.App.CheckoutAsync(t.LicenseId, "carol", HttpStatusCode.Conflict, kind: "web");
        Host.Clock.Advance(TimeSpan.FromDays(8));
        await Host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);
        // Periods that are over before the first read: the part of a period still to come is not averaged over.
        string[] reports =
        [
            $"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=day&from=2026-03-01&to=2026-03-10",
            $"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=hour&from=2026-03-02&to=2026-03-03",
            $"/v1/usage/licenses/{t.LicenseId}/denials?from=2026-03-01&to=2026-03-10",
            $"/v1/usage/licenses/{t.LicenseId}/limit-warnings?from=2026-03-01&to=2026-03-10",
        ];
        var before = await Task.WhenAll(reports.Select(r => t.Admin.GetJsonAsync(r)));

        Host.Clock.Advance(TimeSpan.FromDays(395)); // now 403 days after the first checkout
        await Host.Service<UsageRetention>().RollUpOnceAsync(CancellationToken.None);

        var after = await Task.WhenAll(reports.Select(r => t.Admin.GetJsonAsync(r)));
        after.Select(a => a.ToString()).ShouldBe(before.Select(b => b.ToString()));
        before[0].GetProperty("buckets").EnumerateArray().Select(d => d.Int("peakSeats")).ShouldBe([0, 2, 1, 1, 1, 1, 1, 1, 1]);
        before[2].Int("denials").ShouldBe(1);
        // The raw events of the rolled-up days are gone, except alice's admission: her end is recorded after the cut.
        var raw = await t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={t.LicenseId}&from=2026-03-01&to=2026-03-05");
        raw.GetProperty("items").EnumerateArray().Select(e => (e.Str("user"), e.Str("kind"))).ShouldBe([("alice", "admitted")]);
        var stillThere = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/holders?at=2026-03-08T12:00");
        stillThere.GetProperty("holders").EnumerateArray().Select(h => h.Str("user")).ShouldBe(["alice"]);
    }
}
