using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// The usage history page with example data, photographed as ScreenshotTests photographs the others:
/// into a temporary directory, or docs/console/ when <c>LEASEHOLD_SCREENSHOTS</c> names it.
/// </summary>
public sealed class UsageScreenshotTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task TheUsagePage_RendersItsExampleData_AndIsPhotographed()
    {
        var output = Environment.GetEnvironmentVariable("LEASEHOLD_SCREENSHOTS") is { Length: > 0 } target
            ? Path.GetFullPath(target)
            : Directory.CreateTempSubdirectory("leasehold-screenshots-").FullName;
        Directory.CreateDirectory(output);
        var cargo = await CustomerAsync("Rotterdam Cargo Handling", seats: 3, "Europe/Amsterdam");
        using var app = Server.Client(cargo.ClientKey);
        var jan = await app.CheckoutAsync(cargo.LicenseId, "jan", device: "workstation-1");
        await app.CheckoutAsync(cargo.LicenseId, "piet", device: "workstation-2");
        await app.CheckoutAsync(cargo.LicenseId, "kees", device: "laptop-3", kind: "web");
        await app.CheckoutAsync(cargo.LicenseId, "anna", HttpStatusCode.Conflict, device: "laptop-4", kind: "web");
        await app.DeleteAsync($"/v1/sessions/{jan.Str("id")}", HttpStatusCode.NoContent);
        var page = await Browser.NewPageAsync(Server.BaseAddress);

        await SignInAsync(page, cargo.AdminKey, "/console/usage?seats=2&advise=1");
        await Assertions.Expect(page.GetByTestId("event-row")).ToHaveCountAsync(5);
        await Assertions.Expect(page.GetByTestId("peak-figure")).ToContainTextAsync("Peak 3 of 3 seats");
        await Assertions.Expect(page.GetByTestId("what-if")).ToContainTextAsync("With 2 seats");
        await Assertions.Expect(page.GetByTestId("right-size")).ToContainTextAsync("would have refused nobody");
        var path = Path.Combine(output, "usage-history.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });

        new FileInfo(path).Length.ShouldBeGreaterThan(1_000);
    }
}
