using Leasehold.Core.Licenses;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tenants;

namespace Leasehold.Server.Storage;

/// <summary>Tenants and their licenses.</summary>
internal interface ITenantStore
{
    Task CreateTenantAsync(Tenant tenant, CancellationToken ct);
    Task<Tenant?> GetTenantAsync(string id, string? tenantScope, CancellationToken ct);
    Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? tenantScope, CancellationToken ct);

    /// <summary>Stores a new license and version 1 of its policy.</summary>
    Task CreateLicenseAsync(License license, CancellationToken ct);

    /// <summary>
    /// Writes a changed license; a new <see cref="License.PolicyVersion"/> is kept in the policy
    /// history too, and open sessions follow its end date (<see cref="SessionLifecycle.FollowLicense"/>), in the same transaction.
    /// </summary>
    Task UpdateLicenseAsync(License license, DateTimeOffset now, CancellationToken ct);

    Task<License?> GetLicenseAsync(string id, string? tenantScope, CancellationToken ct);
    Task<IReadOnlyList<License>> ListLicensesAsync(string? tenantScope, string? tenantId, CancellationToken ct);
}
