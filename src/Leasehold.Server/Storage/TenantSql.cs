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

    /// <summary>Tenants in scope by creation, then id: all of them, or one <paramref name="page"/>.</summary>
    public static async Task<IReadOnlyList<Tenant>> ListTenantsAsync(DbConnection db, SqlDialect dialect, string? tenantScope, PageRequest? page) =>
        (await db.QueryAsync<TenantRow>(
            "SELECT * FROM tenants " + Keyset.Clauses(dialect, "created_at", "id", page, Keyset.Equal("id", "tenantScope", tenantScope)),
            Keyset.Parameters(page, new { tenantScope })))
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

    /// <summary>Licenses in scope (of one tenant, given <paramref name="tenantId"/>) by creation, then id: all, or one <paramref name="page"/>.</summary>
    public static async Task<IReadOnlyList<License>> ListLicensesAsync(
        DbConnection db, SqlDialect dialect, string? tenantScope, string? tenantId, PageRequest? page) =>
        (await db.QueryAsync<LicenseRow>(
            "SELECT * FROM licenses " + Keyset.Clauses(dialect, "created_at", "id", page,
                Keyset.Equal("tenant_id", "tenantScope", tenantScope), Keyset.Equal("tenant_id", "tenantId", tenantId)),
            Keyset.Parameters(page, new { tenantScope, tenantId }))).Select(r => r.ToLicense()).ToList();
}
