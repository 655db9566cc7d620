using Leasehold.Core.Installations;

namespace Leasehold.Server.Storage.Postgres;

/// <summary>Installations on PostgreSQL (<see cref="InstallationSql"/> holds the SQL).</summary>
internal sealed partial class PostgresStore
{
    public Task<IReadOnlyList<Installation>> ListInstallationsAsync(string? tenantScope, string? licenseId, PageRequest? page, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<Installation>>(async db => await InstallationSql.ListAsync(db, Dialect, tenantScope, licenseId, page), ct);

    public Task<Installation?> GetInstallationAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => InstallationSql.GetAsync(db, id, tenantScope), ct);
}
