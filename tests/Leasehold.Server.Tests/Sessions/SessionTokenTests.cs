using System.Net;
using Leasehold.Server.Auth;
using Leasehold.Server.Sessions;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Sessions;

/// <summary>
/// Session tokens (issue 15): a client key ships inside an application, so another application of
/// the tenant may hold the same kind of key; only the session's token, answered by its checkout, lets
/// a client act on the session. Admins need none, and their DELETE is a stop with its actor.
/// </summary>
public sealed class SessionTokenTests : HostedTests
{
    private const string Header = SessionTokenJar.Header;
    private Tenancy _t = null!;

    /// <summary>Another application of the same tenant: its own client key, and none of the first one's tokens.</summary>
    private HttpClient _other = null!;

    protected override async Task GivenAsync()
    {
        _t = await Host.CreateTenancyAsync(seats: 2);
        _other = Host.Client(await Host.CreateKeyAsync(_t.TenantId, "client"), sendSessionTokens: false);
    }

    public override async Task DisposeAsync()
    {
        _other?.Dispose();
        _t?.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Checkout_AnswersASessionToken_AndAnIdempotentRetryTheSameOne()
    {
        var first = await _t.App.CheckoutAsync(_t.LicenseId, "alice", idempotencyKey: "alice-1");
        var retry = await _t.App.CheckoutAsync(_t.LicenseId, "alice", idempotencyKey: "alice-1");
        var bob = await _t.App.CheckoutAsync(_t.LicenseId, "bob");

        first.Str("sessionToken").ShouldStartWith("lhs_");
        first.Str("sessionToken").Length.ShouldBeGreaterThanOrEqualTo(4 + 43, "256 bits, base64url");
        retry.Str("id").ShouldBe(first.Str("id"));
        retry.Str("sessionToken").ShouldBe(first.Str("sessionToken"));
        bob.Str("sessionToken").ShouldNotBe(first.Str("sessionToken"));
        (await _t.App.GetJsonAsync($"/v1/sessions/{first.Str("id")}")).TryGetProperty("sessionToken", out _)
            .ShouldBeFalse("the token is answered by the checkout only");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("lhs_not-this-sessions-token")]
    public async Task AnotherApplicationsKey_CannotActOnTheSession_AndItLivesOn(string? wrongToken)
    {
        var alice = await _t.App.CheckoutAsync(_t.LicenseId, "alice");
        var id = alice.Str("id");
        var bob = await _t.App.CheckoutAsync(_t.LicenseId, "bob"); // a real token, of another session
        var token = wrongToken ?? "";
        var headers = wrongToken is null ? null : new Dictionary<string, string> { [Header] = token };
        var before = await Host.SnapshotAsync();

        await _other.ShouldFailAsync(HttpMethod.Post, $"/v1/sessions/{id}/heartbeat", new { active = true }, HttpStatusCode.Forbidden, "session_token_invalid", Header, headers);
        await _other.ShouldFailAsync(HttpMethod.Delete, $"/v1/sessions/{id}", null, HttpStatusCode.Forbidden, "session_token_invalid", Header, headers);
        await _other.ShouldFailAsync(HttpMethod.Put, $"/v1/sessions/{id}/state", new { screens = 1 }, HttpStatusCode.Forbidden, "session_token_invalid", Header, headers);
        await _other.ShouldFailAsync(HttpMethod.Get, $"/v1/sessions/{id}/state", null, HttpStatusCode.Forbidden, "session_token_invalid", Header, headers);
        var events = await _other.SendRawAsync(HttpMethod.Get, $"/v1/sessions/{id}/events",
            headers: new Dictionary<string, string>(headers ?? new Dictionary<string, string>()) { ["Accept"] = "text/event-stream" });
        events.ShouldBeProblem(HttpStatusCode.Forbidden, "session_token_invalid", Header);
        // Another session's genuine token is no better.
        await _other.ShouldFailAsync(HttpMethod.Delete, $"/v1/sessions/{id}", null, HttpStatusCode.Forbidden, "session_token_invalid", Header,
            new Dictionary<string, string> { [Header] = bob.Str("sessionToken") });

        await Host.ShouldBeUnchangedSinceAsync(before, "a call on alice's session without her token");
        (await _t.Admin.GetJsonAsync($"/v1/sessions/{id}")).Str("status").ShouldBe("active");
        (await _t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={_t.LicenseId}&kind=ended")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task TheRightToken_Works_WithAnyClientKeyOfTheTenant()
    {
        var alice = await _t.App.CheckoutAsync(_t.LicenseId, "alice");
        var id = alice.Str("id");
        var holder = new Dictionary<string, string> { [Header] = alice.Str("sessionToken") };

        await _other.PostAsync($"/v1/sessions/{id}/heartbeat", new { active = true }, HttpStatusCode.OK, holder);
        await _other.SendAsync(HttpMethod.Put, $"/v1/sessions/{id}/state", new { screens = 2 }, HttpStatusCode.NoContent, holder);
        (await _other.SendAsync(HttpMethod.Get, $"/v1/sessions/{id}/state", null, HttpStatusCode.OK, holder)).Int("screens").ShouldBe(2);
        await _other.SendAsync(HttpMethod.Delete, $"/v1/sessions/{id}", null, HttpStatusCode.NoContent, holder);

        var ended = (await _t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={_t.LicenseId}&kind=ended")).GetProperty("items")[0];
        ended.Str("code").ShouldBe("released");
    }

    [Fact]
    public async Task AnEndedSession_WithoutTheToken_TellsNothingOfItsEnd()
    {
        var id = (await _t.App.CheckoutAsync(_t.LicenseId, "alice")).Str("id");
        await _t.App.DeleteAsync($"/v1/sessions/{id}", HttpStatusCode.NoContent);

        await _other.ShouldFailAsync(HttpMethod.Post, $"/v1/sessions/{id}/heartbeat", null, HttpStatusCode.Forbidden, "session_token_invalid", Header);
        await _t.App.PostAsync($"/v1/sessions/{id}/heartbeat", null, HttpStatusCode.Gone);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("operator")]
    public async Task AnAdminsDelete_IsAStop_RecordedWithItsActor_NotASignOff(string role)
    {
        var id = (await _t.App.CheckoutAsync(_t.LicenseId, "alice")).Str("id");
        var created = await Host.Operator.PostAsync("/v1/api-keys", new { tenantId = role == "operator" ? null : _t.TenantId, role }, HttpStatusCode.Created);
        using var admin = Host.Client(created.Str("key"), sendSessionTokens: false);

        await admin.DeleteAsync($"/v1/sessions/{id}", HttpStatusCode.NoContent);
        await admin.DeleteAsync($"/v1/sessions/{id}", HttpStatusCode.NoContent); // a repeat, like a sign-off's

        (await _t.Admin.GetJsonAsync($"/v1/sessions/{id}")).Str("endReason").ShouldBe("stopped");
        var ended = (await _t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={_t.LicenseId}&kind=ended")).GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        (ended.Str("code"), ended.Str("actor")).ShouldBe(("stopped", created.Str("id")));
        var gone = await _t.App.ShouldFailAsync(HttpMethod.Post, $"/v1/sessions/{id}/heartbeat", null, HttpStatusCode.Gone, "session_ended");
        gone.Str("reason").ShouldBe("stopped");
    }

    [Fact]
    public async Task AnAdmin_NeedsNoToken_ToReadStateOrWatchTheSession()
    {
        var id = (await _t.App.CheckoutAsync(_t.LicenseId, "alice")).Str("id");
        await _t.App.SendAsync(HttpMethod.Put, $"/v1/sessions/{id}/state", new { screens = 3 }, HttpStatusCode.NoContent);
        using var admin = Host.Client(await Host.CreateKeyAsync(_t.TenantId, "admin"), sendSessionTokens: false);

        (await admin.GetJsonAsync($"/v1/sessions/{id}/state")).Int("screens").ShouldBe(3);
        await admin.PostAsync($"/v1/sessions/{id}/heartbeat", new { active = false }, HttpStatusCode.OK);
    }

    [Fact]
    public async Task ABorrowedSeat_IsReturnedWithItsToken_AndTheLeaseCarriesIt()
    {
        var tenancy = await Host.CreateTenancyAsync(seats: 1, policy: new { clientTypes = new { desktop = new { borrowDays = 7 } } });
        using var _ = tenancy;
        var borrowed = await tenancy.App.PostAsync("/v1/sessions",
            new { licenseId = tenancy.LicenseId, user = "alice", device = "laptop", client = "desktop", borrowUntil = TestHost.Epoch.AddDays(2) }, HttpStatusCode.Created);
        var id = borrowed.Str("id");
        var payload = borrowed.Str("lease").Split('.')[1];
        var claims = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(payload.Replace('-', '+').Replace('_', '/').PadRight((payload.Length + 3) / 4 * 4, '='))).RootElement;
        claims.Str("sessionToken").ShouldBe(borrowed.Str("sessionToken"));

        using var stranger = Host.Client(await Host.CreateKeyAsync(tenancy.TenantId, "client"), sendSessionTokens: false);
        await stranger.ShouldFailAsync(HttpMethod.Delete, $"/v1/sessions/{id}", null, HttpStatusCode.Forbidden, "session_token_invalid", Header);
        await stranger.SendAsync(HttpMethod.Delete, $"/v1/sessions/{id}", null, HttpStatusCode.NoContent,
            new Dictionary<string, string> { [Header] = borrowed.Str("sessionToken") });
    }

    [Fact]
    public async Task ASessionFromBeforeTokens_IsAcceptedWithoutOne_ButAnAdminsDeleteStillStops()
    {
        var checkout = await _t.App.CheckoutAsync(_t.LicenseId, "alice");
        var stored = (await Host.Service<ISessionReads>().GetSessionAsync(checkout.Str("id"), null, CancellationToken.None))!;
        stored.TokenHash.ShouldBe(SessionTokens.Hash(checkout.Str("sessionToken")), "only the hash is stored");
        var legacy = stored with { TokenHash = null };
        var client = new Caller("key_client", ApiKeyRole.Client, _t.TenantId);
        var admin = new Caller("key_admin", ApiKeyRole.Admin, _t.TenantId);

        SessionTokens.MayAct(client, legacy, null).ShouldBeTrue("an upgrade signs nobody off");
        SessionTokens.IsHolder(client, legacy, null).ShouldBeTrue("a client's DELETE of it is a sign-off");
        SessionTokens.IsHolder(admin, legacy, null).ShouldBeFalse("an admin's DELETE of it is a stop");
        SessionTokens.MayAct(client, stored, null).ShouldBeFalse();
        SessionTokens.MayAct(client, stored, checkout.Str("sessionToken") + "x").ShouldBeFalse();
        SessionTokens.IsHolder(admin, stored, checkout.Str("sessionToken")).ShouldBeTrue("an application running on an admin key signs off");
    }
}
