using System.Data.Common;
using Dapper;
using Leasehold.Core.Licenses;
using Leasehold.Core.Tenants;

namespace Leasehold.Server.Storage;

/// <summary>
/// Tenants, licenses and the licenses' policy history: the statements both stores run, with their
/// Dapper calls; each store opens the connection and the transaction.
/// </summary>
internal static class TenantSql
{
    public static Task<int> InsertTenantAsync(DbConnection db, DbTransaction tx, Tenant tenant) =>
        db.ExecuteAsync("INSERT INTO tenants (id, name, time_zone, created_at) VALUES (@Id, @Name, @TimeZone, @CreatedAt)", TenantRow.From(tenant), tx);

    public static async Task<Tenant?> GetTenantAsync(DbConnection db, string id, string? tenantScope) =>
        (await db.QuerySingleOrDefaultAsync<TenantRow>(
            "SELECT * FROM tenants WHERE id = @id AND (@tenantScope IS NULL OR id = @tenantScope)", new { id, tenantScope }))?.ToTenant();

    public static async Task<IReadOnlyList<Tenant>> ListTenantsAsync(DbConnection db, SqlDialect dialect, string? tenantScope) =>
        (await db.QueryAsync<TenantRow>(
            $"SELECT * FROM tenants WHERE @tenantScope IS NULL OR id = @tenantScope ORDER BY created_at, {dialect.IdOrder}", new { tenantScope }))
            .Select(r => r.ToTenant()).ToList();

    /// <summary>Inserts a license and its policy as the first entry of its history.</summary>
    public static async Task<int> InsertLicenseAsync(DbConnection db, DbTransaction tx, License license)
    {
        var row = LicenseRow.From(license);
        await db.ExecuteAsync(
            """
            INSERT INTO licenses (id, tenant_id, product, seats, policy, created_at, starts_at, ends_at, policy_version)
            VALUES (@Id, @TenantId, @Product, @Seats, @Policy, @CreatedAt, @StartsAt, @EndsAt, @PolicyVersion)
            """, row, tx);
        return await InsertPolicyVersionAsync(db, tx, row, license.CreatedAt);
    }

    /// <summary>
    /// Writes a changed license, and its policy into the history when its version moved; false
    /// (nothing written) when there is no such license. The license row is read with the dialect's
    /// <see cref="SqlDialect.RowLock"/>, so that on PostgreSQL no decision on it runs until the caller commits.
    /// </summary>
    public static async Task<bool> UpdateLicenseAsync(DbConnection db, DbTransaction tx, SqlDialect dialect, License license, DateTimeOffset now)
    {
        var row = LicenseRow.From(license);
        var previous = await db.ExecuteScalarAsync<long?>($"SELECT policy_version FROM licenses WHERE id = @Id{dialect.RowLock}", row, tx);
        if (previous is null)
            return false;
        await db.ExecuteAsync(
            """
            UPDATE licenses SET seats = @Seats, policy = @Policy, starts_at = @StartsAt, ends_at = @EndsAt, policy_version = @PolicyVersion
            WHERE id = @Id
            """, row, tx);
        if (row.PolicyVersion != previous)
            await InsertPolicyVersionAsync(db, tx, row, now);
        return true;
    }

    private static Task<int> InsertPolicyVersionAsync(DbConnection db, DbTransaction tx, LicenseRow row, DateTimeOffset at) =>
        db.ExecuteAsync("INSERT INTO license_policies (license_id, version, policy, created_at) VALUES (@Id, @PolicyVersion, @Policy, @At)",
            new { row.Id, row.PolicyVersion, row.Policy, At = at.ToUnixTimeMilliseconds() }, tx);

    /// <summary>A license in scope; <paramref name="tx"/> when read inside a write (SQLite's writer loading a ledger).</summary>
    public static async Task<License?> GetLicenseAsync(DbConnection db, DbTransaction? tx, string id, string? tenantScope) =>
        (await db.QuerySingleOrDefaultAsync<LicenseRow>(
            "SELECT * FROM licenses WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)", new { id, tenantScope }, tx))?.ToLicense();

    public static async Task<IReadOnlyList<License>> ListLicensesAsync(DbConnection db, SqlDialect dialect, string? tenantScope, string? tenantId) =>
        (await db.QueryAsync<LicenseRow>(
            $"""
            SELECT * FROM licenses
            WHERE (@tenantScope IS NULL OR tenant_id = @tenantScope) AND (@tenantId IS NULL OR tenant_id = @tenantId)
            ORDER BY created_at, {dialect.IdOrder}
            """, new { tenantScope, tenantId })).Select(r => r.ToLicense()).ToList();
}
