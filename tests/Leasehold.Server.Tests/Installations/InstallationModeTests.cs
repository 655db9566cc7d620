using System.Net;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Installations;
using Leasehold.Server.Hosting;
using Leasehold.Server.Installations;
using Leasehold.Server.Signing;
using Leasehold.Server.Storage;
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
    private string _keys = "";

    protected override async Task GivenAsync()
    {
        _t = await Host.CreateTenancyAsync(seats: 10);
        _laptop = (await _t.Admin.PostAsync("/v1/installations",
            new { licenseId = _t.LicenseId, name = "laptop", fingerprint = "laptop.acme.local", seats = 2 }, HttpStatusCode.Created)).Str("id");
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

    private async Task<string> IssueAsync()
    {
        var issued = await _t.Admin.PostAsync($"/v1/installations/{_laptop}/license-file", null, HttpStatusCode.OK);
        return await WriteAsync($"laptop-{issued.GetProperty("serial").GetInt64()}-{Guid.NewGuid():N}.lic", issued.Str("licenseFile"));
    }

    private async Task<TestHost> StartInstallationAsync(string licenseFile, string data, DateTimeOffset now, bool keepData = false)
    {
        var settings = new Dictionary<string, string>(await TestStore.SettingsAsync(data))
        {
            ["LEASEHOLD_LICENSE_FILE"] = licenseFile,
            ["LEASEHOLD_ISSUER_KEYS"] = _keys,
        };
        var host = await TestHost.StartAsync(data, new FakeTimeProvider(now), storeSettings: settings);
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
        var start = new InstallationMode(settings, store.Service<ITenantStore>(), new FakeTimeProvider(at ?? TestHost.Epoch.AddHours(1)),
            NullLogger<InstallationMode>.Instance);

        var refused = await Should.ThrowAsync<StartRefusedException>(() => start.StartAsync(CancellationToken.None));

        refused.Code.ShouldBe(code);
        (await store.Operator.GetJsonAsync("/v1/licenses")).GetArrayLength().ShouldBe(0, "a refused file grants nothing");
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
