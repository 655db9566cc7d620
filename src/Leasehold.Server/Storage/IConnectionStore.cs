using Leasehold.Core.Access;

namespace Leasehold.Server.Storage;

/// <summary>Connections: a tenant's shared access credentials, with their access plans.</summary>
internal interface IConnectionStore
{
    Task CreateConnectionAsync(Connection connection, CancellationToken ct);
    Task<Connection?> GetConnectionAsync(string id, string? tenantScope, CancellationToken ct);
    Task<IReadOnlyList<Connection>> ListConnectionsAsync(string? tenantScope, string? tenantId, CancellationToken ct);
}
