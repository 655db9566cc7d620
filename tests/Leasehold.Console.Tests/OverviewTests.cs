using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// The overview in a real browser against the real server process: each license's last 24 hours
/// drawn against its limit, and what needs attention (a soft limit gone over, refusals today, a
/// license ending soon, an installation that has not renewed), each naming and linking its license.
/// </summary>
public sealed class OverviewTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task APeakAndARefusal_ShowInTheChart_AndInWhatNeedsAttention()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 2);
        using var app = Server.Client(cargo.ClientKey);
        await app.CheckoutAsync(cargo.LicenseId, "jan");
        await app.CheckoutAsync(cargo.LicenseId, "piet");
        await app.CheckoutAsync(cargo.LicenseId, "kees", HttpStatusCode.Conflict); // the license is full
        var page = await Browser.NewPageAsync(Server.BaseAddress);

        await SignInAsync(page, cargo.AdminKey);

        await Assertions.Expect(page.GetByTestId("seats")).ToHaveTextAsync("2 of 2");
        var chart = page.GetByTestId("peak-chart");
        await Assertions.Expect(chart.GetByTestId("peak-summary")).ToHaveTextAsync("Peak in the last 24 hours: 2 of 2 seats.");
        await Assertions.Expect(chart.GetByRole(AriaRole.Img, new() { Name = "Peak seats per hour against the seat limit" }))
            .ToHaveAccessibleNameAsync(new System.Text.RegularExpressions.Regex("2 of 2 seats"));
        await Assertions.Expect(chart.Locator("svg path.mud-chart-line")).ToHaveCountAsync(2); // peak seats, and the limit
        var refusals = page.GetByTestId("attention").Filter(new() { HasText = "Refusals today: 1." });
        await Assertions.Expect(refusals).ToHaveCountAsync(1);
        await Assertions.Expect(refusals.GetByRole(AriaRole.Link, new() { Name = cargo.LicenseId }))
            .ToHaveAttributeAsync("href", $"/console/licenses/{cargo.LicenseId}");
    }

    [Fact]
    public async Task ASoftLimitGoneOver_ShowsTheLimitWarningsText()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 1);
        await Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{cargo.LicenseId}", new { policy = new { limit = new { mode = "soft" } } }, HttpStatusCode.OK);
        using var app = Server.Client(cargo.ClientKey);
        await app.CheckoutAsync(cargo.LicenseId, "jan");
        await app.CheckoutAsync(cargo.LicenseId, "piet"); // admitted over the limit, with the home-screen warning
        var page = await Browser.NewPageAsync(Server.BaseAddress);

        await SignInAsync(page, cargo.AdminKey);

        var over = page.GetByTestId("attention").Filter(new() { HasText = "Over its soft limit of 1 seats today." });
        await Assertions.Expect(over).ToContainTextAsync("The license went over its 1 seats 1 time(s) in this period");
        await Assertions.Expect(page.GetByTestId("peak-summary")).ToHaveTextAsync("Peak in the last 24 hours: 2 of 1 seats.");
    }

    [Fact]
    public async Task ALicenseEndingWithin30Days_IsExpiringSoon_AndOneWithoutIssues_NeedsNothing()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 5);
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, cargo.AdminKey);
        await Assertions.Expect(page.GetByTestId("attention-none")).ToHaveTextAsync("Nothing needs attention.");

        var endsAt = DateTimeOffset.UtcNow.AddDays(10);
        await Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{cargo.LicenseId}", new { endsAt }, HttpStatusCode.OK);
        await page.ReloadAsync();

        var expiring = page.GetByTestId("attention").Filter(new() { HasText = "Expiring soon" });
        await Assertions.Expect(expiring).ToContainTextAsync(cargo.LicenseId);
        await Assertions.Expect(expiring).ToContainTextAsync("in 10 day(s)");
        await Assertions.Expect(page.GetByTestId("attention-none")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AnInstallationStillOnItsLargerFile_AfterItsShareWasLowered_HasNotRenewed()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 10);
        using var admin = Server.Client(cargo.AdminKey);
        var central = (await admin.PostAsync("/v1/installations", new { licenseId = cargo.LicenseId, name = "central", fingerprint = "office-server", seats = 8 },
            HttpStatusCode.Created)).Str("id");
        await admin.PostAsync($"/v1/installations/{central}/license-file", null, HttpStatusCode.OK);
        await admin.SendAsync(HttpMethod.Patch, $"/v1/installations/{central}", new { seats = 7 }, HttpStatusCode.OK);
        await admin.PostAsync($"/v1/installations/{central}/license-file", null, HttpStatusCode.OK); // never taken: central may still run on 8
        var page = await Browser.NewPageAsync(Server.BaseAddress);

        await SignInAsync(page, cargo.AdminKey);

        var stale = page.GetByTestId("attention").Filter(new() { HasText = "Installation central" });
        await Assertions.Expect(stale).ToContainTextAsync("has not renewed onto its lowered share: it may still use 8 seats, not 7, until it takes file 2.");
        await Assertions.Expect(stale).ToContainTextAsync(cargo.LicenseId);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task TheOverviewWithAlertsAndCharts_HasNoSeriousOrCriticalViolation(int width)
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 1);
        await Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{cargo.LicenseId}",
            new { endsAt = DateTimeOffset.UtcNow.AddDays(5), policy = new { limit = new { mode = "soft", overageCount = 1 } } }, HttpStatusCode.OK);
        using var app = Server.Client(cargo.ClientKey);
        await app.CheckoutAsync(cargo.LicenseId, "jan");
        await app.CheckoutAsync(cargo.LicenseId, "piet");
        await app.CheckoutAsync(cargo.LicenseId, "kees", HttpStatusCode.Conflict); // past the soft cap
        var page = await Browser.NewPageAsync(Server.BaseAddress, width);

        await SignInAsync(page, cargo.AdminKey);

        await Assertions.Expect(page.GetByTestId("attention")).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("peak-chart")).ToHaveCountAsync(1);
        await NoSeriousViolationsAsync(page, $"overview at {width} pixels");
    }
}
