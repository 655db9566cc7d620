using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// The licenses and connections pages with example data, photographed like <see cref="ScreenshotTests"/>:
/// each page is checked for its data first; the pictures go to <c>LEASEHOLD_SCREENSHOTS</c> (docs/console/) or a temporary directory.
/// </summary>
public sealed class LicensesScreenshotTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task TheLicensesAndConnectionsPages_RenderTheirExampleData_AndArePhotographed()
    {
        var output = Environment.GetEnvironmentVariable("LEASEHOLD_SCREENSHOTS") is { Length: > 0 } target
            ? Path.GetFullPath(target)
            : Directory.CreateTempSubdirectory("leasehold-screenshots-").FullName;
        Directory.CreateDirectory(output);
        var cargo = await CustomerAsync("Rotterdam Cargo Handling", seats: 10, "Europe/Amsterdam");
        await Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{cargo.LicenseId}", new { endsAt = "2027-12-31T00:00:00Z" }, HttpStatusCode.OK);
        var plan = new { name = "Small Business Basic", baseSeats = 3, maxSeats = 35, changePlanMessage = "Small Business plans end at 35 sessions: move to Business Premium for more." };
        var erp = (await Operator.PostAsync("/v1/licenses", new
        {
            tenantId = cargo.TenantId, product = "cloud-erp", seats = 5, endsAt = "2027-06-30T00:00:00Z",
            policy = new { plan, clientTypes = new { desktop = new { }, web = new { ttlSeconds = 1200 }, integration = new { weight = 3 } } },
        }, HttpStatusCode.Created)).Str("id");
        using var app = Server.Client(cargo.ClientKey);
        foreach (var user in new[] { "jan", "piet" })
            await app.CheckoutAsync(erp, user);
        await Operator.PostAsync("/v1/connections", new { tenantId = cargo.TenantId, name = "rdp-dispatch", email = "dispatch@rch.example", accessPlan = "business-hours" }, HttpStatusCode.Created);
        await Operator.PostAsync("/v1/connections", new
        {
            tenantId = cargo.TenantId, name = "rdp-nightshift",
            accessPlan = new { kind = "always", maintenance = new[] { new { from = "2030-03-09T22:00", to = "2030-03-10T02:00" } } },
        }, HttpStatusCode.Created);
        var page = await Browser.NewPageAsync(Server.BaseAddress);

        await SignInAsync(page, TestHost.OperatorKey, $"/console/licenses?tenant={cargo.TenantId}");
        await Assertions.Expect(page.GetByTestId("license-row")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("plan").Filter(new() { HasText = "Small Business" })).ToHaveTextAsync("Small Business Basic: 3 base + 2 add-on seat(s) (up to 35)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(output, "licenses.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = erp }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("seats")).ToHaveTextAsync("2 of 5");
        await Assertions.Expect(page.GetByLabel("Policy (JSON)")).ToContainTextAsync("\"integration\"");
        await page.ScreenshotAsync(new() { Path = Path.Combine(output, "license.png"), FullPage = true });

        await page.GotoAsync($"/console/connections?tenant={cargo.TenantId}");
        await Assertions.Expect(page.GetByTestId("connection-row")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("maintenance").Last).ToHaveTextAsync("2030-03-09 22:00 to 2030-03-10 02:00");
        await page.ScreenshotAsync(new() { Path = Path.Combine(output, "connections.png"), FullPage = true });

        foreach (var name in new[] { "licenses", "license", "connections" })
            new FileInfo(Path.Combine(output, name + ".png")).Length.ShouldBeGreaterThan(1_000);
    }
}
