using Leasehold.Core.Sessions;

namespace Leasehold.Server.Storage;

/// <summary>Sessions as they were last written, and the state documents they save (writes of seats go through <see cref="ISessionDecisions"/>).</summary>
internal interface ISessionReads
{
    Task<Session?> GetSessionAsync(string id, string? tenantScope, CancellationToken ct);

    /// <summary>
    /// Sessions with no end recorded, oldest first (by start, then id; some may be past their deadline:
    /// callers judge with the clock): all (<paramref name="page"/> null), or one page.
    /// </summary>
    Task<IReadOnlyList<Session>> ListOpenSessionsAsync(string? tenantScope, string? licenseId, PageRequest? page, CancellationToken ct);

    /// <summary>
    /// The seats in use at <paramref name="now"/> of each license in scope that has any (of <paramref name="licenseIds"/>
    /// when given), counted as a seat decision counts them: a license list's numbers, without reading its sessions.
    /// </summary>
    Task<IReadOnlyDictionary<string, int>> SeatsInUseAsync(string? tenantScope, IReadOnlyCollection<string>? licenseIds, DateTimeOffset now, CancellationToken ct);

    /// <summary>The live sessions in scope at <paramref name="now"/> by start, a page after <paramref name="offset"/>, and their number.</summary>
    Task<(int Total, IReadOnlyList<Session> Page)> ListLiveSessionsAsync(string? tenantScope, DateTimeOffset now, int offset, int limit, CancellationToken ct);

    /// <summary>
    /// Cool-downs (admin stops that keep their user out for a while) in force at <paramref name="now"/>, optionally of one
    /// license; one per user and license (the one that ends last), soonest end first: all (<paramref name="page"/> null), or one page.
    /// </summary>
    Task<IReadOnlyList<CoolDown>> ListCoolDownsAsync(string? tenantScope, string? licenseId, DateTimeOffset now, PageRequest? page, CancellationToken ct);

    /// <summary>Saves the state document of a live session; false when no live session with that id is in scope.</summary>
    Task<bool> SaveStateAsync(string sessionId, string? tenantScope, string document, DateTimeOffset at, CancellationToken ct);

    /// <summary>The state document a session saved or was handed at a takeover (null: none, or no such session in scope).</summary>
    Task<string?> GetSavedStateAsync(string sessionId, string? tenantScope, CancellationToken ct);
}
