using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// Every console page with example data, rendered in Chromium and photographed. The test checks each
/// page shows its data; the pictures go to a temporary directory, or to docs/console/ when
/// <c>LEASEHOLD_SCREENSHOTS</c> names it (<c>docs/console/screenshots.sh</c> does).
/// </summary>
public sealed class ScreenshotTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task EveryPage_RendersItsExampleData_AndIsPhotographed()
    {
        var output = Environment.GetEnvironmentVariable("LEASEHOLD_SCREENSHOTS") is { Length: > 0 } target
            ? Path.GetFullPath(target)
            : Directory.CreateTempSubdirectory("leasehold-screenshots-").FullName;
        Directory.CreateDirectory(output);
        var cargo = await CustomerAsync("Rotterdam Cargo Handling", seats: 10, "Europe/Amsterdam");
        using var app = Server.Client(cargo.ClientKey);
        foreach (var (user, device) in new[] { ("jan", "workstation-1"), ("piet", "workstation-2"), ("kees", "laptop-3") })
            await app.CheckoutAsync(cargo.LicenseId, user, device: device);
        var page = await Browser.NewPageAsync(Server.BaseAddress);

        await page.GotoAsync("/console/sign-in");
        await page.ScreenshotAsync(new() { Path = Path.Combine(output, "sign-in.png"), FullPage = true });
        await SignInAsync(page, cargo.AdminKey);
        await Assertions.Expect(page.GetByTestId("seats")).ToHaveTextAsync("3 of 10");
        await page.ScreenshotAsync(new() { Path = Path.Combine(output, "overview.png"), FullPage = true });
        await page.GotoAsync("/console/keys");
        await Assertions.Expect(page.GetByTestId("key-row")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = Path.Combine(output, "api-keys.png"), FullPage = true });

        var vendor = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(vendor, TestHost.OperatorKey, "/console/tenants");
        await Assertions.Expect(vendor.GetByTestId("tenant-row")).ToContainTextAsync("3 of 10");
        await vendor.ScreenshotAsync(new() { Path = Path.Combine(output, "tenants.png"), FullPage = true });

        // A second license of one seat that keeps a waiting line: one holds it, two wait (the active-users page's Waiting table).
        var planner = (await Operator.PostAsync("/v1/licenses", new
        {
            tenantId = cargo.TenantId, product = "cargo-planner", seats = 1,
            policy = new { waitingLine = new { enabled = true, maxLength = 5, offerSeconds = 120, maxWaitSeconds = 3600 } },
        }, HttpStatusCode.Created)).Str("id");
        await app.CheckoutAsync(planner, "anna", device: "planning-1");
        foreach (var (user, device) in new[] { ("joost", "laptop-5"), ("sanne", "workstation-4") })
            await app.PostAsync("/v1/waits", new { licenseId = planner, user, device, client = "desktop", waitSeconds = 1800 }, HttpStatusCode.Accepted);
        await page.GotoAsync("/console/sessions");
        await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(4);
        await Assertions.Expect(page.GetByTestId("wait-row")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = Path.Combine(output, "active-users.png"), FullPage = true });

        foreach (var name in new[] { "sign-in", "overview", "active-users", "api-keys", "tenants" })
            new FileInfo(Path.Combine(output, name + ".png")).Length.ShouldBeGreaterThan(1_000);
    }
}
