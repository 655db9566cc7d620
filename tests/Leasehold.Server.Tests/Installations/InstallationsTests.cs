using System.Net;
using System.Text.Json;
using Leasehold.Core.Installations;
using Leasehold.Server.Signing;
using Leasehold.Server.Tests.Signing;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Installations;

/// <summary>
/// Cargo Office's company license of 10 split across installations over HTTP: shares and the seats
/// used online on the issuer never add up to more than 10, and each share comes as a signed file.
/// </summary>
public sealed class InstallationsTests : HostedTests
{
    private Tenancy _t = null!;

    protected override async Task GivenAsync() => _t = await Host.CreateTenancyAsync(seats: 10);

    public override async Task DisposeAsync()
    {
        _t?.Dispose();
        await base.DisposeAsync();
    }

    private Task<JsonElement> RegisterAsync(string name, int seats, HttpStatusCode expected = HttpStatusCode.Created) =>
        _t.Admin.PostAsync("/v1/installations", new { licenseId = _t.LicenseId, name, fingerprint = name + ".acme.local", seats }, expected);

    private Task<JsonElement> AllocateAsync(string id, int seats, HttpStatusCode expected = HttpStatusCode.OK) =>
        _t.Admin.SendAsync(HttpMethod.Patch, $"/v1/installations/{id}", new { seats }, expected);

    [Fact]
    public async Task SharesOfACompanyLicense_NeverAddUpToMoreThanIt()
    {
        await RegisterAsync("central", 8);
        var laptop = (await RegisterAsync("laptop-1", 1)).Str("id");
        await RegisterAsync("laptop-2", 1);

        var third = await RegisterAsync("laptop-3", 1, HttpStatusCode.Conflict);
        var raise = await AllocateAsync(laptop, 2, HttpStatusCode.Conflict);

        (third.Str("code"), third.Int("maxSeats")).ShouldBe(("allocation_exceeds_license", 0));
        (raise.Str("code"), raise.Int("maxSeats"), raise.Str("field")).ShouldBe(("allocation_exceeds_license", 1, "seats"));
        raise.Str("detail").ShouldContain("at most 1");
        var listed = (await _t.Admin.GetJsonAsync($"/v1/installations?licenseId={_t.LicenseId}")).GetProperty("items");
        listed.EnumerateArray().Select(i => (i.Str("name"), i.Int("seats"))).ShouldBe([("central", 8), ("laptop-1", 1), ("laptop-2", 1)], ignoreOrder: true);
    }

    [Fact]
    public async Task TheIssuersOwnUsers_HaveOnlyTheSeatsNoInstallationHolds()
    {
        await RegisterAsync("central", 8);
        await RegisterAsync("laptop-1", 1);

        var first = await _t.App.CheckoutAsync(_t.LicenseId, "alice");
        var second = await _t.App.CheckoutAsync(_t.LicenseId, "bob", expected: HttpStatusCode.Conflict);

        first.Int("seatLimit").ShouldBe(1);
        (second.Str("code"), second.Int("seatLimit")).ShouldBe(("no_seat_available", 1));
        (await RegisterAsync("laptop-2", 1, HttpStatusCode.Conflict)).Int("maxSeats").ShouldBe(0, "alice holds the tenth seat online");
    }

    [Fact]
    public async Task ALicenseFile_GrantsTheShare_VerifiesWithThePublishedKeys_AndALowerShareFreesSeatsOnlyWhenTheOldFileRunsOut()
    {
        var central = (await RegisterAsync("central", 8)).Str("id");
        var laptop = (await RegisterAsync("laptop-1", 1)).Str("id");
        await RegisterAsync("laptop-2", 1);

        var issued = await _t.Admin.PostAsync($"/v1/installations/{central}/license-file", null, HttpStatusCode.OK);
        await AllocateAsync(central, 7);
        var lowered = await _t.Admin.PostAsync($"/v1/installations/{central}/license-file", null, HttpStatusCode.OK);

        var file = ReadFile(issued.Str("licenseFile"), await Host.PublishedKeysAsync());
        (file.Serial, file.Seats, file.InstallationId, file.Fingerprint).ShouldBe((1L, 8, central, "central.acme.local"));
        (lowered.GetProperty("serial").GetInt64(), lowered.Int("seats")).ShouldBe((2L, 7));
        var shown = await _t.Admin.GetJsonAsync($"/v1/installations/{central}");
        (shown.Int("seats"), shown.Int("seatsInForce"), shown.GetProperty("latestSerial").GetInt64()).ShouldBe((7, 8, 2L));
        await AllocateAsync(laptop, 2, HttpStatusCode.Conflict); // the central server may still run on its file of 8

        Host.Clock.Advance(InstallationDecisions.RefreshPeriod);

        (await AllocateAsync(laptop, 2)).Int("seats").ShouldBe(2);
        (await _t.Admin.GetJsonAsync($"/v1/installations/{central}")).Int("seatsInForce").ShouldBe(7);
    }

