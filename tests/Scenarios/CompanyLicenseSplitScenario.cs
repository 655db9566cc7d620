using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Scenarios.Tests;

/// <summary>
/// seeds/001, the split: "the central server is installed with the eight licenses", and two users on
/// stand-alone laptops "assign a single license" each, of one company license of 10. The issuer and
/// the three installations are real server processes with real clocks; each installation enforces
/// its share alone, also while the issuer is stopped. The administrator may raise a share "as long as
/// the total does not exceed" the license and lower one to allow others; the license's end date is
/// renewed with the Update button, and by the installation itself two weeks before it ends.
/// </summary>
[Trait("Document", "001 company license")]
public sealed class CompanyLicenseSplitScenario : IAsyncLifetime
{
    private const string OperatorKey = TestHost.OperatorKey;
    private readonly string _work = Directory.CreateTempSubdirectory("leasehold-split-").FullName;
    private readonly List<IAsyncDisposable> _processes = [];
    private readonly List<IDisposable> _clients = [];

    private static string DenialMessage =>
        Scenario.Policy("company-license").GetProperty("clientTypes").GetProperty("desktop").Str("denialMessage");

    [Fact]
    public async Task A_company_license_of_10_runs_on_the_central_server_with_8_and_two_laptops_with_1_each()
    {
        // The vendor's server issues Rotterdam Cargo Handling's company license of 10 users; this year's ends in 10 days.
        var issuerPort = TestHost.FreePort();
        var issuer = Track(await ServerProcess.StartAsync(Data("issuer"), OperatorKey, port: issuerPort));
        var vendor = Client(issuer, OperatorKey);
        var tenantId = (await vendor.PostAsync("/v1/tenants", new { name = "Rotterdam Cargo Handling", timeZone = "Europe/Amsterdam" }, HttpStatusCode.Created)).Str("id");
        var endsAt = DateTimeOffset.UtcNow.AddDays(10);
        var licenseId = (await vendor.PostAsync("/v1/licenses",
            new { tenantId, product = "cargo-office", seats = 10, endsAt, policy = Scenario.Policy("company-license") }, HttpStatusCode.Created)).Str("id");
        var companyAdmin = Client(issuer, (await vendor.PostAsync("/v1/api-keys", new { tenantId, role = "admin" }, HttpStatusCode.Created)).Str("key"));
        var issuerKeys = Write("issuer-keys.json", (await vendor.GetJsonAsync("/.well-known/jwks.json")).GetRawText());

        // "The central server is installed with the eight licenses"; the two laptops "assign a single license".
        var central = await InstallAsync(issuer, companyAdmin, licenseId, "central", 8, issuerKeys, autoRenew: false);
        var laptop1 = await InstallAsync(issuer, companyAdmin, licenseId, "laptop-1", 1, issuerKeys);
        var laptop2 = await InstallAsync(issuer, companyAdmin, licenseId, "laptop-2", 1, issuerKeys);

        // Each laptop admits one application start and refuses the second with the client's message.
        foreach (var laptop in new[] { laptop1, laptop2 })
        {
            await laptop.App.SignInAsync(licenseId, "driver", laptop.Name, "desktop");
            (await laptop.App.SignInAsync(licenseId, "driver", laptop.Name, "desktop", HttpStatusCode.Conflict)).Str("detail").ShouldBe(DenialMessage);
        }
        // The central one admits eight.
        var clerks = new List<JsonElement>();
        for (var i = 1; i <= 8; i++)
            clerks.Add(await central.App.SignInAsync(licenseId, $"clerk{i}", $"workstation-{i}", "desktop"));
        (await central.App.SignInAsync(licenseId, "clerk9", "workstation-9", "desktop", HttpStatusCode.Conflict)).Str("detail").ShouldBe(DenialMessage);

        // Raising a laptop to 2 is refused while the others hold 9.
        var raise = await Allocate(companyAdmin, laptop1, 2, HttpStatusCode.Conflict);
        (raise.Str("code"), raise.Int("maxSeats")).ShouldBe(("allocation_exceeds_license", 1));

        // Lowering the central one to 7 lets the laptop go to 2 only after the central one has updated.
        await Allocate(companyAdmin, central, 7);
        await Allocate(companyAdmin, laptop1, 2, HttpStatusCode.Conflict);
        var lowered = await central.Operator.PostAsync("/v1/installation/update", null, HttpStatusCode.OK);
        (lowered.GetProperty("changed").EnumerateArray().First().GetString(), lowered.GetProperty("after").Int("seats")).ShouldBe(("seats", 7));
        await Allocate(companyAdmin, laptop1, 2);
        (await laptop1.Operator.PostAsync("/v1/installation/update", null, HttpStatusCode.OK)).GetProperty("after").Int("seats").ShouldBe(2);
        await laptop1.App.SignInAsync(licenseId, "planner", "laptop-1", "desktop");

        // With the issuer stopped, the installations keep enforcing their shares; an update keeps the file it has.
        await StopAsync(issuer);
        await central.App.SignOffAsync(clerks[0]);
        await central.App.SignOffAsync(clerks[1]);
        await central.App.SignInAsync(licenseId, "clerk9", "workstation-9", "desktop");
        (await central.App.SignInAsync(licenseId, "clerk10", "workstation-10", "desktop", HttpStatusCode.Conflict)).Str("detail").ShouldBe(DenialMessage);
        (await laptop1.App.SignInAsync(licenseId, "driver2", "laptop-1", "desktop", HttpStatusCode.Conflict)).Str("code").ShouldBe("no_seat_available");
        (await central.Operator.PostAsync("/v1/installation/update", null, HttpStatusCode.BadGateway)).Str("code").ShouldBe("issuer_unreachable");
        (await central.Operator.GetJsonAsync("/v1/installation")).GetProperty("file").Int("seats").ShouldBe(7);

        // The second laptop is switched off for the night before the vendor extends, so it cannot take the new file while running.
        await StopAsync(laptop2.Process);

        // The vendor extends the end date by a year: all a vendor does.
        issuer = Track(await ServerProcess.StartAsync(Data("issuer"), OperatorKey, port: issuerPort));
        vendor = Client(issuer, OperatorKey);
        var extended = endsAt.AddYears(1);
        await vendor.SendAsync(HttpMethod.Patch, $"/v1/licenses/{licenseId}", new { endsAt = extended }, HttpStatusCode.OK);

        // The central one takes it with Update.
        var renewed = await central.Operator.PostAsync("/v1/installation/update", null, HttpStatusCode.OK);
        renewed.GetProperty("changed").EnumerateArray().Select(c => c.GetString()).ShouldContain("endsAt");
        renewed.GetProperty("after").GetProperty("endsAt").GetDateTimeOffset().ShouldBe(extended, TimeSpan.FromMilliseconds(1));

        // The second laptop, switched on the next morning, takes it by itself: its file ends within two weeks.
        laptop2 = laptop2 with { Process = Track(await ServerProcess.StartAsync(laptop2.Data, OperatorKey, laptop2.Settings, laptop2.Process.BaseAddress.Port)) };
        var laptopAdmin = Client(laptop2.Process, OperatorKey);
        // The new file shows a moment before the attempt that took it is recorded: wait for both.
        await Wait.UntilAsync(async () =>
            {
                var installation = await laptopAdmin.GetJsonAsync("/v1/installation");
                return installation.GetProperty("file").GetProperty("endsAt").GetDateTimeOffset() >= extended.AddSeconds(-1)
                    && installation.GetProperty("lastAttempt").ValueKind == JsonValueKind.Object;
            },
            "the laptop to renew by itself");
        var status = await laptopAdmin.GetJsonAsync("/v1/installation");
        status.GetProperty("lastAttempt").GetProperty("automatic").GetBoolean().ShouldBeTrue();
        status.GetProperty("renewFrom").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddDays(14), "renewed, the next window is weeks away");
        (await Client(laptop2.Process, await KeyAsync(laptop2.Process, tenantId)).SignInAsync(licenseId, "driver", "laptop-2", "desktop", HttpStatusCode.Conflict))
            .Str("detail").ShouldBe(DenialMessage, "the start from before the night still holds the laptop's one license: nothing is lost across a restart");

