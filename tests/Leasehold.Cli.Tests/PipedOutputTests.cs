using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

/// <summary>Tables piped into grep, cut or a file: the real process with its output redirected never wraps an id, e-mail or time.</summary>
public sealed class PipedOutputTests : ServerCommandTests
{
    [Fact]
    public async Task SessionsAndConnectionsLists_Piped_KeepEveryIdWholeOnOneLine()
    {
        using var t = await Host.CreateTenancyAsync(seats: 3);
        var sessions = new List<string>();
        foreach (var user in new[] { "alexandra.lindqvist-hernandez@northwind-traders.example", "bartholomew.okonkwo-fitzgerald@northwind-traders.example" })
            sessions.Add((await t.App.CheckoutAsync(t.LicenseId, user, device: "engineering-workstation-north-wing-0042")).Str("id"));
        var email = "remote-desktop-shared-login-for-the-night-shift@northwind-traders.example";
        var connection = (await Host.Operator.PostAsync("/v1/connections",
            new { tenantId = t.TenantId, name = "rdp-night-shift-terminal-server-01", email, accessPlan = "always" }, HttpStatusCode.Created)).Str("id");

        var sessionTable = (await InstalledCli.RunAsync(["sessions", "list", "--license", t.LicenseId], Host.BaseAddress.ToString(), TestHost.OperatorKey))
            .ShouldSucceed().Out;
        var connectionTable = (await InstalledCli.RunAsync(["connections", "list", "--tenant", t.TenantId], Host.BaseAddress.ToString(), TestHost.OperatorKey))
            .ShouldSucceed().Out;

        var sessionLines = sessionTable.Split('\n');
        foreach (var id in sessions)
            sessionLines.Count(line => line.Contains(id, StringComparison.Ordinal)).ShouldBe(1, sessionTable);
        sessionLines.Count(line => line.Contains("alexandra.lindqvist-hernandez@northwind-traders.example", StringComparison.Ordinal)).ShouldBe(1, sessionTable);
        sessionLines.Count(line => line.Contains("engineering-workstation-north-wing-0042", StringComparison.Ordinal)).ShouldBe(2, sessionTable);
        var connectionLines = connectionTable.Split('\n');
        connectionLines.Single(line => line.Contains(connection, StringComparison.Ordinal))
            .ShouldContain($"│ {connection} │ rdp-night-shift-terminal-server-01 │ {email} │");
        sessionTable.ShouldContain("2 sessions holding 2 seats.");
    }

    [Fact]
    public async Task OnANarrowTerminal_IdsStayWhole_WhileTheOtherColumnsWrap()
    {
        using var t = await Host.CreateTenancyAsync(seats: 3);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice", device: "laptop-7")).Str("id");
        var narrow = new CliRun(Host, TestHost.OperatorKey) { Width = 120 };

        var table = (await narrow.RunAsync("sessions", "list", "--license", t.LicenseId)).ShouldSucceed().Out;

        table.Split('\n').Count(line => line.Contains(id, StringComparison.Ordinal)).ShouldBe(1, table);
        table.ShouldContain("│ Last     "); // the other columns wrapped to fit
        table.Split('\n').ShouldAllBe(line => line.Length <= 120);
    }
}
