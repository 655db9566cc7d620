using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// The active-users page's "Waiting" table (docs/waiting-line.md, "What admins see") in a real browser: who waits for a seat,
/// in line order, live; and the admin's Remove, which is the API's removal (audited as <c>wait.removed</c> with the admin's key).
/// </summary>
public sealed class WaitingLineTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    private static readonly object LinePolicy = new
    {
        waitingLine = new { enabled = true, maxLength = 5, offerSeconds = 120, maxWaitSeconds = 3600 },
        clientTypes = new { desktop = new { ttlSeconds = 600, idleTimeoutSeconds = 0 } },
    };

    private async Task<Customer> WithALineAsync(int seats)
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats, "Europe/Amsterdam");
        await Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{cargo.LicenseId}", new { policy = LinePolicy }, HttpStatusCode.OK);
        return cargo;
    }

    private static async Task<string> WaitAsync(HttpClient app, Customer customer, string user) =>
        (await app.PostAsync("/v1/waits", new { licenseId = customer.LicenseId, user, device = $"pc-{user}", client = "desktop", waitSeconds = 1800 },
            HttpStatusCode.Accepted)).Str("id");

    [Fact]
    public async Task TheAdmin_SeesWhoWaits_InLineOrder_AndLive()
    {
        var cargo = await WithALineAsync(seats: 1);
        using var app = Server.Client(cargo.ClientKey);
        var jan = (await app.CheckoutAsync(cargo.LicenseId, "jan")).Str("id");
        await WaitAsync(app, cargo, "piet");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, cargo.AdminKey, "/console/sessions");

        var waiting = page.GetByTestId("wait-row");
        await Assertions.Expect(waiting).ToHaveCountAsync(1);
        await Assertions.Expect(waiting.First).ToContainTextAsync("piet");
        await Assertions.Expect(waiting.First).ToContainTextAsync("pc-piet");
        await Assertions.Expect(waiting.First).ToContainTextAsync(cargo.LicenseId);
        await Assertions.Expect(waiting.First).ToContainTextAsync("waiting");
        await Assertions.Expect(page.GetByTestId("waiting")).ToHaveTextAsync("1 waiting for a seat");
        await NoSeriousViolationsAsync(page, "active users with a waiting line");
        await page.EvaluateAsync("() => window.sameDocument = true"); // gone if the page reloads

        await WaitAsync(app, cargo, "kees");
        await Assertions.Expect(waiting).ToHaveCountAsync(2);
        await Assertions.Expect(waiting.Nth(1)).ToContainTextAsync("kees");
        await Assertions.Expect(waiting.Nth(1).Locator("td").First).ToHaveTextAsync("2");

        await app.DeleteAsync($"/v1/sessions/{jan}", HttpStatusCode.NoContent); // jan signs off: the seat is held for piet
        await Assertions.Expect(waiting.First).ToContainTextAsync("offered until");
        (await page.EvaluateAsync<bool>("() => window.sameDocument === true")).ShouldBeTrue("the line changed without a reload");
    }

    [Fact]
    public async Task TheAdmin_RemovesSomeoneFromTheLine_TheyAreTold_AndTheAuditTrailSaysWho()
    {
        var cargo = await WithALineAsync(seats: 1);
        using var app = Server.Client(cargo.ClientKey);
        await app.CheckoutAsync(cargo.LicenseId, "jan");
        var piet = await WaitAsync(app, cargo, "piet");
        await WaitAsync(app, cargo, "kees");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, cargo.AdminKey, "/console/sessions");
        var waiting = page.GetByTestId("wait-row");
        await Assertions.Expect(waiting).ToHaveCountAsync(2);

        await page.GetByRole(AriaRole.Button, new() { Name = "Remove piet on pc-piet from the waiting line" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Removed piet from the waiting line");
        await Assertions.Expect(waiting).ToHaveCountAsync(1);
        await Assertions.Expect(waiting.First).ToContainTextAsync("kees");
        await Assertions.Expect(waiting.First.Locator("td").First).ToHaveTextAsync("1");
        var told = await app.PostAsync($"/v1/waits/{piet}/heartbeat", null, HttpStatusCode.Gone);
        told.Str("reason").ShouldBe("left", "piet's application learns it left the line");
        var adminKeyId = (await Operator.GetJsonAsync($"/v1/api-keys?tenantId={cargo.TenantId}")).GetProperty("items").EnumerateArray()
            .Single(k => k.Str("role") == "admin").Str("id");
        var audit = (await Operator.GetJsonAsync($"/v1/audit?action=wait.removed&tenantId={cargo.TenantId}")).GetProperty("items").EnumerateArray().ToList();
        audit.Count.ShouldBe(1);
        audit[0].GetProperty("target").Str("id").ShouldBe(piet);
        audit[0].GetProperty("actor").Str("keyId").ShouldBe(adminKeyId);
    }

    [Fact]
    public async Task AnEmptyLine_SaysNobodyIsWaiting()
    {
        var cargo = await WithALineAsync(seats: 2);
        using var app = Server.Client(cargo.ClientKey);
        await app.CheckoutAsync(cargo.LicenseId, "jan");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, cargo.AdminKey, "/console/sessions");

        await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("waiting")).ToHaveTextAsync("Nobody is waiting.");
        await Assertions.Expect(page.GetByTestId("wait-row")).ToHaveCountAsync(0);
    }
}
