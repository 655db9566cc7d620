using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// seeds/001's "list with currently active users" and its "Stop session" button, in a real browser:
/// the admin sees who holds a seat, stops one after confirming, and the application learns it.
/// </summary>
public sealed class ActiveUsersTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task TheAdmin_SeesWhoHoldsASeat_AndStopsASession_AfterConfirming()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 3, "Europe/Amsterdam");
        using var app = Server.Client(cargo.ClientKey);
        var jan = await app.CheckoutAsync(cargo.LicenseId, "jan");
        await app.CheckoutAsync(cargo.LicenseId, "piet");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, cargo.AdminKey, "/console/sessions");

        var rows = page.GetByTestId("session-row");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.First).ToContainTextAsync("jan");
        var offset = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam").GetUtcOffset(DateTimeOffset.UtcNow);
        await Assertions.Expect(rows.First).ToContainTextAsync($"+{offset:hh\\:mm}"); // times in the tenant's own zone
        await page.GetByRole(AriaRole.Link, new() { Name = "Stop session of jan" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Stop the session of jan")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop session" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Stopped the session of jan");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        var told = await app.PostAsync($"/v1/sessions/{jan.Str("id")}/heartbeat", new { active = true }, HttpStatusCode.Gone);
        told.Str("reason").ShouldBe("stopped", "the application learns its session was stopped");
    }
}