    [Fact]
    public async Task AnotherTenantsAdmin_FindsNoInstallation_AndCannotRegisterUnderItsLicense()
    {
        var central = (await RegisterAsync("central", 8)).Str("id");
        using var other = await Host.CreateTenancyAsync(seats: 1);

        await other.Admin.GetJsonAsync($"/v1/installations/{central}", HttpStatusCode.NotFound);
        await other.Admin.PostAsync($"/v1/installations/{central}/license-file", null, HttpStatusCode.NotFound);
        await other.Admin.PostAsync("/v1/installations", new { licenseId = _t.LicenseId, name = "x", fingerprint = "x", seats = 1 }, HttpStatusCode.NotFound);
        (await other.Admin.GetJsonAsync("/v1/installations")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task AnInstallation_FetchesItsOwnFileWithItsKey_AndALowerShareFreesSeatsOnceItHasTakenTheLowerFile()
    {
        var central = await RegisterAsync("central", 8);
        var laptop = (await RegisterAsync("laptop-1", 1)).Str("id");
        await RegisterAsync("laptop-2", 1);
        using var centralServer = Host.Client(central.Str("installationKey"));

        var first = await centralServer.PostAsync("/v1/installations/self/license-file", new { }, HttpStatusCode.OK);
        await centralServer.PostAsync("/v1/installations/self/taken", new { serial = first.GetProperty("serial").GetInt64() }, HttpStatusCode.OK);
        await AllocateAsync(central.Str("id"), 7);
        var lowered = await centralServer.PostAsync("/v1/installations/self/license-file", new { takenSerial = 1 }, HttpStatusCode.OK);

        (lowered.GetProperty("serial").GetInt64(), lowered.Int("seats")).ShouldBe((2L, 7));
        await AllocateAsync(laptop, 2, HttpStatusCode.Conflict); // fetched is not taken: the central server may still run on 8
        var taken = await centralServer.PostAsync("/v1/installations/self/taken", new { serial = 2 }, HttpStatusCode.OK);
        (taken.Int("seatsInForce"), taken.GetProperty("takenSerial").GetInt64()).ShouldBe((7, 2L));
        (await AllocateAsync(laptop, 2)).Int("seats").ShouldBe(2);
        (await centralServer.GetJsonAsync("/v1/installations/self")).GetProperty("lastContactAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task AnInstallationKey_SpeaksOnlyForItsInstallation_AndOnlyToFetchFiles()
    {
        var central = await RegisterAsync("central", 8);
        var key = central.Str("installationKey");
        using var installation = Host.Client(key);

        key.ShouldStartWith("lh_");
        (await _t.Admin.GetJsonAsync($"/v1/installations/{central.Str("id")}")).TryGetProperty("installationKey", out var shown).ShouldBeTrue();
        shown.ValueKind.ShouldBe(JsonValueKind.Null, "the secret is shown once");
        await installation.CheckoutAsync(_t.LicenseId, "mallory", expected: HttpStatusCode.Forbidden);
        await installation.GetJsonAsync("/v1/installations", HttpStatusCode.Forbidden);
        await installation.PostAsync($"/v1/installations/{central.Str("id")}/license-file", null, HttpStatusCode.Forbidden);
        await _t.Admin.PostAsync("/v1/installations/self/license-file", new { }, HttpStatusCode.Forbidden);
        (await installation.PostAsync("/v1/installations/self/taken", new { serial = 1 }, HttpStatusCode.Conflict))
            .Str("code").ShouldBe("serial_not_issued", "no file was issued yet");
        (await installation.PostAsync("/v1/installations/self/taken", new { serial = 0 }, HttpStatusCode.BadRequest)).Str("field").ShouldBe("serial");

        var replaced = await _t.Admin.PostAsync($"/v1/installations/{central.Str("id")}/key", null, HttpStatusCode.OK);
        await installation.GetJsonAsync("/v1/installations/self", HttpStatusCode.Unauthorized);
        using var renewed = Host.Client(replaced.Str("installationKey"));
        (await renewed.GetJsonAsync("/v1/installations/self")).Str("id").ShouldBe(central.Str("id"));
    }

    private static LicenseFile ReadFile(string text, IReadOnlyCollection<SigningJwk> keys) =>
        LicenseFiles.Read(text, keys).ShouldBeOfType<LicenseFileReading.Signed>().File;
}
