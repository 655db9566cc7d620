using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

/// <summary>The housing cloud's operator and admin manage remote-desktop connections from the terminal, a planned update window included.</summary>
public sealed class ConnectionCommandTests : ServerCommandTests
{
    [Fact]
    public async Task Connections_CreateListUpdateWithAMaintenanceWindow_AndDelete()
    {
        using var t = await Host.CreateTenancyAsync(seats: 5);
        var created = (await Cli.RunAsync("connections", "create", "--tenant", t.TenantId, "--name", "rdp-01", "--email", "team@acme.example",
            "--access-plan", "always", "--json")).ShouldSucceed().Json;
        var id = created.Str("id");
        var dir = Directory.CreateTempSubdirectory("leasehold-cli-connection-").FullName;
        try
        {
            var plan = Path.Combine(dir, "update-window.json");
            await File.WriteAllTextAsync(plan, """{"kind": "always", "maintenance": [{"from": "2026-03-07T22:00", "to": "2026-03-08T02:00"}]}""");

            var updated = (await Cli.RunAsync("connections", "update", id, "--access-plan", plan)).ShouldSucceed().Out;
            var listed = (await Cli.RunAsync("connections", "list", "--tenant", t.TenantId)).ShouldSucceed().Out;
            var unknownPreset = await Cli.RunAsync("connections", "update", id, "--access-plan", "weekends");

            updated.ShouldContain("Changed connection");
            updated.ShouldContain("2026-03-07 21:00:00Z"); // closes at 22:00 Berlin time
            listed.ShouldContain("rdp-01");
            listed.ShouldContain("team@acme.example");
            unknownPreset.ShouldFailWith(3).Error.ShouldContain("accessPlan");
            (await Cli.RunAsync("connections", "delete", id)).ShouldSucceed().Out.ShouldContain($"Removed connection {id}.");
            (await Cli.RunAsync("connections", "get", id)).ShouldFailWith(4);
        }
        finally
        {
            TestHost.TryDelete(dir);
        }
    }

    [Fact]
    public async Task Connections_ListShowsTheirUser_AndReplaceRemovesWhatIsNotGiven()
    {
        using var t = await Host.CreateTenancyAsync(seats: 5);
        var id = (await Cli.RunAsync("connections", "create", "--tenant", t.TenantId, "--name", "rdp-02", "--email", "team@acme.example",
            "--access-plan", "always", "--user", "alice", "--json")).ShouldSucceed().Json.Str("id");

        var listed = (await Cli.RunAsync("connections", "list", "--tenant", t.TenantId)).ShouldSucceed().Out;
        var replaced = (await Cli.RunAsync("connections", "replace", id, "--name", "rdp-02b", "--access-plan", "business-hours", "--json")).ShouldSucceed().Json;
        var shown = (await Cli.RunAsync("connections", "get", id)).ShouldSucceed().Out;
        var missingPlan = await Cli.RunAsync("connections", "replace", id, "--name", "rdp-02c");

        listed.ShouldContain("│ Shared e-mail     │ User  │");
        listed.ShouldContain("│ team@acme.example │ alice │");
        replaced.Str("name").ShouldBe("rdp-02b");
        replaced.TryGetProperty("email", out _).ShouldBeFalse(); // --json leaves out what is null: the e-mail and user are gone
        replaced.TryGetProperty("user", out _).ShouldBeFalse();
        replaced.GetProperty("accessPlan").Str("kind").ShouldNotBe("always");
        shown.ShouldContain("(the first to sign in)");
        missingPlan.ShouldFailWith(2).Error.ShouldContain("--access-plan");
    }
}
