using Leasehold.Core.Licenses;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tenants;

namespace Leasehold.Server.Storage;

/// <summary>Tenants and their licenses.</summary>
internal interface ITenantStore
{
    /// <summary>Stores a new tenant; <paramref name="audit"/> is appended to the audit trail in the same transaction (as with every write below).</summary>
    Task CreateTenantAsync(Tenant tenant, IReadOnlyList<AuditEntry> audit, CancellationToken ct);
    Task<Tenant?> GetTenantAsync(string id, string? tenantScope, CancellationToken ct);

    /// <summary>Tenants in scope by creation time, then id: all (<paramref name="page"/> null), or one page.</summary>
    Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? tenantScope, PageRequest? page, CancellationToken ct);

    /// <summary>Stores a new license and version 1 of its policy.</summary>
    Task CreateLicenseAsync(License license, IReadOnlyList<AuditEntry> audit, CancellationToken ct);

    /// <summary>
    /// Writes a changed license; a new <see cref="License.PolicyVersion"/> is kept in the policy
    /// history too, and open sessions follow its end date (<see cref="SessionLifecycle.FollowLicense"/>), in the same transaction; <paramref name="audit"/> too, when the license exists.
    /// </summary>
    Task UpdateLicenseAsync(License license, DateTimeOffset now, IReadOnlyList<AuditEntry> audit, CancellationToken ct);

    Task<License?> GetLicenseAsync(string id, string? tenantScope, CancellationToken ct);

    /// <summary>Licenses in scope, optionally of one tenant, by creation time, then id: all (<paramref name="page"/> null), or one page.</summary>
    Task<IReadOnlyList<License>> ListLicensesAsync(string? tenantScope, string? tenantId, PageRequest? page, CancellationToken ct);
}
