using Dapper;
using Leasehold.Core.Licenses;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tenants;

namespace Leasehold.Server.Storage.Postgres;

/// <summary>Tenants and licenses on PostgreSQL (<see cref="TenantSql"/> holds the SQL); a changed license is written under its row lock.</summary>
internal sealed partial class PostgresStore
{
    public Task CreateTenantAsync(Tenant tenant, IReadOnlyList<AuditEntry> audit, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            await TenantSql.InsertTenantAsync(db, tx, tenant);
            await AuditSql.AppendAsync(db, tx, Dialect, audit);
            return 0;
        }, ct);

    public Task<Tenant?> GetTenantAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => TenantSql.GetTenantAsync(db, id, tenantScope), ct);

    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? tenantScope, PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => TenantSql.ListTenantsAsync(db, Dialect, tenantScope, page), ct);

    public Task CreateLicenseAsync(License license, IReadOnlyList<AuditEntry> audit, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            await TenantSql.InsertLicenseAsync(db, tx, license);
            await AuditSql.AppendAsync(db, tx, Dialect, audit);
            return 0;
        }, ct);

    public Task UpdateLicenseAsync(License license, DateTimeOffset now, IReadOnlyList<AuditEntry> audit, CancellationToken ct) =>
        DecideAsync(async (db, tx, pushes) =>
        {
            if (!await TenantSql.UpdateLicenseAsync(db, tx, Dialect, license, now))
                return 0;
            var changes = SessionLifecycle.FollowLicense(await SessionSql.LiveAsync(db, tx, license.Id), license, now);
            // A raise of seats (or a policy change) offers what it frees to the line, in the change's transaction.
            if (await db.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM wait_entries WHERE license_id = @Id AND ended_at IS NULL)", new { license.Id }, tx)
                && await LineLedgerAsync(db, tx, license.Id) is { } ledger)
                changes = WaitingLine.Following(ledger, changes, now);
            await ApplyAsync(db, tx, changes, pushes);
            await AuditSql.AppendAsync(db, tx, Dialect, audit);
            return 0;
        }, ct);

    public Task<License?> GetLicenseAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => TenantSql.GetLicenseAsync(db, null, id, tenantScope), ct);

    public Task<IReadOnlyList<License>> ListLicensesAsync(string? tenantScope, string? tenantId, PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => TenantSql.ListLicensesAsync(db, Dialect, tenantScope, tenantId, page), ct);
}
