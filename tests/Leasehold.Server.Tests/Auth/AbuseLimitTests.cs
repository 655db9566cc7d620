using System.Net;
using System.Text;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Auth;

/// <summary>
/// Guessing keys is slowed down per address (429 with Retry-After once an address has presented too
/// many keys that do not work, and a guess is then not even checked), while a key the server has just
/// verified keeps working from that address; and a body larger than the server reads is 413 before
/// it is read, changing nothing.
/// </summary>
public sealed class AbuseLimitTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(storeSettings: new Dictionary<string, string> { ["LEASEHOLD_FAILED_KEYS_PER_MINUTE"] = "5" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnAddressThatGuessesKeys_IsAnswered429_ButAKeyJustVerifiedStillWorks()
    {
        var tenant = await _host.CreateTenantAsync();
        var verified = await _host.CreateKeyAsync(tenant, "admin");
        var neverUsed = await _host.CreateKeyAsync(tenant, "admin");
        using (var admin = _host.Client(verified))
            await admin.GetJsonAsync("/v1/licenses"); // verified: in this node's cache of good keys

        for (var guess = 0; guess < 5; guess++)
        {
            using var guesser = _host.Client($"lh_guess_{guess:D4}_{Guid.NewGuid():N}");
            (await guesser.GetAsync("/v1/licenses")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        using var sixth = _host.Client($"lh_guess_{Guid.NewGuid():N}");
        using var refused = await sixth.GetAsync("/v1/licenses");

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.Str("code").ShouldBe("too_many_requests");
        refused.Headers.RetryAfter?.Delta.ShouldNotBeNull();
        refused.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        using (var admin = _host.Client(verified))
            await admin.GetJsonAsync("/v1/licenses"); // the application behind the same address goes on
        using var unverified = _host.Client(neverUsed);
        (await unverified.GetAsync("/v1/licenses")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "a key not verified lately is not checked either");
    }

    [Fact]
    public async Task ABodyLargerThanTheServerReads_Is413_AndChangesNothing()
    {
        var before = (await _host.Operator.GetJsonAsync("/v1/tenants")).GetProperty("items").GetArrayLength();
        var body = "{\"name\":\"" + new string('a', 2 * 1024 * 1024) + "\",\"timeZone\":\"UTC\"}";

        // As curl does with a large body: the headers first, the body only once the server says go on. Sent
        // without it, the 413 comes back and the connection closes while the client still writes, and the
        // client sees a broken pipe instead of the answer (seen once in CI).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using var answer = await _host.Operator.SendAsync(request);

        answer.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.Str("code").ShouldBe("request_too_large");
        (await _host.Operator.GetJsonAsync("/v1/tenants")).GetProperty("items").GetArrayLength().ShouldBe(before);
    }
}
