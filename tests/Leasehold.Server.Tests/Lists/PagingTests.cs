using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Lists;

/// <summary>
/// Every list of the API, over HTTP: more than a page of items, read 2 at a time by following
/// <c>nextCursor</c>, shows each item exactly once, in the list's documented order, and the last page
/// says so with <c>nextCursor: null</c>; a bad <c>limit</c> or <c>cursor</c> is a 400 naming it; a tenant
/// admin's pages hold only its tenant's items.
/// </summary>
public sealed class PagingTests : HostedTests
{
    /// <summary>A list: its route (with <c>{license}</c> for tenant A's license), whether the operator alone reads it, and its order.</summary>
    public sealed record ListRoute(string Route, bool OperatorOnly, Func<JsonElement, IComparable[]> Order)
    {
        public override string ToString() => Route;
    }

    private static IComparable[] ByCreation(JsonElement e) => [Time(e, "createdAt"), e.Str("id")];

    private static DateTimeOffset Time(JsonElement e, string property) => e.GetProperty(property).GetDateTimeOffset();

    public static TheoryData<ListRoute> Routes =>
    [
        new("/v1/tenants", false, ByCreation),
        new("/v1/licenses", false, ByCreation),
        new("/v1/connections", false, ByCreation),
        new("/v1/api-keys", false, ByCreation),
        new("/v1/installations", false, ByCreation),
        new("/v1/sessions", false, e => [Time(e, "startedAt"), e.Str("id")]),
        new("/v1/licenses/{license}/cool-downs", false, e => [Time(e, "until"), e.Str("sessionId")]),
        new("/v1/signing-keys", true, e => [Time(e, "createdAt"), e.GetProperty("signing").GetBoolean(), e.Str("id")]),
        new("/v1/usage/events", false, e => [Time(e, "at")]),
        new("/v1/audit", false, e => [DateTimeOffset.MaxValue - Time(e, "at")]),
    ];

    private Tenancy _a = null!;
    private Tenancy _b = null!;

    /// <summary>Two tenants with five of everything each (tenants: a few more), made in one millisecond so that ids break the ties.</summary>
    protected override async Task GivenAsync()
    {
        _a = await Host.CreateTenancyAsync(seats: 20);
        _b = await Host.CreateTenancyAsync(seats: 20);
        for (var i = 0; i < 3; i++)
            await Host.CreateTenantAsync($"Extra {i}");
        foreach (var t in new[] { _a, _b })
        {
            for (var i = 0; i < 5; i++)
            {
                await Host.CreateLicenseAsync(t.TenantId, 5, product: $"app-{i}");
                await Host.Operator.PostAsync("/v1/connections", new { tenantId = t.TenantId, name = $"rdp-{i}", accessPlan = "always" }, HttpStatusCode.Created);
                await Host.CreateKeyAsync(t.TenantId, "client");
                await t.Admin.PostAsync("/v1/installations",
                    new { licenseId = t.LicenseId, name = $"laptop-{i}", fingerprint = $"laptop-{i}", seats = 1 }, HttpStatusCode.Created);
            }
            for (var i = 0; i < 9; i++)
            {
                var session = (await t.App.CheckoutAsync(t.LicenseId, $"user-{i}", device: $"pc-{i}")).Str("id");
                if (i % 2 == 0)
                    await t.Admin.PostAsync($"/v1/sessions/{session}/stop", new { coolDownMinutes = 30 + (i % 2) }, HttpStatusCode.OK);
            }
        }
        for (var i = 0; i < 4; i++)
            await Host.Operator.PostAsync("/v1/signing-keys", null, HttpStatusCode.Created);
    }

