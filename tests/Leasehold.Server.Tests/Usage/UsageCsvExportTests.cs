using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Leasehold.Server.Tests.Usage;

/// <summary>
/// The CSV export of a long history is streamed: rows leave as they are read, memory stays flat.
/// Live memory is measured for the whole process, so this runs alone, never beside other tests.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class UsageCsvExportTests : HostedTests
{
    private const int Rows = 200_000;

    [Fact]
    public async Task LargeHistory_IsExportedWhole_WithoutTheServerHoldingIt()
    {
        using var t = await Host.CreateTenancyAsync(5);
        await t.App.CheckoutAsync(t.LicenseId, "alice, \"the admin\"", device: "=HYPERLINK(\"x\")");
        await InsertHistoryAsync(t.TenantId, t.LicenseId);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        using var response = await t.Admin.GetAsync(new Uri($"/v1/usage/events.csv?licenseId={t.LicenseId}", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentLength.ShouldBeNull("a streamed answer cannot know its length up front");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var header = await reader.ReadLineAsync();
        var first = await reader.ReadLineAsync();
        long lines = 1, peak = 0, csvBytes = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            csvBytes += line.Length + 2;
            long.TryParse(line.AsSpan(0, line.IndexOf(',', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture, out _)
                .ShouldBeTrue(line); // the event's id: a number, in no order (docs/security.md)
            if (++lines % 40_000 == 0)
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
        }

        header.ShouldStartWith("id,at,kind,code,");
        first!.ShouldContain(",\"alice, \"\"the admin\"\"\",\"'=HYPERLINK(\"\"x\"\")\",desktop,");
        lines.ShouldBe(Rows + 1);
        csvBytes.ShouldBeGreaterThan(40_000_000);
        peak.ShouldBeLessThan(csvBytes / 4, $"live memory grew by {peak:N0} bytes while {csvBytes:N0} bytes of CSV went out");
    }

    /// <summary>Writes <see cref="Rows"/> events straight into the server's database file, as a year of use would have.</summary>
    private async Task InsertHistoryAsync(string tenantId, string licenseId)
    {
        var path = Path.Combine(Host.DataDirectory, "leasehold.db");
        await using (var db = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await db.OpenAsync();
            await using var tx = (SqliteTransaction)await db.BeginTransactionAsync();
            await using var insert = db.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO usage_events (tenant_id, license_id, session_id, at, kind, code, user_name, device, client, seats, seats_in_use, seat_limit)
                VALUES ($tenant, $license, $session, $at, 'admitted', 'admitted', $user, 'workstation-with-a-rather-long-name', 'desktop', 1, 3, 5)
                """;
            var (tenant, license, session, at, user) = (insert.Parameters.Add("$tenant", SqliteType.Text), insert.Parameters.Add("$license", SqliteType.Text),
                insert.Parameters.Add("$session", SqliteType.Text), insert.Parameters.Add("$at", SqliteType.Integer), insert.Parameters.Add("$user", SqliteType.Text));
            tenant.Value = tenantId;
            license.Value = licenseId;
            var start = TestHost.Epoch.AddDays(1).ToUnixTimeMilliseconds();
            for (var i = 0; i < Rows; i++)
            {
                session.Value = $"ses_{i:D22}";
                at.Value = start + i * 150_000L;
                user.Value = $"user-{i % 5000:D5}@a-customer-with-a-long-domain.example";
                await insert.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
    }
}

/// <summary>Tests that measure the whole process (memory) and must not share it with others running in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Runs alone";
}
