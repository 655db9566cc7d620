using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

public sealed class TenantAndKeyCommandTests : ServerCommandTests
{
    [Fact]
    public async Task Tenants_CreateListGet_AsTablesAndJson()
    {
        var created = (await Cli.RunAsync("tenants", "create", "--name", "Acme Freight", "--time-zone", "Europe/Berlin")).ShouldSucceed();
        created.Out.ShouldContain("Created tenant ten_");
        created.Out.ShouldContain("Europe/Berlin");
        var json = (await Cli.RunAsync("tenants", "create", "--name", "Globex", "--time-zone", "America/New_York", "--json")).ShouldSucceed().Json;
        var id = json.Str("id");
        json.Str("name").ShouldBe("Globex");

        var table = (await Cli.RunAsync("tenants", "list")).ShouldSucceed().Out;
        table.ShouldContain("Acme Freight");
        table.ShouldContain($"│ {id} │ Globex");
        var list = (await Cli.RunAsync("tenants", "list", "--json")).ShouldSucceed().Json;
        list.EnumerateArray().Select(t => t.Str("name")).ShouldBe(["Acme Freight", "Globex"], ignoreOrder: true);

        (await Cli.RunAsync("tenants", "get", id)).ShouldSucceed().Out.ShouldContain("America/New_York");
        (await Cli.RunAsync("tenants", "get", id, "--json")).ShouldSucceed().Json.Str("timeZone").ShouldBe("America/New_York");
    }

    [Fact]
    public async Task Tenants_CreateWithABadTimeZone_ExitsRefused_AndNamesTheField()
    {
        var result = (await Cli.RunAsync("tenants", "create", "--name", "Acme", "--time-zone", "Mars/Olympus")).ShouldFailWith(3);

        result.Error.ShouldContain("Error:");
        result.Error.ShouldContain("status 400, code invalid_request, field timeZone");
        result.Error.ShouldContain("Try: Fix 'timeZone'");
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Keys_CreateListRevoke_AndARevokedKeyIsNotAllowed()
    {
        var tenant = await Host.CreateTenantAsync();
        var created = (await Cli.RunAsync("keys", "create", "--role", "admin", "--tenant", tenant, "--name", "it desk")).ShouldSucceed();
        created.Out.ShouldContain("Created admin key key_");
        created.Out.ShouldContain("shown only this once");
        var json = (await Cli.RunAsync("keys", "create", "--role", "client", "--tenant", tenant, "--name", "cad desktop", "--json")).ShouldSucceed().Json;
        var clientKeyId = json.Str("id");
        var clientKey = json.Str("key");

        var table = (await Cli.RunAsync("keys", "list", "--tenant", tenant)).ShouldSucceed().Out;
        table.ShouldContain("it desk");
        table.ShouldContain("cad desktop");
        table.ShouldNotContain(clientKey);
        var list = (await Cli.RunAsync("keys", "list", "--tenant", tenant, "--json")).ShouldSucceed().Json;
        list.GetArrayLength().ShouldBe(2);

        (await Cli.RunAsync("keys", "revoke", clientKeyId)).ShouldSucceed().Out.ShouldContain($"Revoked client key {clientKeyId}");
        (await Cli.RunAsync("keys", "revoke", clientKeyId, "--json")).ShouldSucceed().Json.GetProperty("revokedAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.String);

        var refused = (await new CliRun(Host, clientKey).RunAsync("sessions", "list")).ShouldFailWith(5);
        refused.Error.ShouldContain("status 401");
        refused.Error.ShouldContain("Try: Check the API key");
    }

    [Fact]
    public async Task Keys_CreateWithAnUnknownRole_IsAUsageError()
    {
        var result = (await Cli.RunAsync("keys", "create", "--role", "root")).ShouldFailWith(2);
        result.Error.ShouldContain("root");
        result.Error.ShouldContain("Try: leasehold keys create --help");
    }

    [Fact]
    public async Task AClientKey_MayNotCreateTenants_AndIsToldWhatToUse()
    {
        var tenant = await Host.CreateTenantAsync();
        var clientKey = await Host.CreateKeyAsync(tenant, "client");

        var result = (await new CliRun(Host, clientKey).RunAsync("tenants", "create", "--name", "X", "--time-zone", "UTC")).ShouldFailWith(5);

        result.Error.ShouldContain("status 403, code forbidden");
        result.Error.ShouldContain("Try: This key's role may not do that");
    }

    [Fact]
    public async Task UnknownIds_ExitNotFound_WithAHint_AndErrorsAsJsonWithJson()
    {
        var table = (await Cli.RunAsync("tenants", "get", "ten_nope")).ShouldFailWith(4);
        table.Error.ShouldContain("No tenant with that id exists");
        table.Error.ShouldContain("Try: Check the id");

        var json = (await Cli.RunAsync("sessions", "stop", "ses_nope", "--json")).ShouldFailWith(4).ErrorJson.GetProperty("error");
        json.Int("exitCode").ShouldBe(4);
        json.GetProperty("problem").Str("code").ShouldBe("not_found");
        json.Str("hint").ShouldStartWith("Check the id");
    }

    [Fact]
    public async Task Commands_WithoutAServer_SayHowToGiveOne_OrThatItIsUnreachable()
    {
        var cli = new CliRun(Host, TestHost.OperatorKey) { PassServer = false };
        var missing = (await cli.RunAsync("tenants", "list")).ShouldFailWith(2);
        missing.Error.ShouldContain("No server URL given.");
        missing.Error.ShouldContain("LEASEHOLD_URL");

        var port = TestHost.FreePort();
        var unreachable = (await cli.RunAsync("tenants", "list", "--url", $"http://127.0.0.1:{port}", "--key", TestHost.OperatorKey)).ShouldFailWith(6);
        unreachable.Error.ShouldContain($"Could not reach the server at http://127.0.0.1:{port}/: Connection refused");
        unreachable.Error.ShouldContain("Try: Check that the server is running");
    }
}
