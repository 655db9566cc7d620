using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Security;

/// <summary>
/// Quotas (issue 15): a tenant holds at most so many standing keys, and refused retries add a counter
/// increment to the usage history, not a row; past a number of refusal events per license and hour,
/// varying the free-text user and device goes into one overflow event. Real HTTP, real store.
/// </summary>
public sealed class QuotaTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await StartAsync(new()
    {
        ["LEASEHOLD_MAX_KEYS_PER_TENANT"] = "3",
        ["LEASEHOLD_MAX_REFUSAL_EVENTS_PER_HOUR"] = "5",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A host with these settings on the store this project tests.</summary>
    internal static async Task<TestHost> StartAsync(Dictionary<string, string> settings)
    {
        var data = Path.Combine(Path.GetTempPath(), "leasehold-test-" + Guid.NewGuid().ToString("N"));
        var all = new Dictionary<string, string>(await TestStore.SettingsAsync(data));
        foreach (var (key, value) in settings)
            all[key] = value;
        return await TestHost.StartAsync(data, storeSettings: all);
    }

    [Fact]
    public async Task CreatingAKey_PastTheTenantsQuota_IsRefusedWithQuotaExceeded_AndChangesNothing()
    {
        using var t = await _host.CreateTenancyAsync(seats: 1); // an admin and a client key: 2 of 3
        await t.Admin.PostAsync("/v1/api-keys", new { role = "client", name = "third" }, HttpStatusCode.Created);
        var keysBefore = Items(await t.Admin.GetJsonAsync("/v1/api-keys"), "keys").GetArrayLength();
        var auditBefore = await AuditCountAsync(t.TenantId);

        var problem = await t.Admin.ShouldFailAsync(HttpMethod.Post, "/v1/api-keys", new { role = "admin", name = "fourth" },
            HttpStatusCode.Conflict, "quota_exceeded", field: "tenantId");
        problem.Int("limit").ShouldBe(3);
        problem.Str("detail").ShouldContain("revoke");
        await _host.Operator.ShouldFailAsync(HttpMethod.Post, "/v1/api-keys", new { tenantId = t.TenantId, role = "client" },
            HttpStatusCode.Conflict, "quota_exceeded", field: "tenantId");

        Items(await t.Admin.GetJsonAsync("/v1/api-keys"), "keys").GetArrayLength().ShouldBe(keysBefore);
        (await AuditCountAsync(t.TenantId)).ShouldBe(auditBefore);
        // Another tenant and operator keys are not this tenant's quota.
        using var other = await _host.CreateTenancyAsync(seats: 1);
        await other.Admin.PostAsync("/v1/api-keys", new { role = "client" }, HttpStatusCode.Created);
        await _host.Operator.PostAsync("/v1/api-keys", new { role = "operator" }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task RevokingAKey_FreesAPlaceInTheQuota()
    {
        using var t = await _host.CreateTenancyAsync(seats: 1);
        var third = await t.Admin.PostAsync("/v1/api-keys", new { role = "client" }, HttpStatusCode.Created);
        await t.Admin.ShouldFailAsync(HttpMethod.Post, "/v1/api-keys", new { role = "client" }, HttpStatusCode.Conflict, "quota_exceeded");

        await t.Admin.DeleteAsync($"/v1/api-keys/{third.Str("id")}", HttpStatusCode.OK);

        var fourth = await t.Admin.PostAsync("/v1/api-keys", new { role = "client" }, HttpStatusCode.Created);
        using var app = _host.Client(fourth.Str("key"));
        await app.CheckoutAsync(t.LicenseId, "alice");
    }

    [Fact]
    public async Task FiveHundredRefusals_OfOneUserAndDevice_AreOneEventCountedFiveHundredTimes_AndReportsCountEveryOne()
    {
        using var t = await _host.CreateTenancyAsync(seats: 1);
        await t.App.CheckoutAsync(t.LicenseId, "alice");
        var first = _host.Clock.GetUtcNow();

        for (var i = 0; i < 500; i++)
        {
            var refused = await t.App.ShouldFailAsync(HttpMethod.Post, "/v1/sessions",
                new { licenseId = t.LicenseId, user = "bob", device = "pc-2", client = "desktop" }, HttpStatusCode.Conflict, "no_seat_available");
            if (i % 100 == 99)
                _host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var denied = await EventsAsync(t.Admin, $"licenseId={t.LicenseId}&kind=denied");
        var one = denied.ShouldHaveSingleItem();
        one.Str("user").ShouldBe("bob");
        one.Str("device").ShouldBe("pc-2");
        one.Int("count").ShouldBe(500);
        one.GetProperty("at").GetDateTimeOffset().ShouldBe(first);
        one.GetProperty("lastAt").GetDateTimeOffset().ShouldBe(first.AddSeconds(4));
        (await EventsAsync(t.Admin, $"licenseId={t.LicenseId}&kind=admitted")).ShouldHaveSingleItem().Int("count").ShouldBe(1);

        var denials = await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/denials");
        denials.Int("denials").ShouldBe(500);
        (await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/concurrency?bucket=day")).Int("denials").ShouldBe(500);
        (await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/limit-warnings")).GetProperty("refusals").Int("count").ShouldBe(500);
        (await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/what-if?seats=1")).Int("refusals").ShouldBe(500);
        (await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/what-if?seats=2")).Int("refusals").ShouldBe(0);

        var csv = (await t.Admin.GetStringAsync($"/v1/usage/events.csv?licenseId={t.LicenseId}&kind=denied")).Split("\r\n");
        csv[0].ShouldEndWith(",count,last_at");
        csv[1].ShouldEndWith($",500,{first.AddSeconds(4):yyyy-MM-dd'T'HH:mm:ss.fff'Z'}");
    }

    [Fact]
    public async Task RefusalsInTheNextHour_OrOfAnotherDevice_AreEventsOfTheirOwn()
    {
        using var t = await _host.CreateTenancyAsync(seats: 1);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict, device: "pc-2");
        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict, device: "pc-3");
        await KeepWorkingAsync(t.App, alice, TimeSpan.FromHours(1));
        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict, device: "pc-2");
        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict, device: "pc-2");

        var denied = await EventsAsync(t.Admin, $"licenseId={t.LicenseId}&kind=denied");

        denied.Select(e => (e.Str("device"), e.Int("count"))).ShouldBe([("pc-2", 1), ("pc-3", 1), ("pc-2", 2)]);
    }

    [Fact]
    public async Task DistinctUsersPastTheHourlyQuota_CollapseIntoOneOverflowEvent()
    {
        using var t = await _host.CreateTenancyAsync(seats: 1);
        await t.App.CheckoutAsync(t.LicenseId, "alice");

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 12; i++)
                await t.App.CheckoutAsync(t.LicenseId, $"user-{i}", HttpStatusCode.Conflict, device: $"pc-{i}");
        }

        var denied = await EventsAsync(t.Admin, $"licenseId={t.LicenseId}&kind=denied");
        denied.Count.ShouldBe(6);
        denied.Take(5).Select(e => (e.Str("user"), e.Int("count"))).ShouldBe([.. Enumerable.Range(0, 5).Select(i => ($"user-{i}", 2))]);
        var overflow = denied[5];
        (overflow.Str("user"), overflow.Str("device"), overflow.Str("code"), overflow.Int("count")).ShouldBe(("*", "*", "no_seat_available", 14));
        overflow.GetProperty("sessionId").ValueKind.ShouldBe(JsonValueKind.Null);
        (await t.Admin.GetJsonAsync($"/v1/usage/licenses/{t.LicenseId}/denials")).Int("denials").ShouldBe(24);
    }

    [Fact]
    public async Task ACollapsedEvent_KeepsItsIdAndPlace_SoAFollowerByCursorSeesTheFirstRefusalOnce()
    {
        using var t = await _host.CreateTenancyAsync(seats: 1);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict, device: "pc-2");
        var firstPage = await t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={t.LicenseId}&limit=1");
        var cursor = firstPage.GetProperty("nextCursor").GetString()!;
        var refusal = (await EventsAsync(t.Admin, $"licenseId={t.LicenseId}&kind=denied")).ShouldHaveSingleItem();

        await KeepWorkingAsync(t.App, alice, TimeSpan.FromMinutes(5));
        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict, device: "pc-2");
        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict, device: "pc-2");

        var next = Items(await t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={t.LicenseId}&limit=10&cursor={cursor}"), "events")
            .EnumerateArray().ToList();
        var same = next.ShouldHaveSingleItem();
        same.GetProperty("id").GetInt64().ShouldBe(refusal.GetProperty("id").GetInt64());
        same.GetProperty("at").GetDateTimeOffset().ShouldBe(refusal.GetProperty("at").GetDateTimeOffset());
        same.Int("count").ShouldBe(3);
    }

    /// <summary>Moves the clock by <paramref name="time"/> a minute at a time, the session's user at work throughout, so it keeps its seat.</summary>
    private async Task KeepWorkingAsync(HttpClient app, string sessionId, TimeSpan time)
    {
        for (var moved = TimeSpan.Zero; moved < time; moved += TimeSpan.FromMinutes(1))
        {
            _host.Clock.Advance(TimeSpan.FromMinutes(1));
            await app.PostAsync($"/v1/sessions/{sessionId}/heartbeat", new { active = true }, HttpStatusCode.OK);
        }
    }

    /// <summary>A list answer's array, whether the answer is the array, an <c>items</c> page or a page named <paramref name="legacy"/>.</summary>
    internal static JsonElement Items(JsonElement answer, string legacy) =>
        answer.ValueKind == JsonValueKind.Array ? answer
        : answer.TryGetProperty("items", out var items) ? items
        : answer.GetProperty(legacy);

    /// <summary>Every usage event the filter matches, oldest first, page after page.</summary>
    internal static async Task<List<JsonElement>> EventsAsync(HttpClient admin, string filters)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await admin.GetJsonAsync($"/v1/usage/events?{filters}&limit=1000" + (cursor is null ? "" : $"&cursor={cursor}"));
            all.AddRange(Items(page, "events").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return all;
    }

    private async Task<int> AuditCountAsync(string tenantId)
    {
        var page = await _host.Operator.GetJsonAsync($"/v1/audit?tenantId={tenantId}&limit=1000");
        return Items(page, "records").GetArrayLength();
    }
}
