using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// The connections pages in a real browser: a tenant admin changes a connection's maintenance window
/// and shared e-mail through the handler of PUT /v1/connections/{id}, removes one after confirming, and
/// learns why one in use cannot go; another tenant's connection is not found; the vendor creates one.
/// </summary>
public sealed class ConnectionsTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task AnAdmin_ChangesTheMaintenanceWindowAndSharedEmail_AndTheApiAgrees()
    {
        var acme = await CustomerAsync("Acme", seats: 3, "Europe/Amsterdam");
        var rdp = await ConnectionAsync(acme, "rdp-07", "always");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, acme.AdminKey, "/console/connections");
        await Assertions.Expect(page.GetByTestId("connection-row")).ToContainTextAsync("rdp-07");
        await page.GetByRole(AriaRole.Link, new() { Name = "Change connection rdp-07" }).ClickAsync();

        // A mistake in each field: each shows the API's message by its field, and nothing changes.
        await page.GetByLabel("Shared e-mail", new() { Exact = false }).FillAsync("dispatch");
        await page.GetByLabel("Access plan (JSON)").FillAsync("""{"kind": "always", "maintenance": [{"from": "2030-03-09 22:00", "to": "2030-03-10T02:00"}]}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save connection" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-field=email]")).ToContainTextAsync("Must be an e-mail address.");
        await Assertions.Expect(page.Locator("[data-field=accessPlan]")).ToContainTextAsync("accessPlan.maintenance[0].from");
        (await Operator.GetJsonAsync($"/v1/connections/{rdp}")).GetProperty("email").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);

        await page.GetByLabel("Shared e-mail", new() { Exact = false }).FillAsync("dispatch@acme.example");
        await page.GetByLabel("Access plan (JSON)").FillAsync("""{"kind": "always", "maintenance": [{"from": "2030-03-09T22:00", "to": "2030-03-10T02:00"}]}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save connection" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");

        var saved = await Operator.GetJsonAsync($"/v1/connections/{rdp}");
        saved.Str("email").ShouldBe("dispatch@acme.example");
        var window = saved.GetProperty("accessPlan").GetProperty("maintenance")[0];
        (window.Str("from"), window.Str("to")).ShouldBe(("2030-03-09T22:00", "2030-03-10T02:00"));
        await page.GotoAsync("/console/connections");
        await Assertions.Expect(page.GetByTestId("maintenance")).ToHaveTextAsync("2030-03-09 22:00 to 2030-03-10 02:00");

        // Blank e-mail: the form replaces the connection whole, so the shared e-mail is gone.
        await page.GetByRole(AriaRole.Link, new() { Name = "Change connection rdp-07" }).ClickAsync();
        await page.GetByLabel("Shared e-mail", new() { Exact = false }).FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save connection" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        (await Operator.GetJsonAsync($"/v1/connections/{rdp}")).GetProperty("email").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task RemovingAConnection_AfterConfirming_RemovesIt_UnlessOpenSessionsUseIt()
    {
        var acme = await CustomerAsync("Acme", seats: 3);
        var busy = await ConnectionAsync(acme, "rdp-busy", "always");
        var idle = await ConnectionAsync(acme, "rdp-idle", "always");
        using var app = Server.Client(acme.ClientKey);
        await app.PostAsync("/v1/sessions", new { licenseId = acme.LicenseId, user = "jan", device = "pc-1", client = "desktop", connection = busy }, HttpStatusCode.Created);
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, acme.AdminKey, "/console/connections");

        await page.GetByRole(AriaRole.Link, new() { Name = "Remove connection rdp-busy" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Remove connection rdp-busy?")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove connection" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("1 open session(s) use connection 'rdp-busy'");
        await Operator.GetJsonAsync($"/v1/connections/{busy}");

        await page.GotoAsync("/console/connections");
        await page.GetByRole(AriaRole.Link, new() { Name = "Remove connection rdp-idle" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove connection" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Removed connection rdp-idle.");
        await Assertions.Expect(page.GetByTestId("connection-row")).ToHaveCountAsync(1);
        await Operator.GetJsonAsync($"/v1/connections/{idle}", HttpStatusCode.NotFound);
        await page.ReloadAsync(); // the list after the removal: a reload repeats nothing
        await Assertions.Expect(page.GetByTestId("connection-row")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ATenantAdmin_CannotOpenAnotherTenantsConnection()
    {
        var acme = await CustomerAsync("Acme", seats: 3);
        var globex = await CustomerAsync("Globex", seats: 3);
        var theirs = await ConnectionAsync(globex, "globex-rdp", "always");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, acme.AdminKey, "/console/connections");
        await Assertions.Expect(page.GetByText("No connections yet.")).ToBeVisibleAsync();

        await page.GotoAsync($"/console/connections?tenant={globex.TenantId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("No such tenant.");
        await page.GotoAsync($"/console/connections/{theirs}");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("No connection with that id exists");
        await page.GotoAsync($"/console/connections/{theirs}/remove");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("No connection with that id exists");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove connection" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheVendor_CreatesAConnection_WithTheApisRules()
    {
        var acme = await CustomerAsync("Acme", seats: 3);
        await ConnectionAsync(acme, "rdp-01", "always");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, TestHost.OperatorKey, $"/console/connections?tenant={acme.TenantId}");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("RDP-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create connection" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("problem")).ToContainTextAsync("already has a connection named 'RDP-01'");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("rdp-02");
        await page.GetByLabel("Access plan (JSON)").FillAsync("\"business-hours\"");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create connection" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Created connection rdp-02.");
        var listed = (await Operator.GetJsonAsync($"/v1/connections?tenantId={acme.TenantId}")).GetProperty("items");
        listed.EnumerateArray().Select(c => c.Str("name")).Order().ShouldBe(["rdp-01", "rdp-02"]);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task TheConnectionsPages_HaveNoSeriousOrCriticalViolation(int width)
    {
        var acme = await CustomerAsync("Acme", seats: 3);
        var rdp = await ConnectionAsync(acme, "rdp-07", "business-hours", "dispatch@acme.example");
        var page = await Browser.NewPageAsync(Server.BaseAddress, width);
        await SignInAsync(page, TestHost.OperatorKey, "/console/connections");
        await Assertions.Expect(page.GetByTestId("connection-row")).ToHaveCountAsync(1);
        await NoSeriousViolationsAsync(page, "connections");

        await page.GotoAsync($"/console/connections/{rdp}");
        await page.GetByLabel("Access plan (JSON)").FillAsync("""{"kind": "weekly"}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save connection" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-field=accessPlan]")).ToBeVisibleAsync();
        await NoSeriousViolationsAsync(page, "connection with a field error");
        await page.GotoAsync($"/console/connections/{rdp}/remove");
        await NoSeriousViolationsAsync(page, "remove connection");
    }

    /// <summary>A connection of <paramref name="customer"/>'s tenant, made by the operator through the API; its id.</summary>
    private async Task<string> ConnectionAsync(Customer customer, string name, string accessPlan, string? email = null) =>
        (await Operator.PostAsync("/v1/connections", new { tenantId = customer.TenantId, name, email, accessPlan }, HttpStatusCode.Created)).Str("id");
}
