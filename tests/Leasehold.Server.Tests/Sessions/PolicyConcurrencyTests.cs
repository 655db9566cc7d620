using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Sessions;

/// <summary>The limit holds under concurrency with seat keys, weights and named seats too.</summary>
public sealed class PolicyConcurrencyTests : HostedTests
{
    [Fact]
    public async Task ParallelCheckouts_WithSeatKeyUser_AdmitExactlyTenUsers_AndShareTheirSeats()
    {
        using var t = await Host.CreateTenancyAsync(seats: 10, policy: new { seatKey = "user" });
        var attempts = Enumerable.Range(0, 200).Select(i => (User: $"user-{i % 40}", Device: $"pc-{i}")).ToList();

        var results = await RaceAsync(t, attempts.Select(a => (object)new { licenseId = t.LicenseId, user = a.User, device = a.Device, client = "desktop" }));

        var admittedUsers = results.Where(r => r.Status == HttpStatusCode.Created).Select(r => r.Body.Str("user")).Distinct().ToList();
        admittedUsers.Count.ShouldBe(10);
        var license = await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}");
        license.Int("seatsInUse").ShouldBe(10);
    }

    [Fact]
    public async Task ParallelCheckouts_WithWeights_NeverHoldMoreSeatsThanTheLimit_AndFillIt()
    {
        var policy = new { clientTypes = new { desktop = new { weight = 1 }, integration = new { weight = 3 } } };
        using var t = await Host.CreateTenancyAsync(seats: 10, policy);
        var bodies = Enumerable.Range(0, 120).Select(i => (object)new
        {
            licenseId = t.LicenseId, user = $"user-{i}", device = $"host-{i}", client = i % 3 == 0 ? "integration" : "desktop",
        });

        var results = await RaceAsync(t, bodies);

        var held = results.Where(r => r.Status == HttpStatusCode.Created).Sum(r => r.Body.Int("seats"));
        held.ShouldBeLessThanOrEqualTo(10);
        results.Any(r => r.Status == HttpStatusCode.Conflict && r.Body.Str("client") == "desktop").ShouldBeTrue();
        held.ShouldBe(10, "a desktop session (weight 1) was refused, so the pool must have been full");
        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seatsInUse").ShouldBe(10);
    }

    [Fact]
    public async Task ParallelCheckouts_NamedUsersAlwaysGetIn_AndTheOthersStillStopAtTheLimit()
    {
        using var t = await Host.CreateTenancyAsync(seats: 5, policy: new { namedUsers = new[] { "boss", "auditor" } });
        var bodies = Enumerable.Range(0, 150).Select(i => (object)new
        {
            licenseId = t.LicenseId, user = i % 5 == 0 ? (i % 10 == 0 ? "boss" : "auditor") : $"user-{i}", device = $"pc-{i}", client = "desktop",
        });

        var results = await RaceAsync(t, bodies);

        var named = results.Where(r => r.User is "boss" or "auditor").ToList();
        named.Count.ShouldBe(30);
        named.ShouldAllBe(r => r.Status == HttpStatusCode.Created);
        named.ShouldAllBe(r => r.Body.Int("seats") == 0);
        results.Count(r => r.Status == HttpStatusCode.Created && r.User is not ("boss" or "auditor")).ShouldBe(5);
        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seatsInUse").ShouldBe(5);
    }

    private static async Task<List<(HttpStatusCode Status, JsonElement Body, string User)>> RaceAsync(Tenancy t, IEnumerable<object> bodies)
    {
        using var start = new SemaphoreSlim(0);
        var tasks = bodies.Select(async body =>
        {
            await start.WaitAsync();
            using var response = await t.App.PostAsJsonAsync("/v1/sessions", body);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            var user = JsonSerializer.SerializeToElement(body).Str("user");
            return (response.StatusCode, json, user);
        }).ToList();
        start.Release(tasks.Count);
        var results = (await Task.WhenAll(tasks)).ToList();
        results.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.Conflict);
        return results;
    }
}
