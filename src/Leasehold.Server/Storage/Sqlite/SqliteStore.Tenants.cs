using System.Text.Json;
using Dapper;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tenants;

namespace Leasehold.Server.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public Task CreateTenantAsync(Tenant tenant, CancellationToken ct) =>
        WriteAsync((db, tx) => db.ExecuteAsync(
            "INSERT INTO tenants (id, name, time_zone, created_at) VALUES (@Id, @Name, @TimeZone, @CreatedAt)",
            new { tenant.Id, tenant.Name, tenant.TimeZone, CreatedAt = tenant.CreatedAt.ToUnixTimeMilliseconds() }, tx), ct);

    public async Task<Tenant?> GetTenantAsync(string id, string? tenantScope, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var row = await db.QuerySingleOrDefaultAsync<TenantRow>(
            "SELECT * FROM tenants WHERE id = @id AND (@tenantScope IS NULL OR id = @tenantScope)", new { id, tenantScope });
        return row?.ToTenant();
    }

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? tenantScope, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var rows = await db.QueryAsync<TenantRow>(
            "SELECT * FROM tenants WHERE @tenantScope IS NULL OR id = @tenantScope ORDER BY created_at, id", new { tenantScope });
        return rows.Select(r => r.ToTenant()).ToList();
    }

    public Task CreateLicenseAsync(License license, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            var row = LicenseRow.From(license);
            await db.ExecuteAsync(StoreSql.InsertLicense, row, tx);
            await InsertPolicyVersionAsync(db, tx, row, license.CreatedAt);
            return 0;
        }, ct);

    public Task UpdateLicenseAsync(License license, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            var row = LicenseRow.From(license);
            var previous = await db.ExecuteScalarAsync<long>("SELECT policy_version FROM licenses WHERE id = @Id", row, tx);
            await db.ExecuteAsync(
                """
                UPDATE licenses SET seats = @Seats, policy = @Policy, starts_at = @StartsAt, ends_at = @EndsAt, policy_version = @PolicyVersion
                WHERE id = @Id
                """, row, tx);
            if (row.PolicyVersion != previous)
                await InsertPolicyVersionAsync(db, tx, row, now);
            _ledgers.Update(license);
            await ApplyAsync(db, tx, SessionLifecycle.FollowLicense(_statements!.Live(tx, license.Id), license, now));
            return 0;
        }, ct);

    private static Task InsertPolicyVersionAsync(System.Data.IDbConnection db, System.Data.IDbTransaction tx, LicenseRow row, DateTimeOffset at) =>
        db.ExecuteAsync("INSERT INTO license_policies (license_id, version, policy, created_at) VALUES (@Id, @PolicyVersion, @Policy, @At)",
            new { row.Id, row.PolicyVersion, row.Policy, At = at.ToUnixTimeMilliseconds() }, tx);

    public async Task<License?> GetLicenseAsync(string id, string? tenantScope, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return (await QueryLicenseAsync(db, null, id, tenantScope))?.ToLicense();
    }

    public async Task<IReadOnlyList<License>> ListLicensesAsync(string? tenantScope, string? tenantId, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var rows = await db.QueryAsync<LicenseRow>(
            """
            SELECT * FROM licenses
            WHERE (@tenantScope IS NULL OR tenant_id = @tenantScope) AND (@tenantId IS NULL OR tenant_id = @tenantId)
            ORDER BY created_at, id
            """, new { tenantScope, tenantId });
        return rows.Select(r => r.ToLicense()).ToList();
    }

    private static Task<LicenseRow?> QueryLicenseAsync(System.Data.IDbConnection db, System.Data.IDbTransaction? tx, string id, string? tenantScope) =>
        db.QuerySingleOrDefaultAsync<LicenseRow>(
            "SELECT * FROM licenses WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)", new { id, tenantScope }, tx);
}
