using System.Net;
using Leasehold.Client;
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

    [Fact]
    public async Task RowsFollowTheApplications_WithoutAReload_AndTheSdkLearnsOfAStopAtOnce()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 3, "Europe/Amsterdam");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, cargo.AdminKey, "/console/sessions");
        await Assertions.Expect(page.GetByTestId("holders")).ToContainTextAsync("Nobody holds a seat now");
        await page.EvaluateAsync("() => window.sameDocument = true"); // gone if the page reloads

        using var sdk = new LeaseholdClient(new LeaseholdClientOptions
        {
            ServerUrl = Server.BaseAddress, ApiKey = cargo.ClientKey, LicenseId = cargo.LicenseId,
        });
        await using var jan = await sdk.CheckoutAsync("jan", "workstation-1");
        await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("session-row")).ToContainTextAsync("workstation-1");
        var piet = await sdk.CheckoutAsync("piet", "workstation-2");
        await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(2);
        await piet.DisposeAsync(); // piet signs off
        await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("holders")).ToContainTextAsync("1 session holds a seat");
        (await page.EvaluateAsync<bool>("() => window.sameDocument === true")).ShouldBeTrue("the rows changed without a reload");

        await page.GetByRole(AriaRole.Link, new() { Name = "Stop session of jan" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop session" }).ClickAsync();
        var end = await jan.Ended.WaitAsync(TimeSpan.FromSeconds(10)); // the push channel, not the next heartbeat
        end.Reason.ShouldBe(LeaseEndReason.Stopped);
        await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheAdmin_StopsWithACoolDown_TheUserIsKeptOut_AndLiftsIt()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 1, "Europe/Amsterdam");
        using var app = Server.Client(cargo.ClientKey);
        await app.CheckoutAsync(cargo.LicenseId, "jan");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, cargo.AdminKey, "/console/sessions");

        await page.GetByRole(AriaRole.Link, new() { Name = "Stop session of jan" }).ClickAsync();
        var coolDown = page.GetByLabel("Cool-down (minutes)", new() { Exact = false });
        await Assertions.Expect(coolDown).ToHaveValueAsync("0"); // the policy's default
        await coolDown.FillAsync("45");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop session" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Stopped the session of jan");
        var coolingDown = page.GetByTestId("cool-down-row");
        await Assertions.Expect(coolingDown).ToHaveCountAsync(1);
        await Assertions.Expect(coolingDown).ToContainTextAsync("jan");
        var refused = await app.CheckoutAsync(cargo.LicenseId, "jan", HttpStatusCode.Conflict);
        refused.Str("code").ShouldBe("stopped_recently");

        await page.GetByRole(AriaRole.Button, new() { Name = "Lift the cool-down of jan" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Lifted the cool-down of jan")).ToBeVisibleAsync();
        await Assertions.Expect(coolingDown).ToHaveCountAsync(0);
        await app.CheckoutAsync(cargo.LicenseId, "jan");
    }

    [Fact]
    public async Task ManyActiveUsers_ArePagedAHundredAtATime_EachShownOnce()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo", seats: 250, "Europe/Amsterdam");
        using var app = Server.Client(cargo.ClientKey);
        var ids = new HashSet<string>();
        for (var i = 0; i < 205; i++)
            ids.Add((await app.CheckoutAsync(cargo.LicenseId, $"user-{i:D3}", device: $"pc-{i:D3}")).Str("id"));
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, cargo.AdminKey, "/console/sessions");

        await Assertions.Expect(page.GetByTestId("holders")).ToContainTextAsync("205 sessions hold seats");
        var shown = new List<string>();
        foreach (var (number, rows) in new[] { (1, 100), (2, 100), (3, 5) })
        {
            if (number > 1)
                await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
            await Assertions.Expect(page.GetByText($"Page {number} of 3")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(rows);
            foreach (var row in await page.GetByTestId("session-row").AllAsync())
                shown.Add((await row.GetAttributeAsync("data-session"))!);
        }
        shown.Count.ShouldBe(205);
        shown.ToHashSet().SetEquals(ids).ShouldBeTrue("every live session is on one page, none twice");

        foreach (var past in new[] { "9", "2147483647" }) // past the last: the last page
        {
            await page.GotoAsync($"/console/sessions?page={past}");
            await Assertions.Expect(page.GetByText("Page 3 of 3")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(5);
        }
    }
}
