using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Auth;

/// <summary>
/// Writes are limited per key (429 <c>too_many_requests</c> with Retry-After, before the handler runs, so
/// nothing changes), reads are not, and each key has its own bucket; client keys have their own limit.
/// Each call reads a body up to its documented size (docs/api.md, "Limits"): a larger one is 413.
/// </summary>
public sealed class WriteAndBodyLimitTests : IAsyncLifetime
{
    private const int AdminWrites = 5;
    private const int ClientWrites = 3;
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(storeSettings: new Dictionary<string, string>
        {
            ["LEASEHOLD_WRITES_PER_MINUTE"] = AdminWrites.ToString(),
            ["LEASEHOLD_CLIENT_WRITES_PER_MINUTE"] = ClientWrites.ToString(),
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnAdminKeyBeyondItsWritesPerMinute_Is429_ChangesNothing_AndReadsAndOtherKeysGoOn()
    {
        var tenant = await _host.CreateTenantAsync(); // the operator's key: its own bucket
        using var admin = _host.Client(await _host.CreateKeyAsync(tenant, "admin"));
        using var other = _host.Client(await _host.CreateKeyAsync(tenant, "admin"));

        for (var i = 0; i < AdminWrites; i++)
            await admin.PostAsync("/v1/api-keys", new { role = "client", name = $"allowed {i}" }, HttpStatusCode.Created);
        using var refused = await admin.PostAsJsonAsync("/v1/api-keys", new { role = "client", name = "one too many" });

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        problem.Str("code").ShouldBe("too_many_requests");
        problem.GetProperty("retryAfter").GetInt32().ShouldBe((int)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
        refused.Headers.RetryAfter?.Delta.ShouldNotBeNull();
        refused.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var keys = await admin.GetStringAsync("/v1/api-keys"); // reads are not counted
        keys.ShouldContain("allowed 4");
        keys.ShouldNotContain("one too many");
        await other.PostAsync("/v1/api-keys", new { role = "client", name = "another key's bucket" }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task AClientKeyBeyondItsWritesPerMinute_Is429_AndTakesNoSeat()
    {
        using var t = await _host.CreateTenancyAsync(seats: 10);

        for (var i = 0; i < ClientWrites; i++)
            await t.App.CheckoutAsync(t.LicenseId, $"user{i}");
        var refused = await t.App.CheckoutAsync(t.LicenseId, "one too many", HttpStatusCode.TooManyRequests);

        refused.Str("code").ShouldBe("too_many_requests");
        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seatsInUse").ShouldBe(ClientWrites);
    }

    [Fact]
    public async Task EachCallReadsABodyUpToItsOwnLimit_ALargerOneIs413()
    {
        var tenant = await _host.CreateTenantAsync();
        var padding = new string(' ', 40 * 1024); // JSON whitespace: a valid body, just long

        // A tenant is a name and a time zone: 32 KiB is plenty, 40 KiB is refused unread.
        using var tooLarge = await _host.Operator.PostAsync("/v1/tenants",
            new StringContent("{\"name\":\"Big\",\"timeZone\":\"UTC\"" + padding + "}", Encoding.UTF8, "application/json"));
        tooLarge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var problem = JsonDocument.Parse(await tooLarge.Content.ReadAsStringAsync()).RootElement;
        problem.Str("code").ShouldBe("request_too_large");
        problem.Str("detail").ShouldContain("32 KiB");
        problem.Str("field").ShouldBe("body");
        (await _host.Operator.GetStringAsync("/v1/tenants")).ShouldNotContain("\"Big\"");

        // A license's policy may be long: the same 40 KiB is read there.
        using var license = await _host.Operator.PostAsync("/v1/licenses",
            new StringContent($"{{\"tenantId\":\"{tenant}\",\"product\":\"cad\",\"seats\":2{padding}}}", Encoding.UTF8, "application/json"));
        license.StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
