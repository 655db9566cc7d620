using System.Net;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Installations;
using Leasehold.Server.Hosting;
using Leasehold.Server.Installations;
using Leasehold.Server.Signing;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Signing;
using Leasehold.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Leasehold.Server.Tests.Installations;

/// <summary>
/// A laptop's installation-mode server, started on the license file the issuer signed for it: it
/// enforces the file's share with the same API, and refuses to start, with its own code and nothing
/// served, on a file that was changed, signed by another key, expired, older than one it took, or
/// when its clock was set back.
/// </summary>
public sealed class InstallationModeTests : HostedTests
{
    private readonly string _work = Directory.CreateTempSubdirectory("leasehold-installation-").FullName;
    private Tenancy _t = null!;
    private string _laptop = "";
    private string _laptopKey = "";
    private string _keys = "";

    protected override async Task GivenAsync()
    {
        _t = await Host.CreateTenancyAsync(seats: 10);
        var laptop = await _t.Admin.PostAsync("/v1/installations",
            new { licenseId = _t.LicenseId, name = "laptop", fingerprint = "laptop.acme.local", seats = 2 }, HttpStatusCode.Created);
        (_laptop, _laptopKey) = (laptop.Str("id"), laptop.Str("installationKey"));
        using var anonymous = Host.Client();
        _keys = await WriteAsync("issuer-keys.json", (await anonymous.GetJsonAsync(SigningKeysApi.JwksPath)).GetRawText());
    }

    public override async Task DisposeAsync()
    {
        _t?.Dispose();
        await base.DisposeAsync();
        TestHost.TryDelete(_work);
    }

    [Fact]
    public async Task AnInstallation_EnforcesTheSeatsOfItsFile_WithTheSameApi()
    {
        var file = await IssueAsync();
        var data = NewDataDirectory();

        await using var laptop = await StartInstallationAsync(file, data, TestHost.Epoch.AddHours(1));
        using var app = laptop.Client(await laptop.CreateKeyAsync(_t.TenantId, "client"));

        (await laptop.Operator.GetJsonAsync($"/v1/licenses/{_t.LicenseId}")).Int("seats").ShouldBe(2);
        await app.CheckoutAsync(_t.LicenseId, "alice");
        await app.CheckoutAsync(_t.LicenseId, "bob");
        (await app.CheckoutAsync(_t.LicenseId, "carol", HttpStatusCode.Conflict)).Str("code").ShouldBe(Codes.NoSeatAvailable);
    }

    [Fact]
    public async Task AFileWithOneByteChanged_IsRefused() =>
        await RefusedAsync(await WriteAsync("changed.lic", Change(await File.ReadAllTextAsync(await IssueAsync()))), Codes.LicenseFileBadSignature);

    [Fact]
    public async Task AFileSignedByAnotherKey_IsRefused()
    {
        var file = await IssueAsync();
        await Host.Operator.PostAsync("/v1/signing-keys", null, HttpStatusCode.Created);
        var other = await IssueAsync(); // signed by the new key, which the installation has not pinned

        await RefusedAsync(other, Codes.LicenseFileUnknownKey);
        await using var _ = await StartInstallationAsync(file, NewDataDirectory(), TestHost.Epoch); // the pinned key still verifies its own files
    }

    [Fact]
    public async Task AnExpiredFile_IsRefused() =>
        await RefusedAsync(await IssueAsync(), Codes.LicenseFileExpired, at: TestHost.Epoch + InstallationDecisions.RefreshPeriod);

    [Fact]
    public async Task AnOlderSerial_AfterANewerOne_IsRefused()
    {
        var first = await IssueAsync();
        var second = await IssueAsync();
        var data = NewDataDirectory();
        await using (await StartInstallationAsync(second, data, TestHost.Epoch.AddHours(1), keepData: true))
        {
        }

        await RefusedAsync(first, Codes.LicenseFileReplayed, data, TestHost.Epoch.AddHours(2));
        await using var again = await StartInstallationAsync(second, data, TestHost.Epoch.AddHours(3));
        (await again.Operator.GetJsonAsync($"/v1/licenses/{_t.LicenseId}")).Int("policyVersion").ShouldBe(1, "a restart on the same file changes nothing");
    }

