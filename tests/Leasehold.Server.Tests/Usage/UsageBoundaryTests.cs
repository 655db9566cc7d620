using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Usage;

/// <summary>Bad query parameters are refused naming the parameter; a key of another tenant sees nothing; a client key may not read usage.</summary>
public sealed class UsageBoundaryTests : HostedTests
{
    public static TheoryData<string, string> BadQueries => new()
    {
        { "/v1/usage/events?from=yesterday", "from" },
        { "/v1/usage/events?to=2026-13-01", "to" },
        { "/v1/usage/events?kind=started", "kind" },
        { "/v1/usage/events?kind=1", "kind" },
        { "/v1/usage/events?limit=0", "limit" },
        { "/v1/usage/events?limit=1001", "limit" },
        { "/v1/usage/events?limit=ten", "limit" },
        { "/v1/usage/events?cursor=not-a-cursor", "cursor" },
        { "/v1/usage/events?cursor=djIuMS4y", "cursor" },
        { "/v1/usage/events.csv?from=2026-03-03%2010:00", "from" },
        { "/v1/usage/licenses/{license}/concurrency?bucket=week", "bucket" },
        { "/v1/usage/licenses/{license}/concurrency?from=2026-03-05&to=2026-03-01", "from" },
        { "/v1/usage/licenses/{license}/concurrency?bucket=hour&from=2026-01-01&to=2026-03-01", "from" },
        { "/v1/usage/licenses/{license}/concurrency?from=2020-01-01&to=2026-03-01", "from" },
        { "/v1/usage/licenses/{license}/holders?at=noon", "at" },
        { "/v1/usage/licenses/{license}/denials?to=soon", "to" },
        { "/v1/usage/licenses/{license}/limit-warnings?from=x", "from" },
        { "/v1/usage/licenses/{license}/what-if", "seats" },
        { "/v1/usage/licenses/{license}/what-if?seats=-1", "seats" },
        { "/v1/usage/licenses/{license}/right-size?maxRefusals=some", "maxRefusals" },
        { "/v1/usage/licenses/{license}/idle-holders?top=0", "top" },
        // Found by the route fuzzing (Security/RouteFuzzTests): a 'to' in year 1 was a 500 (no default 'from' 30 days
        // before it), and a local time in year 1 too (the tenant's zone is east of UTC: before year 1 in UTC).
        { "/v1/usage/licenses/{license}/concurrency?to=0001-01-01T00:00:00Z&from=%EF%BF%BD", "to" },
        { "/v1/usage/licenses/{license}/concurrency?to=0001-01-01T00:00:00Z", "to" },
        { "/v1/usage/licenses/{license}/concurrency?to=1969-12-31T23:59:59Z", "to" },
        { "/v1/usage/licenses/{license}/concurrency?to=9999-12-31T23:59:59Z", "to" },
        { "/v1/usage/licenses/{license}/concurrency?from=9999-12-01T00:00:00Z&to=9999-12-29T00:00:00Z", "to" },
        { "/v1/usage/licenses/{license}/denials?to=0001-01-01", "to" },
        { "/v1/usage/licenses/{license}/holders?at=0001-01-01T00:00", "at" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task BadQuery_IsRefused_NamingTheParameter(string url, string field)
    {
        using var t = await Host.CreateTenancyAsync(1);

        var reply = await t.Admin.SendRawAsync(HttpMethod.Get, url.Replace("{license}", t.LicenseId, StringComparison.Ordinal));

        reply.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Theory]
    [InlineData("/v1/usage/licenses/{license}/concurrency", null)]
    [InlineData("/v1/usage/licenses/{license}/holders", null)]
    [InlineData("/v1/usage/licenses/{license}/denials", null)]
    [InlineData("/v1/usage/licenses/{license}/limit-warnings", null)]
    [InlineData("/v1/usage/licenses/{license}/what-if?seats=3", null)]
    [InlineData("/v1/usage/licenses/{license}/right-size", null)]
    [InlineData("/v1/usage/licenses/{license}/idle-holders", null)]
    [InlineData("/v1/usage/events?licenseId={license}", "licenseId")]
    [InlineData("/v1/usage/events.csv?licenseId={license}", "licenseId")]
    [InlineData("/v1/usage/events?tenantId={tenant}", "tenantId")]
    public async Task AdminOfTenantB_AskingAboutTenantA_IsNotFound_LikeAnUnknownId(string url, string? field)
    {
        using var a = await Host.CreateTenancyAsync(1);
        using var b = await Host.CreateTenancyAsync(1);
        await a.App.CheckoutAsync(a.LicenseId, "alice");

        var reply = await b.Admin.SendRawAsync(HttpMethod.Get, url.Replace("{license}", a.LicenseId, StringComparison.Ordinal).Replace("{tenant}", a.TenantId, StringComparison.Ordinal));
        var unknown = await b.Admin.SendRawAsync(HttpMethod.Get, url.Replace("{license}", "lic_AAAAAAAAAAAAAAAAAAAAAA", StringComparison.Ordinal)
            .Replace("{tenant}", "ten_AAAAAAAAAAAAAAAAAAAAAA", StringComparison.Ordinal));

        reply.ShouldBeProblem(HttpStatusCode.NotFound, "not_found", field);
        reply.ShouldLookTheSameAs(unknown);
    }

    [Fact]
    public async Task History_OfEachAdmin_HoldsOnlyItsOwnTenant_WhileTheOperatorSeesBoth()
    {
        using var a = await Host.CreateTenancyAsync(1);
        using var b = await Host.CreateTenancyAsync(1);
        await a.App.CheckoutAsync(a.LicenseId, "alice");
        await b.App.CheckoutAsync(b.LicenseId, "bob");

        var ofB = await b.Admin.GetJsonAsync("/v1/usage/events");
        var csvOfB = await b.Admin.GetStringAsync(new Uri("/v1/usage/events.csv", UriKind.Relative));
        var all = await Host.Operator.GetJsonAsync("/v1/usage/events");

        ofB.GetProperty("items").EnumerateArray().Select(e => e.Str("user")).ShouldBe(["bob"]);
        csvOfB.ShouldContain(",bob,");
        csvOfB.ShouldNotContain("alice");
        all.GetProperty("items").EnumerateArray().Select(e => e.Str("user")).Order().ShouldBe(["alice", "bob"]);
    }

    [Theory]
    [InlineData("/v1/usage/events")]
    [InlineData("/v1/usage/events.csv")]
    [InlineData("/v1/usage/licenses/{license}/concurrency")]
    [InlineData("/v1/usage/licenses/{license}/right-size")]
    public async Task ClientKey_MayNotReadUsage(string url)
    {
        using var t = await Host.CreateTenancyAsync(1);

        var reply = await t.App.SendRawAsync(HttpMethod.Get, url.Replace("{license}", t.LicenseId, StringComparison.Ordinal));

        reply.ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
    }
}
