using Leasehold.Core.Access;

namespace Leasehold.Server.Storage;

/// <summary>Connections: a tenant's shared access credentials, with their access plans.</summary>
internal interface IConnectionStore
{
    /// <summary>Stores a new connection; <paramref name="audit"/> is appended to the audit trail in the same transaction (as with every write below, when it changed something).</summary>
    Task CreateConnectionAsync(Connection connection, IReadOnlyList<AuditEntry> audit, CancellationToken ct);
    Task<Connection?> GetConnectionAsync(string id, string? tenantScope, CancellationToken ct);

    /// <summary>Connections in scope, optionally of one tenant, by creation time, then id: all (<paramref name="page"/> null), or one page.</summary>
    Task<IReadOnlyList<Connection>> ListConnectionsAsync(string? tenantScope, string? tenantId, PageRequest? page, CancellationToken ct);

    /// <summary>Writes a changed connection (name, e-mail, access plan); false when it no longer exists.</summary>
    Task<bool> UpdateConnectionAsync(Connection connection, IReadOnlyList<AuditEntry> audit, CancellationToken ct);

    /// <summary>
    /// Removes a connection unless an open session uses it (then nothing changes and the answer is
    /// how many do). Decided while the tenant's licenses are locked, so no checkout can start on it meanwhile.
    /// </summary>
    Task<ConnectionRemoval> DeleteConnectionAsync(Connection connection, IReadOnlyList<AuditEntry> audit, CancellationToken ct);
}

/// <summary>What removing a connection did: removed, or not because <see cref="OpenSessions"/> sessions use it.</summary>
internal sealed record ConnectionRemoval(bool Removed, int OpenSessions);