    public override async Task DisposeAsync()
    {
        _a?.Dispose();
        _b?.Dispose();
        await base.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task FollowingNextCursor_ShowsEveryItemOnceInOrder(ListRoute list)
    {
        foreach (var (reader, label) in Readers(list))
        {
            var route = Route(list);
            var whole = await reader.GetJsonAsync(Query(route, "limit=1000"));
            whole.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null, $"{label}: all of {route} fits in one page of 1000");
            var all = whole.GetProperty("items").EnumerateArray().ToList();
            if (list.Route == "/v1/tenants" && reader != Host.Operator)
                all.Count.ShouldBe(1, "a tenant admin sees its own tenant");
            else
                all.Count.ShouldBeGreaterThan(2, $"{label}: {route} holds more than a page of 2");

            var paged = await ReadAllAsync(reader, route, limit: 2);

            Keys(paged).ShouldBe(Keys(all), $"{label}: {route} read 2 at a time shows what one page shows, in the same order");
            Keys(paged).Distinct().Count().ShouldBe(paged.Count, $"{label}: no item of {route} twice");
            paged.Select(list.Order).ShouldBe(paged.Select(list.Order).Order(OrderComparer.Instance), $"{label}: {route} in its documented order");
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ATenantAdminsPages_HoldOnlyItsTenantsItems(ListRoute list)
    {
        if (list.OperatorOnly)
            return;
        var items = await ReadAllAsync(_a.Admin, Route(list), limit: 2);
        items.ShouldNotBeEmpty();
        foreach (var item in items)
        {
            var tenant = item.TryGetProperty("tenantId", out var owner) ? owner.GetString()
                : list.Route == "/v1/tenants" ? item.Str("id") : null;
            if (tenant is not null)
                tenant.ShouldBe(_a.TenantId, $"{list.Route} of tenant A's admin");
            if (item.TryGetProperty("licenseId", out var license) && license.GetString() is { } licenseId)
                licenseId.ShouldNotBe(_b.LicenseId);
        }
        if (list.Route == "/v1/tenants")
            items.Count.ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task BadLimitsAndCursors_AreRefusedByField(ListRoute list)
    {
        var reader = list.OperatorOnly ? Host.Operator : _a.Admin;
        var route = Route(list);
        foreach (var limit in new[] { "0", "1001", "abc", "-1", "1.5" })
            (await reader.SendRawAsync(HttpMethod.Get, Query(route, $"limit={limit}"))).ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_request", "limit");

        var first = await reader.GetJsonAsync(Query(route, "limit=1"));
        var cursor = first.Str("nextCursor");
        var otherList = (await Host.Operator.GetJsonAsync(list.Route == "/v1/tenants" ? "/v1/api-keys?limit=1" : "/v1/tenants?limit=1")).Str("nextCursor");
        foreach (var bad in new[] { "not-a-cursor", "%00", otherList, cursor + "!", Convert.ToBase64String("t1.x.y"u8) })
            (await reader.SendRawAsync(HttpMethod.Get, Query(route, $"cursor={Uri.EscapeDataString(bad)}"))).ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_request", "cursor");
    }

    [Fact]
    public async Task Filters_GoWithEveryPage()
    {
        var licenses = await ReadAllAsync(Host.Operator, $"/v1/licenses?tenantId={_b.TenantId}", limit: 2);
        licenses.Count.ShouldBe(6);
        licenses.ShouldAllBe(l => l.Str("tenantId") == _b.TenantId);
        var sessions = await ReadAllAsync(Host.Operator, $"/v1/sessions?licenseId={_b.LicenseId}", limit: 1);
        sessions.Count.ShouldBe(4);
        sessions.ShouldAllBe(s => s.Str("licenseId") == _b.LicenseId);
    }

    private IEnumerable<(HttpClient Reader, string Label)> Readers(ListRoute list)
    {
        yield return (Host.Operator, "operator");
        if (!list.OperatorOnly)
            yield return (_a.Admin, "tenant admin");
    }

    private string Route(ListRoute list) => list.Route.Replace("{license}", _a.LicenseId, StringComparison.Ordinal);

    private static string Query(string route, string query) => route + (route.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;

    private static async Task<List<JsonElement>> ReadAllAsync(HttpClient reader, string route, int limit)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        for (var pages = 0; ; pages++)
        {
            pages.ShouldBeLessThan(1000, "the cursors come to an end");
            var page = await reader.GetJsonAsync(Query(route, $"limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")));
            var shown = page.GetProperty("items").EnumerateArray().ToList();
            shown.Count.ShouldBeLessThanOrEqualTo(limit);
            items.AddRange(shown);
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is null)
                return items;
        }
    }

    private static List<string> Keys(IEnumerable<JsonElement> items) =>
        [.. items.Select(i => i.TryGetProperty("id", out var id) ? id.ToString() : i.Str("sessionId"))];

    /// <summary>Compares sort keys part by part (ids byte by byte, as the stores order them).</summary>
    private sealed class OrderComparer : IComparer<IComparable[]>
    {
        public static readonly OrderComparer Instance = new();

        public int Compare(IComparable[]? x, IComparable[]? y)
        {
            for (var i = 0; i < x!.Length; i++)
            {
                var c = x[i] is string a && y![i] is string b ? string.CompareOrdinal(a, b) : x[i].CompareTo(y![i]);
                if (c != 0)
                    return c;
            }
            return 0;
        }
    }
}
