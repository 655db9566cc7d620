using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

public sealed class LicenseAndSessionCommandTests : ServerCommandTests
{
    [Fact]
    public async Task Licenses_CreateWithAPolicyFile_ListGetUpdate_AsTablesAndJson()
    {
        var tenant = await Host.CreateTenantAsync();
        var policy = RepoPaths.Of("examples", "mixed-clients.json");
        var created = (await Cli.RunAsync("licenses", "create", "--tenant", tenant, "--product", "erp", "--seats", "2", "--policy", policy)).ShouldSucceed();
        created.Out.ShouldContain("Created license lic_");
        var json = (await Cli.RunAsync("licenses", "create", "--tenant", tenant, "--product", "crm", "--seats", "3",
            "--ends-at", "2030-12-31T00:00:00Z", "--json")).ShouldSucceed().Json;
        var id = json.Str("id");
        json.Int("seats").ShouldBe(3);

        var table = (await Cli.RunAsync("licenses", "list", "--tenant", tenant)).ShouldSucceed().Out;
        table.ShouldContain("erp");
        table.ShouldContain($"│ {id} │ {tenant} │ crm");
        table.ShouldContain("2030-12-31 00:00:00Z");
        (await Cli.RunAsync("licenses", "list", "--tenant", tenant, "--json")).ShouldSucceed().Json.GetArrayLength().ShouldBe(2);

        var shown = (await Cli.RunAsync("licenses", "get", id)).ShouldSucceed().Out;
        shown.ShouldContain("Policy version");
        shown.ShouldContain("\"clientTypes\"");
        (await Cli.RunAsync("licenses", "get", id, "--json")).ShouldSucceed().Json.GetProperty("policy").GetProperty("clientTypes")
            .TryGetProperty("desktop", out _).ShouldBeTrue();

        (await Cli.RunAsync("licenses", "update", id, "--seats", "5")).ShouldSucceed().Out.ShouldContain("Changed license");
        var updated = (await Cli.RunAsync("licenses", "update", id, "--policy", RepoPaths.Of("examples", "hosted-service.json"), "--json")).ShouldSucceed().Json;
        updated.Int("seats").ShouldBe(5);
        updated.Int("policyVersion").ShouldBe(2);
        updated.GetProperty("policy").GetProperty("limit").Str("mode").ShouldBe("soft");
    }

    [Fact]
    public async Task Licenses_WithAnInvalidPolicyFile_AreRefusedBeforeTheServerIsAsked()
    {
        var tenant = await Host.CreateTenantAsync();
        var file = Path.Combine(Path.GetTempPath(), $"bad-policy-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"clientTypes": {"web": {"ttlSeconds": 1}}}""");
        try
        {
            var result = (await Cli.RunAsync("licenses", "create", "--tenant", tenant, "--product", "erp", "--seats", "2", "--policy", file)).ShouldFailWith(3);
            result.Error.ShouldContain("policy.clientTypes.web.ttlSeconds: Must be between 5 and 604800 seconds.");
            result.Error.ShouldContain("leasehold policy validate");
            (await Host.Operator.GetJsonAsync($"/v1/licenses?tenantId={tenant}")).GetProperty("items").GetArrayLength().ShouldBe(0);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Licenses_UpdateWithNothingToChange_IsAUsageError()
    {
        (await Cli.RunAsync("licenses", "update", "lic_any")).ShouldFailWith(2).Error.ShouldContain("Nothing to change.");
    }

    [Fact]
    public async Task Sessions_ListShowsBorrowedSeatsWithTheirEnd_AndStopRefusesThem()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2, new { clientTypes = new { desktop = new { borrowDays = 7 } } });
        var until = TestHost.Epoch.AddDays(3);
        var carol = (await t.App.PostAsync("/v1/sessions",
            new { licenseId = t.LicenseId, user = "carol", device = "laptop-9", client = "desktop", borrowUntil = until }, HttpStatusCode.Created)).Str("id");
        await t.App.CheckoutAsync(t.LicenseId, "alice", device: "laptop-7");
        var admin = new CliRun(Host, (await Host.Operator.PostAsync("/v1/api-keys", new { tenantId = t.TenantId, role = "admin" }, HttpStatusCode.Created)).Str("key"));

        var table = (await admin.RunAsync("sessions", "list", "--license", t.LicenseId)).ShouldSucceed().Out;

        table.ShouldContain("│ Borrowed until ");
        table.ShouldContain("│ carol │ desktop │ laptop-9 │ 1");
        table.ShouldContain("│ 2026-03-05 09:00:00Z │ 2026-03-05 09:00:00Z │ " + carol);
        table.ShouldContain("2 sessions holding 2 seats, 1 borrowed.");
        (await admin.RunAsync("sessions", "get", carol)).ShouldSucceed().Out.ShouldContain("Borrowed until");
        var refused = (await admin.RunAsync("sessions", "stop", carol)).ShouldFailWith(3);
        refused.Error.ShouldContain("borrowed by carol until 2026-03-05 09:00 UTC");
        (await admin.RunAsync("sessions", "list", "--json")).ShouldSucceed().Json.GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Sessions_ListShowsWhoHoldsSeats_GetShowsOne_StopFreesTheSeat()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice", device: "laptop-7")).Str("id");
        Host.Clock.Advance(TimeSpan.FromSeconds(1));
        await t.App.CheckoutAsync(t.LicenseId, "bob", device: "pc-2", kind: "web");
        var admin = new CliRun(Host, (await Host.Operator.PostAsync("/v1/api-keys", new { tenantId = t.TenantId, role = "admin" }, HttpStatusCode.Created)).Str("key"));

        var table = (await admin.RunAsync("sessions", "list", "--license", t.LicenseId)).ShouldSucceed().Out;
        table.ShouldContain("│ User ");
        table.ShouldContain("│ alice │ desktop │ laptop-7 │ 1");
        table.ShouldContain("│ bob   │ web     │ pc-2     │ 1");
        table.ShouldContain("2 sessions holding 2 seats.");
        var json = (await admin.RunAsync("sessions", "list", "--json")).ShouldSucceed().Json;
        json.EnumerateArray().Select(s => s.Str("user")).ShouldBe(["alice", "bob"]);

        (await admin.RunAsync("sessions", "get", alice)).ShouldSucceed().Out.ShouldContain("laptop-7");
        (await admin.RunAsync("sessions", "get", alice, "--json")).ShouldSucceed().Json.Str("status").ShouldBe("active");

        (await admin.RunAsync("sessions", "stop", alice)).ShouldSucceed().Out
            .ShouldContain($"Stopped session {alice} of alice (desktop on laptop-7); its seat is free.");
        var again = (await admin.RunAsync("sessions", "stop", alice)).ShouldFailWith(3);
        again.Error.ShouldContain("already ended (stopped)");
        (await admin.RunAsync("sessions", "list", "--json")).ShouldSucceed().Json.GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Sessions_StopAsJson_AnswersTheEndedSession()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        var json = (await Cli.RunAsync("sessions", "stop", id, "--json")).ShouldSucceed().Json;

        json.Str("status").ShouldBe("ended");
        json.Str("endReason").ShouldBe("stopped");
    }
}
