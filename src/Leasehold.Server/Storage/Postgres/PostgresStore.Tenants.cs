using Dapper;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tenants;
using Npgsql;

namespace Leasehold.Server.Storage.Postgres;

internal sealed partial class PostgresStore
{
    public Task CreateTenantAsync(Tenant tenant, CancellationToken ct) =>
        WriteAsync((db, tx) => db.ExecuteAsync(
            "INSERT INTO tenants (id, name, time_zone, created_at) VALUES (@Id, @Name, @TimeZone, @CreatedAt)",
            new { tenant.Id, tenant.Name, tenant.TimeZone, CreatedAt = tenant.CreatedAt.ToUnixTimeMilliseconds() }, tx), ct);

    public Task<Tenant?> GetTenantAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(async db => (await db.QuerySingleOrDefaultAsync<TenantRow>(
            "SELECT * FROM tenants WHERE id = @id AND (@tenantScope IS NULL OR id = @tenantScope)", new { id, tenantScope }))?.ToTenant(), ct);

    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? tenantScope, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<Tenant>>(async db => (await db.QueryAsync<TenantRow>(
            "SELECT * FROM tenants WHERE @tenantScope IS NULL OR id = @tenantScope ORDER BY created_at, id COLLATE \"C\"", new { tenantScope }))
            .Select(r => r.ToTenant()).ToList(), ct);

    public Task CreateLicenseAsync(License license, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            var row = LicenseRow.From(license);
            await db.ExecuteAsync(StoreSql.InsertLicense, row, tx);
            await InsertPolicyVersionAsync(db, tx, row, license.CreatedAt);
            return 0;
        }, ct);

    public Task UpdateLicenseAsync(License license, DateTimeOffset now, CancellationToken ct) =>
        DecideAsync(async (db, tx, ends) =>
        {
            var row = LicenseRow.From(license);
            var previous = await db.ExecuteScalarAsync<long?>("SELECT policy_version FROM licenses WHERE id = @Id FOR UPDATE", row, tx);
            if (previous is null)
                return 0;
            await db.ExecuteAsync(
                """
                UPDATE licenses SET seats = @Seats, policy = @Policy, starts_at = @StartsAt, ends_at = @EndsAt, policy_version = @PolicyVersion
                WHERE id = @Id
                """, row, tx);
            if (row.PolicyVersion != previous)
                await InsertPolicyVersionAsync(db, tx, row, now);
            await ApplyAsync(db, tx, SessionLifecycle.FollowLicense(await LiveSessionsAsync(db, tx, license.Id), license, now), ends);
            return 0;
        }, ct);

    private static Task InsertPolicyVersionAsync(NpgsqlConnection db, NpgsqlTransaction tx, LicenseRow row, DateTimeOffset at) =>
        db.ExecuteAsync("INSERT INTO license_policies (license_id, version, policy, created_at) VALUES (@Id, @PolicyVersion, @Policy, @At)",
            new { row.Id, row.PolicyVersion, row.Policy, At = at.ToUnixTimeMilliseconds() }, tx);

    public Task<License?> GetLicenseAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(async db => (await db.QuerySingleOrDefaultAsync<LicenseRow>(
            "SELECT * FROM licenses WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)", new { id, tenantScope }))?.ToLicense(), ct);

    public Task<IReadOnlyList<License>> ListLicensesAsync(string? tenantScope, string? tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<License>>(async db => (await db.QueryAsync<LicenseRow>(
            """
            SELECT * FROM licenses
            WHERE (@tenantScope IS NULL OR tenant_id = @tenantScope) AND (@tenantId IS NULL OR tenant_id = @tenantId)
            ORDER BY created_at, id COLLATE "C"
            """, new { tenantScope, tenantId })).Select(r => r.ToLicense()).ToList(), ct);
}
