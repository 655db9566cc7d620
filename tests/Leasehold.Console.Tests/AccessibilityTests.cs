using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// Every console page, checked by axe-core in the browser at a desktop width and at a phone's: no
/// serious or critical violation; and signing in works from the keyboard alone.
/// </summary>
public sealed class AccessibilityTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task EveryPage_HasNoSeriousOrCriticalViolation_AndSigningInWorksFromTheKeyboard(int width)
    {
        var acme = await CustomerAsync("Acme", seats: 3);
        var adminKey = acme.AdminKey;
        using var app = Server.Client(acme.ClientKey);
        var session = await app.CheckoutAsync(acme.LicenseId, "alice");
        var page = await Browser.NewPageAsync(Server.BaseAddress, width);

        await page.GotoAsync("/console/sign-in");
        await NoSeriousViolationsAsync(page, "sign-in");
        // From the keyboard: focus the key, type it, Enter submits the form.
        await page.Keyboard.PressAsync("Tab");
        await page.GetByLabel("API key").FocusAsync();
        await page.Keyboard.TypeAsync(adminKey);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("license-row")).ToHaveCountAsync(1);

        await NoSeriousViolationsAsync(page, "overview");
        await page.GotoAsync("/console/sessions");
        await NoSeriousViolationsAsync(page, "active users");
        await page.GotoAsync($"/console/sessions/{session.Str("id")}/stop");
        await NoSeriousViolationsAsync(page, "stop session");
        await page.GotoAsync("/console/keys");
        await NoSeriousViolationsAsync(page, "API keys");
    }
}
