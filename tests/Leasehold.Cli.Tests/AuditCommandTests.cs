using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Leasehold.Cli.Tests;

/// <summary>
/// <c>leasehold audit list|verify</c> against a real server, and an auditor's proof: a record changed,
/// deleted or inserted straight in the SQLite file is found by <c>audit verify</c>, which names the first broken record.
/// </summary>
public sealed class AuditCommandTests : ServerCommandTests
{
    [Fact]
    public async Task List_ShowsChangesNewestFirst_WithFilters_AndAnAdminSeesItsTenantsOnly()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2);
        (await Cli.RunAsync("licenses", "update", t.LicenseId, "--seats", "4")).ShouldSucceed();
        var adminKey = await Host.CreateKeyAsync(t.TenantId, "admin");
        using var other = await Host.CreateTenancyAsync(seats: 1);

        var seats = (await Cli.RunAsync("audit", "list", "--action", "license.seats_changed", "--json")).ShouldSucceed().Json;
        var table = (await Cli.RunAsync("audit", "list", "--target", t.LicenseId)).ShouldSucceed().Out;
        var admins = (await new CliRun(Host, adminKey).RunAsync("audit", "list", "--all", "--json")).ShouldSucceed().Json;

        seats.GetProperty("items").GetArrayLength().ShouldBe(1);
        seats.GetProperty("items")[0].GetProperty("after").GetProperty("seats").GetInt32().ShouldBe(4);
        table.ShouldContain("license.seats_changed");
        table.ShouldContain("license.created");
        admins.GetProperty("items").EnumerateArray().ShouldAllBe(r => r.GetProperty("tenantId").GetString() == t.TenantId);
    }

    [Theory]
    [InlineData("changed")]
    [InlineData("deleted")]
    [InlineData("inserted")]
    public async Task Verify_FindsARecordTamperedWithInTheDatabase(string tampering)
    {
        var tenant = await MakeATrailAsync();
        var intact = await Cli.RunAsync("audit", "verify");
        intact.ShouldSucceed().Out.ShouldContain("OK:");

        string brokenAt;
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(Host.DataDirectory, "leasehold.db")};Pooling=False"))
        {
            await db.OpenAsync();
            brokenAt = tampering switch
            {
                // Someone lowers the seats a change recorded.
                "changed" => await ExecAsync(db, tenant, 3,
                    "UPDATE audit_records SET after_json = replace(after_json, '5', '3') WHERE chain = @chain AND sequence = 3"),
                // Someone removes a record from the middle of the tenant's chain: the next one is broken.
                "deleted" => await ExecAsync(db, tenant, 4, "DELETE FROM audit_records WHERE chain = @chain AND sequence = 3"),
                // Someone slips a record in after the second, moving the later ones up.
                _ => await ExecAsync(db, tenant, 3,
                    """
                    UPDATE audit_records SET sequence = sequence + 1000 WHERE chain = @chain AND sequence >= 3;
                    UPDATE audit_records SET sequence = sequence - 999 WHERE chain = @chain AND sequence >= 1000;
                    INSERT INTO audit_records (id, chain, sequence, at, actor_key_id, actor_key_name, actor_role, tenant_id, action,
                        target_type, target_id, before_json, after_json, previous_hash, hash)
                    SELECT 'aud_forged', chain, 3, at, actor_key_id, actor_key_name, actor_role, tenant_id, 'license.seats_changed',
                        'license', target_id, '{"seats":5}', '{"seats":50}', hash, hash
                    FROM audit_records WHERE chain = @chain AND sequence = 2;
                    """),
            };
        }
        var verified = await Cli.RunAsync("audit", "verify");
        var json = await Cli.RunAsync("audit", "verify", "--json");

        verified.ShouldFailWith(3).Out.ShouldContain($"BROKEN at record {brokenAt}");
        json.ExitCode.ShouldBe(3);
        json.Json.GetProperty("broken").GetProperty("id").GetString().ShouldBe(brokenAt);
    }

    /// <summary>A tenant with some history: created, its license, keys, two seat changes, a connection.</summary>
    private async Task<string> MakeATrailAsync()
    {
        var tenant = (await Cli.RunAsync("tenants", "create", "--name", "Acme", "--time-zone", "UTC", "--json")).ShouldSucceed().Json.Str("id");
        var license = (await Cli.RunAsync("licenses", "create", "--tenant", tenant, "--product", "cad", "--seats", "2", "--json")).ShouldSucceed().Json.Str("id");
        (await Cli.RunAsync("licenses", "update", license, "--seats", "5")).ShouldSucceed();
        (await Cli.RunAsync("keys", "create", "--role", "admin", "--tenant", tenant, "--name", "desk")).ShouldSucceed();
        (await Cli.RunAsync("licenses", "update", license, "--seats", "7")).ShouldSucceed();
        await Host.Operator.PostAsync("/v1/connections", new { tenantId = tenant, name = "rdp", accessPlan = "always" }, HttpStatusCode.Created);
        return tenant;
    }

    /// <summary>Runs the tampering and answers the id of the record verify must name (the one now at <paramref name="brokenSequence"/>).</summary>
    private static async Task<string> ExecAsync(SqliteConnection db, string chain, int brokenSequence, string sql)
    {
        await using (var tamper = db.CreateCommand())
        {
            tamper.CommandText = sql;
            tamper.Parameters.AddWithValue("@chain", chain);
            await tamper.ExecuteNonQueryAsync();
        }
        await using var read = db.CreateCommand();
        read.CommandText = "SELECT id FROM audit_records WHERE chain = @chain AND sequence = @sequence";
        read.Parameters.AddWithValue("@chain", chain);
        read.Parameters.AddWithValue("@sequence", brokenSequence);
        return (string)(await read.ExecuteScalarAsync())!;
    }
}
