using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Security;

/// <summary>The headers of docs/security.md ("Headers"), on real answers of a real host.</summary>
public sealed class SecurityHeadersTests : HostedTests
{
    [Theory]
    [InlineData("GET", "/healthz", null, HttpStatusCode.OK)]
    [InlineData("GET", "/v1/tenants", TestHost.OperatorKey, HttpStatusCode.OK)]
    [InlineData("GET", "/v1/tenants", null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "/v1/no-such-thing", TestHost.OperatorKey, HttpStatusCode.NotFound)]
    [InlineData("PUT", "/healthz", null, HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/console/sign-in", null, HttpStatusCode.OK)]
    [InlineData("GET", "/openapi/v1.json", null, HttpStatusCode.OK)]
    public async Task EveryAnswer_SaysNoSniff_AndNamesNoServer(string method, string path, string? key, HttpStatusCode status)
    {
        using var http = Host.Client(key);
        using var answer = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        answer.StatusCode.ShouldBe(status);
        answer.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        answer.Headers.Contains("Server").ShouldBeFalse();
    }

    [Fact]
    public async Task HeadOnHealth_Answers200()
    {
        using var http = Host.Client();
        using var answer = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/healthz"));
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnswersThatCarryANewKey_AreNotStored()
    {
        var tenantId = await Host.CreateTenantAsync();
        var licenseId = await Host.CreateLicenseAsync(tenantId, 5);
        using var created = await Host.Operator.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/api-keys")
        {
            Content = JsonContent.Create(new { tenantId, role = "client" }),
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        created.Headers.CacheControl!.NoStore.ShouldBeTrue();

        using var registered = await Host.Operator.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/installations")
        {
            Content = JsonContent.Create(new { licenseId, name = "laptop", fingerprint = "laptop.acme.local", seats = 1 }),
        });
        registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        registered.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var installationId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).Str("id");

        using var replaced = await Host.Operator.PostAsync($"/v1/installations/{installationId}/key", null);
        replaced.StatusCode.ShouldBe(HttpStatusCode.OK);
        replaced.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task ConsolePages_MayNotBeFramedOrCached_AndLoadOnlyTheirOwnScriptAndStyles()
    {
        using var http = Host.Client();
        using var page = await http.GetAsync("/console/sign-in");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        policy.ShouldContain("frame-ancestors 'none'");
        policy.ShouldContain("script-src 'self'");
        page.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        page.Headers.CacheControl!.NoStore.ShouldBeTrue();

        using var styles = await http.GetAsync("/_content/MudBlazor/MudBlazor.min.css");
        styles.StatusCode.ShouldBe(HttpStatusCode.OK);
        styles.Headers.Contains("Content-Security-Policy").ShouldBeFalse(); // static files stay cacheable
    }

    [Fact]
    public async Task ForwardedProto_FromAnUntrustedAddress_IsIgnored()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = Host.BaseAddress };
        var cookie = await ConsoleCookie.SignInAsync(http, TestHost.OperatorKey, new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https" });
        cookie.ShouldNotContain("secure", Case.Insensitive);
    }

    [Fact]
    public async Task ForwardedProto_FromATrustedProxy_MakesTheConsoleCookieSecure()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "leasehold-test-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>(await TestStore.SettingsAsync(dataDirectory)) { ["LEASEHOLD_TRUSTED_PROXIES"] = "127.0.0.1, ::1" };
        await using var proxied = await TestHost.StartAsync(dataDirectory, storeSettings: settings);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = proxied.BaseAddress };
        var cookie = await ConsoleCookie.SignInAsync(http, TestHost.OperatorKey, new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https" });
        cookie.ShouldContain("secure", Case.Insensitive);
    }
}
