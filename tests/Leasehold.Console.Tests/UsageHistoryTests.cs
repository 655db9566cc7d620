using System.Globalization;
using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// The usage history page in a real browser: the API's history with its filters, the CSV, the charts'
/// figures and the what-if answer (the same as the API's), a bad filter's message at its field, and a
/// tenant admin kept to its own tenant, also by the CSV link.
/// </summary>
public sealed class UsageHistoryTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task TheAdmin_SeesAPeakInTheHistory_FiltersIt_DownloadsIt_AndAsksWhatIf()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 3, "Europe/Amsterdam");
        using var app = Server.Client(cargo.ClientKey);
        var sessions = new List<string>();
        foreach (var user in new[] { "jan", "piet", "kees" })
            sessions.Add((await app.CheckoutAsync(cargo.LicenseId, user, device: $"{user}-pc")).Str("id"));
        await app.CheckoutAsync(cargo.LicenseId, "anna", HttpStatusCode.Conflict); // the fourth is refused
        foreach (var id in sessions)
            await app.DeleteAsync($"/v1/sessions/{id}", HttpStatusCode.NoContent);
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, cargo.AdminKey, "/console/usage");

        var rows = page.GetByTestId("event-row");
        await Assertions.Expect(rows).ToHaveCountAsync(7); // 3 admitted, 1 denied, 3 ended
        await Assertions.Expect(rows.Filter(new() { HasText = "no_seat_available" })).ToContainTextAsync("anna");
        await Assertions.Expect(page.GetByTestId("peak-figure")).ToContainTextAsync("Peak 3 of 3 seats");
        await Assertions.Expect(page.GetByTestId("refusal-figure")).ToContainTextAsync("1 refused checkout");
        (await page.Locator("figure svg").CountAsync()).ShouldBe(3, "three charts, drawn as SVG on the server");
        (await page.Locator("figure[aria-labelledby] figcaption").AllTextContentsAsync()).ShouldContain(c => c.Contains("Peak seats in use per hour"));

        await page.GetByLabel("User").FillAsync("jan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2); // jan's admission and end
        foreach (var row in await rows.AllAsync())
            await Assertions.Expect(row).ToContainTextAsync("jan");
        page.Url.ShouldContain("user=jan", customMessage: "the filters are in the address, to share");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        var csv = (await File.ReadAllLinesAsync(await download.PathAsync())).Where(l => l.Length > 0).ToList();
        csv[0].ShouldStartWith("id,at,kind,code,");
        csv.Count.ShouldBe(3, "the header and jan's two rows: " + string.Join(" | ", csv));
        csv.Skip(1).ShouldAllBe(line => line.Contains(",jan,"));

        await page.GetByLabel("What if the license had").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay the history" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("what-if")).ToContainTextAsync("With 2 seats");
        using var admin = Server.Client(cargo.AdminKey);
        var api = await admin.GetJsonAsync($"/v1/usage/licenses/{cargo.LicenseId}/what-if?seats=2");
        (await page.GetByTestId("what-if-refusals").TextContentAsync()).ShouldBe(api.Int("refusals").ToString(CultureInfo.InvariantCulture));
        api.Int("refusals").ShouldBeGreaterThan(0, "two seats would have refused someone");
        double.Parse((await page.GetByTestId("what-if-overage").TextContentAsync())!, CultureInfo.InvariantCulture)
            .ShouldBe(api.GetProperty("overageMinutes").GetDouble(), 0.005);

        await page.GetByRole(AriaRole.Button, new() { Name = "Recommend a seat count" }).ClickAsync();
        var sized = await admin.GetJsonAsync($"/v1/usage/licenses/{cargo.LicenseId}/right-size");
        await Assertions.Expect(page.GetByTestId("right-size")).ToContainTextAsync($"{sized.Int("recommendedSeats")} seats would have refused nobody");
        await Assertions.Expect(page.GetByTestId("what-if")).ToContainTextAsync("With 2 seats"); // the question asked stays answered
    }

    [Fact]
    public async Task AFilterThatCannotBe_ShowsTheApisMessageAtItsField()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 3);
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, cargo.AdminKey, "/console/usage");

        await page.GetByLabel("From").FillAsync("2026-11-28T12:00");
        await page.GetByLabel("To (empty: now)").FillAsync("2026-11-27T12:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("error-from")).ToHaveTextAsync("from: Must be before 'to'.");
        await Assertions.Expect(page.GetByLabel("From")).ToHaveAttributeAsync("aria-describedby", "error-from");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");
        await Assertions.Expect(page.GetByTestId("event-row")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task TheUsagePage_HasNoSeriousOrCriticalViolation(int width)
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 1);
        using var app = Server.Client(cargo.ClientKey);
        await app.CheckoutAsync(cargo.LicenseId, "jan");
        await app.CheckoutAsync(cargo.LicenseId, "piet", HttpStatusCode.Conflict);
        var page = await Browser.NewPageAsync(Server.BaseAddress, width);
        await SignInAsync(page, cargo.AdminKey, "/console/usage?seats=3");
        await Assertions.Expect(page.GetByTestId("what-if")).ToBeVisibleAsync();

        await NoSeriousViolationsAsync(page, "usage history");
        await page.GotoAsync("/console/usage?from=2026-11-28T12:00&to=2026-11-27T12:00");
        await Assertions.Expect(page.GetByTestId("error-from")).ToBeVisibleAsync();
        await NoSeriousViolationsAsync(page, "usage history with a bad filter");
    }

    /// <summary>Another tenant by URL: the page says "No such tenant.", and its CSV link answers 404 (no rows of anybody's).</summary>
    [Fact]
    public async Task ATenantAdmin_SeesNoOtherTenantsUsage_OnThePage_OrInTheCsv()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 3);
        var other = await CustomerAsync("Other", seats: 3);
        using var otherApp = Server.Client(other.ClientKey);
        await otherApp.CheckoutAsync(other.LicenseId, "someone-else");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, cargo.AdminKey, "/console/usage");
        await Assertions.Expect(page.GetByText("No events match these filters.")).ToBeVisibleAsync();

        await page.GotoAsync($"/console/usage?tenant={other.TenantId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("No such tenant.");
        (await page.ContentAsync()).ShouldNotContain("someone-else");

        var csv = await page.APIRequest.GetAsync($"/console/usage/events.csv?tenant={other.TenantId}");
        csv.Status.ShouldBe(404);
        (await csv.TextAsync()).ShouldNotContain("someone-else");
        var byLicense = await page.APIRequest.GetAsync($"/console/usage/events.csv?licenseId={other.LicenseId}");
        byLicense.Status.ShouldBe(404, "another tenant's license is not found, as the API answers");
        var own = await page.APIRequest.GetAsync("/console/usage/events.csv");
        own.Status.ShouldBe(200);
        (await own.TextAsync()).ShouldNotContain("someone-else");
    }
}
