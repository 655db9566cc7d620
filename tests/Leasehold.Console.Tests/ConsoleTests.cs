using System.Net;
using Deque.AxeCore.Playwright;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// What every console test starts from: the real server as its own process on fresh data, a client
/// with the operator key to set the scene through the API, and Chromium. All stopped afterwards,
/// also when the test failed; the server's output is shown with a failure.
/// </summary>
public abstract class ConsoleTests(Xunit.Abstractions.ITestOutputHelper log) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "leasehold-console-" + Guid.NewGuid().ToString("N"));

    protected ServerProcess Server { get; private set; } = null!;

    protected Browser Browser { get; private set; } = null!;

    protected HttpClient Operator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(_data, TestHost.OperatorKey);
        Operator = Server.Client(TestHost.OperatorKey);
        Browser = await Browser.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        Operator?.Dispose();
        if (Server is not null)
        {
            log.WriteLine(Server.Output);
            await Server.DisposeAsync();
        }
        TestHost.TryDelete(_data);
    }

    /// <summary>A tenant with one license of <paramref name="seats"/>, an admin key and a client key, made through the API.</summary>
    protected async Task<Customer> CustomerAsync(string name, int seats, string timeZone = "Europe/Berlin")
    {
        var tenantId = (await Operator.PostAsync("/v1/tenants", new { name, timeZone }, HttpStatusCode.Created)).Str("id");
        var licenseId = (await Operator.PostAsync("/v1/licenses", new { tenantId, product = "cargo-office", seats }, HttpStatusCode.Created)).Str("id");
        var admin = (await Operator.PostAsync("/v1/api-keys", new { tenantId, role = "admin" }, HttpStatusCode.Created)).Str("key");
        var client = (await Operator.PostAsync("/v1/api-keys", new { tenantId, role = "client" }, HttpStatusCode.Created)).Str("key");
        return new Customer(tenantId, licenseId, admin, client);
    }

    /// <summary>Opens <paramref name="path"/>, which asks who you are first, and signs in with <paramref name="key"/>.</summary>
    protected static async Task SignInAsync(IPage page, string key, string path = "/console")
    {
        await page.GotoAsync(path);
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>axe-core in the page: no serious or critical violation (every page checks itself at 1280 and 390 pixels).</summary>
    protected static async Task NoSeriousViolationsAsync(IPage page, string name)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        serious.ShouldBeEmpty($"{name}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }
}

public sealed record Customer(string TenantId, string LicenseId, string AdminKey, string ClientKey);
