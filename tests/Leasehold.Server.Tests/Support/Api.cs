using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Leasehold.Server.Tests.Support;

/// <summary>A tenant with one license and a key of each tenant role, made through the API like a real operator would.</summary>
public sealed record Tenancy(string TenantId, string LicenseId, HttpClient Admin, HttpClient App) : IDisposable
{
    public void Dispose()
    {
        Admin.Dispose();
        App.Dispose();
    }
}

/// <summary>Small helpers over HttpClient that read answers as plain JSON, the way any client would.</summary>
public static class Api
{
    public static async Task<JsonElement> SendAsync(this HttpClient client, HttpMethod method, string url, object? body,
        HttpStatusCode expected, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = body is string raw ? new StringContent(raw, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe((int)expected, $"{method} {url} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> PostAsync(this HttpClient client, string url, object? body, HttpStatusCode expected,
        IDictionary<string, string>? headers = null) =>
        client.SendAsync(HttpMethod.Post, url, body, expected, headers);

    public static Task<JsonElement> GetJsonAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.SendAsync(HttpMethod.Get, url, null, expected);

    public static Task<JsonElement> DeleteAsync(this HttpClient client, string url, HttpStatusCode expected) =>
        client.SendAsync(HttpMethod.Delete, url, null, expected);

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static int Int(this JsonElement element, string property) => element.GetProperty(property).GetInt32();

    public static async Task<string> CreateTenantAsync(this TestHost host, string name = "Acme", string timeZone = "Europe/Berlin") =>
        (await host.Operator.PostAsync("/v1/tenants", new { name, timeZone }, HttpStatusCode.Created)).Str("id");

    public static async Task<string> CreateKeyAsync(this TestHost host, string tenantId, string role) =>
        (await host.Operator.PostAsync("/v1/api-keys", new { tenantId, role }, HttpStatusCode.Created)).Str("key");

    public static async Task<string> CreateLicenseAsync(this TestHost host, string tenantId, int seats, object? policy = null, string product = "cad") =>
        (await host.Operator.PostAsync("/v1/licenses", new { tenantId, product, seats, policy }, HttpStatusCode.Created)).Str("id");

    /// <summary>A fresh tenant with a license of <paramref name="seats"/> seats, an admin key and a client (application) key.</summary>
    public static async Task<Tenancy> CreateTenancyAsync(this TestHost host, int seats, object? policy = null)
    {
        var tenantId = await host.CreateTenantAsync();
        var licenseId = await host.CreateLicenseAsync(tenantId, seats, policy);
        return new Tenancy(tenantId, licenseId,
            host.Client(await host.CreateKeyAsync(tenantId, "admin")),
            host.Client(await host.CreateKeyAsync(tenantId, "client")));
    }

    public static Task<JsonElement> CheckoutAsync(this HttpClient client, string licenseId, string user,
        HttpStatusCode expected = HttpStatusCode.Created, string device = "pc-1", string kind = "desktop", string? idempotencyKey = null) =>
        client.PostAsync("/v1/sessions", new { licenseId, user, device, client = kind }, expected,
            idempotencyKey is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey });
}
