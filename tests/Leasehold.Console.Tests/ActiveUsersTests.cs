using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// seeds/001's "list with currently active users" and its "Stop session" button, in a real browser:
/// the admin sees who holds a seat, stops one after confirming, and the application learns it.
/// </summary>
public sealed class ActiveUsersTests(Xunit.Abstractions.ITestOutputHelper log) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "leasehold-console-" + Guid.NewGuid().ToString("N"));
    private ServerProcess _server = null!;
    private Browser _browser = null!;
    private HttpClient _operator = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync(_data, TestHost.OperatorKey);
        _operator = _server.Client(TestHost.OperatorKey);
        _browser = await Browser.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _operator?.Dispose();
        if (_server is not null)
        {
            log.WriteLine(_server.Output);
            await _server.DisposeAsync();
        }
        TestHost.TryDelete(_data);
    }

    [Fact]
    public async Task TheAdmin_SeesWhoHoldsASeat_AndStopsASession_AfterConfirming()
    {
        var tenantId = (await _operator.PostAsync("/v1/tenants", new { name = "Rotterdam Cargo", timeZone = "Europe/Amsterdam" }, HttpStatusCode.Created)).Str("id");
        var licenseId = (await _operator.PostAsync("/v1/licenses", new { tenantId, product = "cargo-office", seats = 3 }, HttpStatusCode.Created)).Str("id");
        var adminKey = (await _operator.PostAsync("/v1/api-keys", new { tenantId, role = "admin" }, HttpStatusCode.Created)).Str("key");
        using var app = _server.Client((await _operator.PostAsync("/v1/api-keys", new { tenantId, role = "client" }, HttpStatusCode.Created)).Str("key"));
        var jan = await app.CheckoutAsync(licenseId, "jan");
        await app.CheckoutAsync(licenseId, "piet");
        var page = await _browser.NewPageAsync(_server.BaseAddress);
        await page.GotoAsync("/console/sessions");
        await page.GetByLabel("API key").FillAsync(adminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

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