        // The vendor sees who runs on what.
        var shares = (await companyAdmin.GetJsonAsync($"/v1/installations?licenseId={licenseId}")).GetProperty("items");
        shares.EnumerateArray().Select(i => (i.Str("name"), i.Int("seats"), i.Int("seatsInForce"))).ShouldBe([("central", 7, 7), ("laptop-1", 2, 2), ("laptop-2", 1, 1)]);
    }

    [Fact]
    public async Task An_installation_refuses_to_start_on_a_changed_file_with_one_line_and_serves_nothing()
    {
        await using var issuer = await ServerProcess.StartAsync(Data("issuer"), OperatorKey);
        var vendor = Client(issuer, OperatorKey);
        var tenantId = (await vendor.PostAsync("/v1/tenants", new { name = "Rotterdam Cargo Handling", timeZone = "Europe/Amsterdam" }, HttpStatusCode.Created)).Str("id");
        var licenseId = (await vendor.PostAsync("/v1/licenses",
            new { tenantId, product = "cargo-office", seats = 10, policy = Scenario.Policy("company-license") }, HttpStatusCode.Created)).Str("id");
        var laptop = (await vendor.PostAsync("/v1/installations", new { licenseId, name = "laptop", fingerprint = "laptop", seats = 1 }, HttpStatusCode.Created)).Str("id");
        var file = (await vendor.PostAsync($"/v1/installations/{laptop}/license-file", null, HttpStatusCode.OK)).Str("licenseFile");
        var parts = file.Split('.');
        var payload = parts[1].ToCharArray();
        payload[10] = payload[10] == 'A' ? 'B' : 'A'; // "seats": 1 could become anything: one character changed
        var changed = Write("changed.lic", $"{parts[0]}.{new string(payload)}.{parts[2]}");

        var (exitCode, error) = await ServerProcess.RefusedStartAsync(Data("laptop"), OperatorKey, new Dictionary<string, string>
        {
            ["LEASEHOLD_LICENSE_FILE"] = changed,
            ["LEASEHOLD_ISSUER_KEYS"] = Write("issuer-keys.json", (await vendor.GetJsonAsync("/.well-known/jwks.json")).GetRawText()),
        });

        exitCode.ShouldBe(2);
        error.Trim().Split('\n').ShouldHaveSingleItem().ShouldStartWith("leasehold: not starting: license_file_bad_signature: ");
        File.Exists(Path.Combine(Data("laptop"), "installation.json")).ShouldBeFalse("a refused file is not remembered");
    }

    /// <summary>An installation-mode server on its own data, with its file from the issuer, its own clients, and the issuer's address and its key.</summary>
    private async Task<Installation> InstallAsync(ServerProcess issuer, HttpClient companyAdmin, string licenseId, string name, int seats, string issuerKeys,
        bool autoRenew = true)
    {
        var registered = await companyAdmin.PostAsync("/v1/installations", new { licenseId, name, fingerprint = name, seats }, HttpStatusCode.Created);
        var id = registered.Str("id");
        var file = (await companyAdmin.PostAsync($"/v1/installations/{id}/license-file", null, HttpStatusCode.OK)).Str("licenseFile");
        var settings = new Dictionary<string, string>
        {
            ["LEASEHOLD_LICENSE_FILE"] = Write($"{name}.lic", file),
            ["LEASEHOLD_ISSUER_KEYS"] = issuerKeys,
            ["LEASEHOLD_ISSUER"] = issuer.BaseAddress.ToString(),
            ["LEASEHOLD_INSTALLATION_KEY"] = registered.Str("installationKey"),
            ["LEASEHOLD_AUTO_RENEW"] = autoRenew ? "true" : "false",
            ["LEASEHOLD_RENEW_RETRY_SECONDS"] = "1",
        };
        var process = Track(await ServerProcess.StartAsync(Data(name), OperatorKey, settings));
        var tenantId = (await companyAdmin.GetJsonAsync($"/v1/installations/{id}")).Str("tenantId");
        return new Installation(name, id, Data(name), settings, process, Client(process, OperatorKey), Client(process, await KeyAsync(process, tenantId)));
    }

    private sealed record Installation(string Name, string Id, string Data, Dictionary<string, string> Settings, ServerProcess Process,
        HttpClient Operator, HttpClient App);

    private static Task<JsonElement> Allocate(HttpClient admin, Installation installation, int seats, HttpStatusCode expected = HttpStatusCode.OK) =>
        admin.SendAsync(HttpMethod.Patch, $"/v1/installations/{installation.Id}", new { seats }, expected);

    private async Task<string> KeyAsync(ServerProcess server, string tenantId) =>
        (await Client(server, OperatorKey).PostAsync("/v1/api-keys", new { tenantId, role = "client" }, HttpStatusCode.Created)).Str("key");

    private HttpClient Client(ServerProcess server, string key)
    {
        var client = server.Client(key);
        _clients.Add(client);
        return client;
    }

    /// <summary>Stopped when the test ends, whatever happens.</summary>
    private ServerProcess Track(ServerProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private async Task StopAsync(ServerProcess process)
    {
        _processes.Remove(process);
        await process.DisposeAsync();
    }

    private string Data(string name) => Path.Combine(_work, "data-" + name);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, text);
        return path;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
            client.Dispose();
        foreach (var process in _processes)
            await process.DisposeAsync();
        TestHost.TryDelete(_work);
    }
}
