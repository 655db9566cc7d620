using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Licenses;

/// <summary>A connection belongs to its user (named, or the first to sign in): anyone else needs its shared e-mail, whether or not it is in use.</summary>
public sealed class ConnectionOwnershipTests : HostedTests
{
    private static object SignIn(string licenseId, string connection, string user, string? email = null) =>
        new { licenseId, user, device = "pc-" + user, client = "desktop", connection, email };

    [Fact]
    public async Task AnotherUserWithoutTheSharedEmail_IsRefused_WhileNobodyIsOnIt()
    {
        using var t = await Host.CreateTenancyAsync(seats: 5);
        var rdp = (await Host.Operator.PostAsync("/v1/connections",
            new { tenantId = t.TenantId, name = "rdp-1", email = "team@acme.example", accessPlan = "always" }, HttpStatusCode.Created)).Str("id");

        var alice = await t.App.PostAsync("/v1/sessions", SignIn(t.LicenseId, rdp, "alice"), HttpStatusCode.Created);
        (await t.Admin.GetJsonAsync($"/v1/connections/{rdp}")).Str("user").ShouldBe("alice");
        await t.App.DeleteAsync($"/v1/sessions/{alice.Str("id")}", HttpStatusCode.NoContent);

        var refused = await t.App.PostAsync("/v1/sessions", SignIn(t.LicenseId, rdp, "mallory", "mallory@elsewhere.example"), HttpStatusCode.Conflict);
        refused.Str("code").ShouldBe("connection_not_yours");
        refused.Str("detail").ShouldContain("belongs to another user");

        // A sharer may use it; and its user, with the shared e-mail, takes it back over.
        await t.App.PostAsync("/v1/sessions", SignIn(t.LicenseId, rdp, "bob", "team@acme.example"), HttpStatusCode.Created);
        (await t.App.PostAsync("/v1/sessions", SignIn(t.LicenseId, rdp, "alice", "team@acme.example"), HttpStatusCode.Created))
            .GetProperty("tookOver").Str("user").ShouldBe("bob");
    }

    [Fact]
    public async Task ANamedUser_OwnsTheConnectionBeforeAnyoneSignsIn_AndAnAdminCanNameAnother()
    {
        using var t = await Host.CreateTenancyAsync(seats: 5);
        var rdp = (await Host.Operator.PostAsync("/v1/connections",
            new { tenantId = t.TenantId, name = "rdp-2", accessPlan = "always", user = "carol" }, HttpStatusCode.Created));
        rdp.Str("user").ShouldBe("carol");

        (await t.App.PostAsync("/v1/sessions", SignIn(t.LicenseId, rdp.Str("id"), "dave"), HttpStatusCode.Conflict)).Str("code").ShouldBe("connection_not_yours");

        (await t.Admin.SendAsync(HttpMethod.Patch, $"/v1/connections/{rdp.Str("id")}", new { user = "dave" }, HttpStatusCode.OK)).Str("user").ShouldBe("dave");
        await t.App.PostAsync("/v1/sessions", SignIn(t.LicenseId, rdp.Str("id"), "dave"), HttpStatusCode.Created);
        (await t.App.PostAsync("/v1/sessions", SignIn(t.LicenseId, rdp.Str("id"), "carol"), HttpStatusCode.Conflict)).Str("code").ShouldBe("connection_in_use");
    }
}
