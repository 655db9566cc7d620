using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using Leasehold.Server.Sessions.Signals;

namespace Leasehold.Server.Storage;

/// <summary>
/// The one storage contract, satisfied by SQLite (embedded, the default) and, later, PostgreSQL.
/// Reads take a <c>tenantScope</c>: null for the operator, else the caller's tenant, and a row of
/// another tenant is simply not found. Writes to seats go through the two <c>Decide</c> methods,
/// which read a consistent snapshot under a write lock, run the pure decision and write its
/// <see cref="Changes"/> in the same transaction: that is what makes the seat limit hold under
/// any concurrency.
/// </summary>
internal interface ILeaseholdStore
{
    Task MigrateAsync(CancellationToken ct);

    Task CreateTenantAsync(Tenant tenant, CancellationToken ct);
    Task<Tenant?> GetTenantAsync(string id, string? tenantScope, CancellationToken ct);
    Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? tenantScope, CancellationToken ct);

    Task CreateLicenseAsync(License license, CancellationToken ct);

    /// <summary>
    /// Writes a changed license; a new <see cref="License.PolicyVersion"/> is kept in the policy
    /// history too, and open sessions follow its end date (<see cref="SessionLifecycle.FollowLicense"/>), in the same transaction.
    /// </summary>
    Task UpdateLicenseAsync(License license, DateTimeOffset now, CancellationToken ct);

    Task CreateConnectionAsync(Connection connection, CancellationToken ct);
    Task<Connection?> GetConnectionAsync(string id, string? tenantScope, CancellationToken ct);
    Task<IReadOnlyList<Connection>> ListConnectionsAsync(string? tenantScope, string? tenantId, CancellationToken ct);
    Task<License?> GetLicenseAsync(string id, string? tenantScope, CancellationToken ct);
    Task<IReadOnlyList<License>> ListLicensesAsync(string? tenantScope, string? tenantId, CancellationToken ct);

    Task CreateApiKeyAsync(ApiKey key, CancellationToken ct);
    Task<ApiKey?> FindApiKeyAsync(string secretHash, CancellationToken ct);
    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string? tenantScope, string? tenantId, CancellationToken ct);
    Task<ApiKey?> RevokeApiKeyAsync(string id, string? tenantScope, DateTimeOffset at, CancellationToken ct);
    Task<bool> AnyOperatorKeyAsync(CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="decide"/> on the license's ledger and commits its changes atomically;
    /// null when the license is not found. The ledger carries the tenant's time zone, the session
    /// an earlier request with <see cref="LedgerQuery.IdempotencyKey"/> created, and the connection
    /// <see cref="LedgerQuery.ConnectionId"/> names (null if it names none or one not in the tenant).
    /// </summary>
    Task<T?> DecideOnLicenseAsync<T>(LedgerQuery query, Func<LicenseLedger, Decided<T>> decide, CancellationToken ct) where T : class;

    /// <summary>Runs <paramref name="decide"/> on one session (with its license and connection as they are now) and commits its changes atomically; null when the session is not found.</summary>
    Task<T?> DecideOnSessionAsync<T>(string sessionId, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, CancellationToken ct) where T : class;

    /// <summary>Saves the state document of a live session; false when no live session with that id is in scope.</summary>
    Task<bool> SaveSessionStateAsync(string sessionId, string? tenantScope, string document, DateTimeOffset at, CancellationToken ct);

    /// <summary>The state document a session saved or was handed at a takeover (null: none).</summary>
    Task<string?> GetSessionStateAsync(string sessionId, CancellationToken ct);

    /// <summary>
    /// Ends up to <paramref name="limit"/> live sessions whose deadline is at or before
    /// <paramref name="now"/>, in one set-based write: each ends at its <c>deadline_at</c> for its
    /// <c>deadline_reason</c>, which is <see cref="Session.NextEnd"/> as computed when the session
    /// was last written, so the result is exactly <see cref="SessionLifecycle.Reap"/>'s. Records
    /// the <c>ended</c> usage event of each in the same transaction, and returns the ends.
    /// </summary>
    Task<IReadOnlyList<SessionEnd>> EndDueSessionsAsync(DateTimeOffset now, int limit, CancellationToken ct);

    Task<Session?> GetSessionAsync(string id, string? tenantScope, CancellationToken ct);

    /// <summary>Sessions with no end recorded, oldest first (some may be past their deadline: callers judge with the clock).</summary>
    Task<IReadOnlyList<Session>> ListOpenSessionsAsync(string? tenantScope, string? licenseId, CancellationToken ct);

    /// <summary>Usage events in the order they were recorded.</summary>
    Task<IReadOnlyList<UsageEvent>> ListUsageEventsAsync(string? tenantScope, string? licenseId, CancellationToken ct);

    // Usage history and reports (their SQL: Storage/UsageSql.cs, shared by both stores).

    /// <summary>Usage events matching <paramref name="filter"/>, by time then id, read as they stream from the database (never all in memory).</summary>
    IAsyncEnumerable<StoredUsageEvent> ReadUsageEventsAsync(UsageFilter filter, CancellationToken ct);

    /// <summary>
    /// What a report on one license needs from raw events: every event in <c>[from, to)</c>, plus the
    /// admissions of sessions still open at <paramref name="from"/> (admitted before it, not ended by it); by time.
    /// </summary>
    Task<IReadOnlyList<UsageEvent>> ReadLicenseHistoryAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>Up to when the license's raw events were rolled up into hours (null: never); reports read rollups before it.</summary>
    Task<DateTimeOffset?> UsageRolledUntilAsync(string licenseId, string? tenantScope, CancellationToken ct);

    /// <summary>The rolled-up hours of the license starting in <c>[from, to)</c>.</summary>
    Task<IReadOnlyList<BucketStats>> ReadUsageHoursAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>Events per outcome and client type in <c>[from, to)</c>: raw events after the rollup mark, rolled-up counts before it.</summary>
    Task<IReadOnlyList<OutcomeTotal>> CountOutcomesAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>The time of the license's oldest raw event (null: none).</summary>
    Task<DateTimeOffset?> OldestUsageEventAsync(string licenseId, CancellationToken ct);

    /// <summary>
    /// In one transaction: reads the license's history of <c>[from, until)</c>, writes what
    /// <paramref name="summarize"/> makes of it, deletes the raw events before <paramref name="until"/>
    /// (keeping admissions of sessions not ended by then, which later reports still pair with their end)
    /// and moves the license's rollup mark to <paramref name="until"/>. Does nothing if the mark is already there.
    /// </summary>
    Task RollUpUsageAsync(string tenantId, string licenseId, DateTimeOffset from, DateTimeOffset until,
        Func<IReadOnlyList<UsageEvent>, UsageRollup> summarize, CancellationToken ct);
}

/// <summary>What <see cref="ILeaseholdStore.DecideOnLicenseAsync{T}"/> reads.</summary>
internal sealed record LedgerQuery(string LicenseId, string? TenantScope, string? IdempotencyKey = null, string? ConnectionId = null);

/// <summary>An API key as stored: only the SHA-256 of its secret is kept.</summary>
internal sealed record ApiKey(string Id, string? TenantId, ApiKeyRole Role, string? Name, string SecretHash,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

internal enum ApiKeyRole
{
    /// <summary>The vendor or whoever runs the server: everything, every tenant.</summary>
    Operator,

    /// <summary>A tenant's admin: everything of that one tenant.</summary>
    Admin,

    /// <summary>A licensed application: session calls and checks for its tenant only.</summary>
    Client,
}
