using Leasehold.Core.Installations;

namespace Leasehold.Server.Storage;

/// <summary>
/// Installations of company licenses, as they stand (every change to them is a decision on their
/// license: <see cref="ISessionDecisions.DecideOnLicenseAsync{T}"/>, whose ledger carries them).
/// </summary>
internal interface IInstallationStore
{
    /// <summary>Installations in scope, optionally of one license, by creation time, then id: all (<paramref name="page"/> null), or one page.</summary>
    Task<IReadOnlyList<Installation>> ListInstallationsAsync(string? tenantScope, string? licenseId, PageRequest? page, CancellationToken ct);
    Task<Installation?> GetInstallationAsync(string id, string? tenantScope, CancellationToken ct);
}
