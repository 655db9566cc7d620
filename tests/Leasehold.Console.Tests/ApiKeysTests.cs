using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>A tenant admin makes a key for an application in the console, sees its secret once, and revokes it.</summary>
public sealed class ApiKeysTests(Xunit.Abstractions.ITestOutputHelper log) : IAsyncLifetime
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
    public async Task ANewKey_IsShownOnce_Works_AndStopsWorkingWhenRevoked()
    {
        var tenantId = (await _operator.PostAsync("/v1/tenants", new { name = "Acme", timeZone = "Europe/Berlin" }, HttpStatusCode.Created)).Str("id");
        var licenseId = (await _operator.PostAsync("/v1/licenses", new { tenantId, product = "cargo-office", seats = 3 }, HttpStatusCode.Created)).Str("id");
        var adminKey = (await _operator.PostAsync("/v1/api-keys", new { tenantId, role = "admin" }, HttpStatusCode.Created)).Str("key");
        var page = await _browser.NewPageAsync(_server.BaseAddress);
        await page.GotoAsync("/console/keys");
        await page.GetByLabel("API key").FillAsync(adminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.GetByLabel("Role").SelectOptionAsync("client");
        await page.GetByLabel("Name (what uses it)").FillAsync("cargo-office desktop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        var secret = await page.GetByTestId("new-key").TextContentAsync();
        secret.ShouldNotBeNull().ShouldStartWith("lh_");
        using var app = _server.Client(secret);
        await app.CheckoutAsync(licenseId, "alice");
        await page.GotoAsync("/console/keys");
        await Assertions.Expect(page.GetByTestId("new-key")).ToHaveCountAsync(0); // shown once
        var row = page.GetByTestId("key-row").Filter(new() { HasText = "cargo-office desktop" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("key-row").Filter(new() { HasText = "cargo-office desktop" })).ToContainTextAsync("revoked");
        await app.CheckoutAsync(licenseId, "bob", HttpStatusCode.Unauthorized);
    }
}
