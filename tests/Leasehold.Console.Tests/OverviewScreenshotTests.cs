using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// The overview with what needs attention, photographed (as <see cref="ScreenshotTests"/> does for
/// every page): a license in soft-limit mode that went over its seats and then refused one start.
/// The picture goes to a temporary directory, or to docs/console/ when <c>LEASEHOLD_SCREENSHOTS</c> names it.
/// </summary>
public sealed class OverviewScreenshotTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task TheOverview_ShowsAPeakARefusalAndASoftLimitOverage_AndIsPhotographed()
    {
        var output = Environment.GetEnvironmentVariable("LEASEHOLD_SCREENSHOTS") is { Length: > 0 } target
            ? Path.GetFullPath(target)
            : Directory.CreateTempSubdirectory("leasehold-screenshots-").FullName;
        Directory.CreateDirectory(output);
        var cargo = await CustomerAsync("Rotterdam Cargo Handling", seats: 5, "Europe/Amsterdam");
        await Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{cargo.LicenseId}",
            new { policy = new { limit = new { mode = "soft", overageCount = 1 } } }, HttpStatusCode.OK);
        using var app = Server.Client(cargo.ClientKey);
        foreach (var user in new[] { "jan", "piet", "kees", "anna", "joris", "mies" }) // mies is the sixth: over the limit of 5
            await app.CheckoutAsync(cargo.LicenseId, user, device: user + "-pc");
        await app.CheckoutAsync(cargo.LicenseId, "bram", HttpStatusCode.Conflict, device: "bram-pc"); // past the soft cap of one more
        var page = await Browser.NewPageAsync(Server.BaseAddress);

        await SignInAsync(page, cargo.AdminKey);
        await Assertions.Expect(page.GetByTestId("seats")).ToHaveTextAsync("6 of 5");
        await Assertions.Expect(page.GetByTestId("peak-summary")).ToHaveTextAsync("Peak in the last 24 hours: 6 of 5 seats.");
        await Assertions.Expect(page.GetByTestId("attention").Filter(new() { HasText = "Over its soft limit of 5 seats today." })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("attention").Filter(new() { HasText = "Refusals today: 1." })).ToHaveCountAsync(1);
        var file = Path.Combine(output, "overview-attention.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });

        new FileInfo(file).Length.ShouldBeGreaterThan(1_000);
    }
}
