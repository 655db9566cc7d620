using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// The vendor (operator key) in the console: every tenant with its seats, a new tenant, and each
/// tenant's own pages, in which the vendor sees that tenant alone. A tenant admin has no tenants page.
/// </summary>
public sealed class VendorTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task TheVendor_SeesEveryTenant_MakesOne_AndOpensOneTenantsPages()
    {
        var acme = await CustomerAsync("Acme", seats: 5);
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 3, "Europe/Amsterdam");
        using var acmeApp = Server.Client(acme.ClientKey);
        using var cargoApp = Server.Client(cargo.ClientKey);
        await acmeApp.CheckoutAsync(acme.LicenseId, "alice");
        await acmeApp.CheckoutAsync(acme.LicenseId, "bob");
        await cargoApp.CheckoutAsync(cargo.LicenseId, "jan");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, TestHost.OperatorKey, "/console/tenants");

        var rows = page.GetByTestId("tenant-row");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Filter(new() { HasText = "Acme" })).ToContainTextAsync("2 of 5");
        await Assertions.Expect(rows.Filter(new() { HasText = "Rotterdam Cargo" })).ToContainTextAsync("1 of 3");

        await page.GetByLabel("Name").FillAsync("Sofia Housing");
        await page.GetByLabel("Time zone").FillAsync("Europe/Sofia");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create tenant" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Created tenant");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        var tenants = (await Operator.GetJsonAsync("/v1/tenants")).GetProperty("items");
        tenants.EnumerateArray().ShouldContain(t => t.Str("name") == "Sofia Housing" && t.Str("timeZone") == "Europe/Sofia", "the API knows the new tenant");
        await page.ReloadAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(3); // a reload does not make it twice

        await page.GetByRole(AriaRole.Link, new() { Name = "Open the pages of Rotterdam Cargo" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("vendor-tenant")).ToHaveTextAsync($"Tenant {cargo.TenantId}");
        await Assertions.Expect(page.GetByTestId("license-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("license-row")).ToContainTextAsync(cargo.LicenseId);
        await page.GetByRole(AriaRole.Link, new() { Name = "Active users" }).ClickAsync(); // the tenant travels with the navigation
        await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("session-row")).ToContainTextAsync("jan");
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("key-row")).ToHaveCountAsync(2); // cargo's admin and client keys, not Acme's
        (await page.ContentAsync()).ShouldNotContain(acme.TenantId);
    }

    [Fact]
    public async Task ATenantAdmin_HasNoTenantsPage()
    {
        var acme = await CustomerAsync("Acme", seats: 5);
        await CustomerAsync("Other", seats: 1);
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, acme.AdminKey, "/console/tenants");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only the vendor");
        await Assertions.Expect(page.GetByTestId("tenant-row")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Tenants" })).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task TheTenantsPage_HasNoSeriousOrCriticalViolation(int width)
    {
        await CustomerAsync("Acme", seats: 5);
        var page = await Browser.NewPageAsync(Server.BaseAddress, width);
        await SignInAsync(page, TestHost.OperatorKey, "/console/tenants");
        await Assertions.Expect(page.GetByTestId("tenant-row")).ToHaveCountAsync(1);
        await NoSeriousViolationsAsync(page, "tenants");
        await page.GetByRole(AriaRole.Link, new() { Name = "Open the pages of Acme" }).ClickAsync();
        await NoSeriousViolationsAsync(page, "a tenant's overview, seen by the vendor");
    }
}
