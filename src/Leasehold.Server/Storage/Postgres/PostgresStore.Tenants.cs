using Leasehold.Core.Licenses;
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
        DecideAsync(async (db, tx, ends) =>
        {
            if (!await TenantSql.UpdateLicenseAsync(db, tx, Dialect, license, now))
                return 0;
            await ApplyAsync(db, tx, SessionLifecycle.FollowLicense(await SessionSql.LiveAsync(db, tx, license.Id), license, now), ends);
            await AuditSql.AppendAsync(db, tx, Dialect, audit);
            return 0;
        }, ct);

    public Task<License?> GetLicenseAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => TenantSql.GetLicenseAsync(db, null, id, tenantScope), ct);

    public Task<IReadOnlyList<License>> ListLicensesAsync(string? tenantScope, string? tenantId, PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => TenantSql.ListLicensesAsync(db, Dialect, tenantScope, tenantId, page), ct);
}