    [Fact]
    public async Task AClockSetBack_IsRefused()
    {
        var file = await IssueAsync();
        var data = NewDataDirectory();
        await using (await StartInstallationAsync(file, data, TestHost.Epoch.AddDays(2), keepData: true))
        {
        }

        await RefusedAsync(file, Codes.ClockMovedBack, data, TestHost.Epoch.AddDays(2) - LicenseFileCheck.ClockTolerance - TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Update_FetchesTheIssuersNewFileNow_AndAnswersWhatChanged()
    {
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{_t.LicenseId}", new { endsAt = TestHost.Epoch.AddDays(20) }, HttpStatusCode.OK);
        var licenseFile = await IssueAsync();
        await using var laptop = await StartInstallationAsync(licenseFile, NewDataDirectory(), TestHost.Epoch.AddHours(1), issuer: Host.BaseAddress);

        // The vendor extends the end date and the administrator lowers the laptop's share; the laptop's administrator presses Update.
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{_t.LicenseId}", new { endsAt = TestHost.Epoch.AddDays(400) }, HttpStatusCode.OK);
        await _t.Admin.SendAsync(HttpMethod.Patch, $"/v1/installations/{_laptop}", new { seats = 1 }, HttpStatusCode.OK);
        var updated = await laptop.Operator.PostAsync("/v1/installation/update", null, HttpStatusCode.OK);

        updated.GetProperty("changed").EnumerateArray().Select(c => c.GetString()).ShouldBe(["seats", "endsAt", "usableUntil"]);
        (updated.GetProperty("before").Int("seats"), updated.GetProperty("after").Int("seats")).ShouldBe((2, 1));
        updated.GetProperty("after").GetProperty("endsAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch.AddDays(400));
        (await laptop.Operator.GetJsonAsync($"/v1/licenses/{_t.LicenseId}")).Int("seats").ShouldBe(1, "the new share is enforced at once");
        LicenseFiles.Read(await File.ReadAllTextAsync(licenseFile), await Host.PublishedKeysAsync()).ShouldBeOfType<LicenseFileReading.Signed>()
            .File.Serial.ShouldBe(2, "the new file replaces the configured one, so a restart starts on it");
        var atIssuer = await _t.Admin.GetJsonAsync($"/v1/installations/{_laptop}");
        (atIssuer.GetProperty("takenSerial").GetInt64(), atIssuer.Int("seatsInForce")).ShouldBe((2L, 1), "the laptop said it took the lower file");
    }

    [Fact]
    public async Task AnInstallation_RenewsByItself_FromTheRenewalWindow_AndKeepsItsFileWhileTheIssuerIsAway()
    {
        var clock = new FakeTimeProvider(TestHost.Epoch.AddHours(1));
        await using var laptop = await StartInstallationAsync(await IssueAsync(), NewDataDirectory(), clock, issuer: Host.BaseAddress);
        var status = await laptop.Operator.GetJsonAsync("/v1/installation");
        var renewFrom = status.GetProperty("renewFrom").GetDateTimeOffset();
        renewFrom.ShouldBe(TestHost.Epoch + InstallationDecisions.RefreshPeriod - TimeSpan.FromDays(14), "14 days before the file's refresh-by date");
        status.GetProperty("nextAttemptAt").GetDateTimeOffset().ShouldBeInRange(renewFrom, renewFrom + Renewal.OpeningSpread);

        Host.Clock.Advance(TimeSpan.FromDays(15));
        clock.Advance(TimeSpan.FromDays(15));
        (await laptop.Operator.GetJsonAsync("/v1/installation")).GetProperty("file").GetProperty("serial").GetInt64().ShouldBe(1, "before the window it waits");
        Host.Clock.Advance(TimeSpan.FromDays(1) + Renewal.OpeningSpread);
        clock.Advance(TimeSpan.FromDays(1) + Renewal.OpeningSpread);

        await Wait.UntilAsync(async () => (await laptop.Operator.GetJsonAsync("/v1/installation")).GetProperty("lastAttempt").ValueKind == JsonValueKind.Object,
            "the installation to renew by itself");
        var renewed = await laptop.Operator.GetJsonAsync("/v1/installation");
        (renewed.GetProperty("file").GetProperty("serial").GetInt64(), renewed.GetProperty("lastAttempt").GetProperty("automatic").GetBoolean()).ShouldBe((2L, true));
        renewed.GetProperty("file").GetProperty("refreshBy").GetDateTimeOffset().ShouldBe(Host.Clock.GetUtcNow() + InstallationDecisions.RefreshPeriod, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task AnUpdateThatCannotReachTheIssuer_KeepsTheFile_AndSaysWhy_AlsoAfterARestart()
    {
        var unreachable = new Uri($"http://127.0.0.1:{TestHost.FreePort()}");
        var (file, data) = (await IssueAsync(), NewDataDirectory());
        await using (var laptop = await StartInstallationAsync(file, data, TestHost.Epoch.AddHours(1), keepData: true, issuer: unreachable))
        {
            var failed = await laptop.Operator.PostAsync("/v1/installation/update", null, HttpStatusCode.BadGateway);

            failed.Str("code").ShouldBe("issuer_unreachable");
            var status = await laptop.Operator.GetJsonAsync("/v1/installation");
            (status.GetProperty("file").GetProperty("serial").GetInt64(), status.GetProperty("lastAttempt").Str("code")).ShouldBe((1L, "issuer_unreachable"));
            await laptop.Client(await laptop.CreateKeyAsync(_t.TenantId, "client")).CheckoutAsync(_t.LicenseId, "alice");
        }

        await using var again = await StartInstallationAsync(file, data, TestHost.Epoch.AddHours(2), issuer: unreachable);
        var kept = (await again.Operator.GetJsonAsync("/v1/installation")).GetProperty("lastAttempt");
        (kept.Str("code"), kept.GetProperty("at").GetDateTimeOffset(), kept.GetProperty("automatic").GetBoolean())
            .ShouldBe(("issuer_unreachable", TestHost.Epoch.AddHours(1), false), "the last attempt is remembered across a restart");
    }

    [Fact]
    public async Task AClockSetBackWhileRunning_StopsAllServing_UntilItIsSetRight()
    {
        var clock = new MovableClock(TestHost.Epoch.AddHours(1));
        await using var laptop = await StartInstallationAsync(await IssueAsync(), NewDataDirectory(), clock);
        using var app = laptop.Client(await laptop.CreateKeyAsync(_t.TenantId, "client"));
        clock.Advance(TimeSpan.FromDays(2));
        await Wait.UntilAsync(async () => (await laptop.Operator.GetJsonAsync("/v1/installation")).GetProperty("latestSeen").GetDateTimeOffset() >= TestHost.Epoch.AddDays(2),
            "the installation to note the time");

        clock.SetBack(TimeSpan.FromDays(1));
        clock.Advance(InstallationMode.ClockCheckEvery);
        await Wait.UntilAsync(async () => (await laptop.Operator.GetJsonAsync("/v1/installation")).GetProperty("clockMovedBack").GetBoolean(),
            "the installation to see the clock set back");

        (await app.CheckoutAsync(_t.LicenseId, "alice", expected: HttpStatusCode.ServiceUnavailable)).Str("code").ShouldBe(Codes.ClockMovedBack);
        clock.SetBack(TimeSpan.Zero);
        clock.Advance(InstallationMode.ClockCheckEvery);
        await Wait.UntilAsync(async () => !(await laptop.Operator.GetJsonAsync("/v1/installation")).GetProperty("clockMovedBack").GetBoolean(),
            "the installation to serve again");
        await app.CheckoutAsync(_t.LicenseId, "alice");
    }

    [Fact]
    public async Task ALaptopBorrowingFromAnInstallation_GetsALeaseSignedByTheInstallation_EndingNoLaterThanItsFile()
    {
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{_t.LicenseId}",
            new { policy = new { clientTypes = new { desktop = new { borrowDays = 60 } } } }, HttpStatusCode.OK);
        await using var central = await StartInstallationAsync(await IssueAsync(), NewDataDirectory(), TestHost.Epoch.AddHours(1));
        using var app = central.Client(await central.CreateKeyAsync(_t.TenantId, "client"));

        var borrowed = await app.PostAsync("/v1/sessions",
            new { licenseId = _t.LicenseId, user = "driver", device = "laptop-7", client = "desktop", borrowUntil = TestHost.Epoch.AddDays(45) }, HttpStatusCode.Created);

        var fileEnds = (await central.Operator.GetJsonAsync("/v1/installation")).GetProperty("file").GetProperty("usableUntil").GetDateTimeOffset();
        borrowed.GetProperty("borrowedUntil").GetDateTimeOffset().ShouldBe(fileEnds, "a borrow never outlives the file its seat comes from");
        using var anonymous = central.Client();
        var installationKeys = Core.Installations.SigningJwk.ReadSet((await anonymous.GetJsonAsync(SigningKeysApi.JwksPath)).GetRawText());
        var lease = borrowed.Str("lease").Split('.');
        var kid = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(lease[0])).RootElement.Str("kid");
        using (var verifier = installationKeys.Single(k => k.Kid == kid).ToVerifier())
            verifier.VerifyData(System.Text.Encoding.ASCII.GetBytes(lease[0] + "." + lease[1]), System.Buffers.Text.Base64Url.DecodeFromChars(lease[2]),
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                .ShouldBeTrue("signed by the installation's own key, which its JWKS publishes");
        (await app.CheckoutAsync(_t.LicenseId, "alice")).Int("seatsInUse").ShouldBe(2, "the borrowed seat counts against the file's 2");
        await app.CheckoutAsync(_t.LicenseId, "bob", HttpStatusCode.Conflict);
    }

    /// <summary>A fake clock that can also be set back (a FakeTimeProvider only moves on).</summary>
    private sealed class MovableClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private TimeSpan _back;

        public void SetBack(TimeSpan back) => _back = back;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() - _back;
    }

    private async Task<string> IssueAsync()
    {
        var issued = await _t.Admin.PostAsync($"/v1/installations/{_laptop}/license-file", null, HttpStatusCode.OK);
        return await WriteAsync($"laptop-{issued.GetProperty("serial").GetInt64()}-{Guid.NewGuid():N}.lic", issued.Str("licenseFile"));
    }

    private Task<TestHost> StartInstallationAsync(string licenseFile, string data, DateTimeOffset now, bool keepData = false, Uri? issuer = null) =>
        StartInstallationAsync(licenseFile, data, new FakeTimeProvider(now), keepData, issuer);

    private async Task<TestHost> StartInstallationAsync(string licenseFile, string data, FakeTimeProvider clock, bool keepData = false, Uri? issuer = null)
    {
        var settings = new Dictionary<string, string>(await TestStore.SettingsAsync(data))
        {
            ["LEASEHOLD_LICENSE_FILE"] = licenseFile,
            ["LEASEHOLD_ISSUER_KEYS"] = _keys,
        };
        if (issuer is not null)
            (settings["LEASEHOLD_ISSUER"], settings["LEASEHOLD_INSTALLATION_KEY"]) = (issuer.ToString(), _laptopKey);
        var host = await TestHost.StartAsync(data, clock, storeSettings: settings);
        host.KeepData = keepData;
        return host;
    }

    /// <summary>
    /// Runs installation mode's start on <paramref name="licenseFile"/> over a store of its own (a plain
    /// server's), as the host would before answering, and expects it to refuse with <paramref name="code"/>.
    /// </summary>
    private async Task RefusedAsync(string licenseFile, string code, string? data = null, DateTimeOffset? at = null)
    {
        data ??= NewDataDirectory();
        await using var store = await TestHost.StartAsync();
        var settings = store.Service<LeaseholdSettings>() with { DataDirectory = data, LicenseFile = licenseFile, IssuerKeysFile = _keys };
        using var start = new InstallationLicense(settings, store.Service<ITenantStore>(), new FakeTimeProvider(at ?? TestHost.Epoch.AddHours(1)),
            NullLogger<InstallationLicense>.Instance);

        var refused = await Should.ThrowAsync<StartRefusedException>(() => start.StartAsync(CancellationToken.None));

        refused.Code.ShouldBe(code);
        (await store.Operator.GetJsonAsync("/v1/licenses")).GetProperty("items").GetArrayLength().ShouldBe(0, "a refused file grants nothing");
    }

    private string NewDataDirectory() => Path.Combine(_work, "data-" + Guid.NewGuid().ToString("N"));

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(_work, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    /// <summary>The file with one character of its payload changed (still valid base64url).</summary>
    private static string Change(string text)
    {
        var parts = text.Split('.');
        var payload = parts[1].ToCharArray();
        payload[payload.Length / 2] = payload[payload.Length / 2] == 'A' ? 'B' : 'A';
        return $"{parts[0]}.{new string(payload)}.{parts[2]}";
    }
}
