using Leasehold.Core.Licenses;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tenants;

namespace Leasehold.Server.Storage.Sqlite;

/// <summary>Tenants and licenses on SQLite (<see cref="TenantSql"/> holds the SQL); a changed license also updates the live ledgers.</summary>
internal sealed partial class SqliteStore
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
        WriteAsync(async (db, tx) =>
        {
            if (!await TenantSql.UpdateLicenseAsync(db, tx, Dialect, license, now))
                return 0;
            _ledgers.Update(license);
            var live = _statements!.Live(tx, license.Id);
            var changes = SessionLifecycle.FollowLicense(live, license, now);
            // A raise of seats (or a policy change) offers what it frees to the line, in the change's transaction.
            if (await LedgerAsync(db, tx, license.Id) is { Line.Count: > 0 } entry)
                changes = WaitingLine.Following(LedgerOf(entry) with { License = license, Holders = live }, changes, now);
            await ApplyAsync(db, tx, changes);
            await AuditSql.AppendAsync(db, tx, Dialect, audit);
            return 0;
        }, ct);

    public Task<License?> GetLicenseAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => TenantSql.GetLicenseAsync(db, null, id, tenantScope), ct);

    public Task<IReadOnlyList<License>> ListLicensesAsync(string? tenantScope, string? tenantId, PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => TenantSql.ListLicensesAsync(db, Dialect, tenantScope, tenantId, page), ct);
}
