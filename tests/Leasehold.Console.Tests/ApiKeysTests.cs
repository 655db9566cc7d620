using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>A tenant admin makes a key for an application in the console, sees its secret once, and revokes it.</summary>
public sealed class ApiKeysTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task ANewKey_IsShownOnce_Works_AndStopsWorkingWhenRevoked()
    {
        var acme = await CustomerAsync("Acme", seats: 3);
        var licenseId = acme.LicenseId;
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, acme.AdminKey, "/console/keys");

        await page.GetByLabel("Role").SelectOptionAsync("client");
        await page.GetByLabel("Name (what uses it)").FillAsync("cargo-office desktop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        var secret = await page.GetByTestId("new-key").TextContentAsync();
        secret.ShouldNotBeNull().ShouldStartWith("lh_");
        using var app = Server.Client(secret);
        await app.CheckoutAsync(licenseId, "alice");
        await page.GotoAsync("/console/keys");
        await Assertions.Expect(page.GetByTestId("new-key")).ToHaveCountAsync(0); // shown once
        var row = page.GetByTestId("key-row").Filter(new() { HasText = "cargo-office desktop" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("key-row").Filter(new() { HasText = "cargo-office desktop" })).ToContainTextAsync("revoked");
        await app.CheckoutAsync(licenseId, "bob", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AKeyPastTheTenantsQuota_ShowsTheApisMessage_AndNoSecret()
    {
        var acme = await CustomerAsync("Acme", seats: 1); // an admin and a client key: 2 of the default 100
        using var admin = Server.Client(acme.AdminKey);
        for (var i = 2; i < 100; i++)
            await admin.PostAsync("/v1/api-keys", new { role = "client" }, HttpStatusCode.Created);
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, acme.AdminKey, "/console/keys");

        await page.GetByLabel("Role").SelectOptionAsync("client");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("revoke keys it no longer uses first");
        await Assertions.Expect(page.GetByTestId("new-key")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("key-row")).ToHaveCountAsync(100);
    }
}
