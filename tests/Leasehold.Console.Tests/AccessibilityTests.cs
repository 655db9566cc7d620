using System.Net;
using Deque.AxeCore.Playwright;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// Every console page, checked by axe-core in the browser at a desktop width and at a phone's: no
/// serious or critical violation; and signing in works from the keyboard alone.
/// </summary>
public sealed class AccessibilityTests(Xunit.Abstractions.ITestOutputHelper log) : IAsyncLifetime
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

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task EveryPage_HasNoSeriousOrCriticalViolation_AndSigningInWorksFromTheKeyboard(int width)
    {
        var tenantId = (await _operator.PostAsync("/v1/tenants", new { name = "Acme", timeZone = "Europe/Berlin" }, HttpStatusCode.Created)).Str("id");
        var licenseId = (await _operator.PostAsync("/v1/licenses", new { tenantId, product = "cargo-office", seats = 3 }, HttpStatusCode.Created)).Str("id");
        var adminKey = (await _operator.PostAsync("/v1/api-keys", new { tenantId, role = "admin" }, HttpStatusCode.Created)).Str("key");
        using var app = _server.Client((await _operator.PostAsync("/v1/api-keys", new { tenantId, role = "client" }, HttpStatusCode.Created)).Str("key"));
        var session = await app.CheckoutAsync(licenseId, "alice");
        var page = await _browser.NewPageAsync(_server.BaseAddress, width);

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

    private static async Task NoSeriousViolationsAsync(IPage page, string name)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        serious.ShouldBeEmpty($"{name}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }
}
