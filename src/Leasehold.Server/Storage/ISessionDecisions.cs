using Leasehold.Core.Sessions;
using Leasehold.Server.Sessions.Signals;

namespace Leasehold.Server.Storage;

/// <summary>
/// Every write to seats: the two <c>Decide</c> methods read a consistent snapshot under a write lock,
/// run the pure decision and write its <see cref="Changes"/> in the same transaction, which is what
/// makes the seat limit hold under any concurrency; the reaper ends due sessions set-based. Each end
/// written is published to the push channel (<see cref="ISessionEndPublisher"/>) once committed.
/// </summary>
internal interface ISessionDecisions
{
    /// <summary>
    /// Runs <paramref name="decide"/> on the license's ledger and commits its changes atomically;
    /// null when the license is not found. The ledger carries the tenant's time zone, the session
    /// an earlier request with <see cref="LedgerQuery.IdempotencyKey"/> created, and the connection
    /// <see cref="LedgerQuery.ConnectionId"/> names (null if it names none or one not in the tenant).
    /// </summary>
    Task<T?> DecideOnLicenseAsync<T>(LedgerQuery query, Func<LicenseLedger, Decided<T>> decide, CancellationToken ct) where T : class =>
        DecideOnLicenseAsync(query, decide, static _ => [], ct);

    /// <summary>As above, and appends what <paramref name="audit"/> makes of the decision's result to the audit trail in the same transaction (an admin's lifted cool-down).</summary>
    Task<T?> DecideOnLicenseAsync<T>(LedgerQuery query, Func<LicenseLedger, Decided<T>> decide, Func<T, IReadOnlyList<AuditEntry>> audit, CancellationToken ct)
        where T : class;

    /// <summary>Runs <paramref name="decide"/> on one session (with its license and connection as they are now) and commits its changes atomically; null when the session is not found.</summary>
    Task<T?> DecideOnSessionAsync<T>(string sessionId, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, CancellationToken ct) where T : class =>
        DecideOnSessionAsync(sessionId, tenantScope, decide, static _ => [], ct);

    /// <summary>
    /// As above, and appends what <paramref name="audit"/> makes of the decision's result to the audit
    /// trail in the same transaction (an admin's stop: recorded exactly when the stop is).
    /// </summary>
    Task<T?> DecideOnSessionAsync<T>(string sessionId, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, Func<T, IReadOnlyList<AuditEntry>> audit, CancellationToken ct) where T : class;

    /// <summary>
    /// Runs <paramref name="decide"/> on each of <paramref name="sessionIds"/> (distinct ids), in their order, exactly as
    /// <see cref="DecideOnSessionAsync{T}(string, string?, Func{Session, SessionContext, Decided{T}}, CancellationToken)"/> does
    /// for one (the waiting line followed where a license has open entries), and commits all their changes in one
    /// transaction: the batched heartbeat. The answers are in the ids' order, null for a session not found (or another tenant's).
    /// On PostgreSQL the licenses are locked once each, ordered by id, so a batch never deadlocks with another or with single decisions.
    /// </summary>
    Task<IReadOnlyList<T?>> DecideOnSessionsAsync<T>(IReadOnlyList<string> sessionIds, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, CancellationToken ct) where T : class;

    /// <summary>
    /// Ends up to <paramref name="limit"/> live sessions whose deadline is at or before
    /// <paramref name="now"/>, in one set-based write: each ends at its <c>deadline_at</c> for its
    /// <c>deadline_reason</c>, which is <see cref="Session.NextEnd"/> as computed when the session
    /// was last written, so the result is exactly <see cref="SessionLifecycle.Reap"/>'s. Records
    /// the <c>ended</c> usage event of each in the same transaction, and returns the ends.
    /// </summary>
    Task<IReadOnlyList<SessionEnd>> EndDueSessionsAsync(DateTimeOffset now, int limit, CancellationToken ct);
}

/// <summary>What <see cref="ISessionDecisions.DecideOnLicenseAsync{T}"/> reads.</summary>
/// <param name="Turnover">Also read the license's recent seat turnover into <see cref="LicenseLedger.Turnover"/> (the waiting
/// line's estimate: one indexed count, read only for the wait calls, never for ordinary checkouts).</param>
internal sealed record LedgerQuery(string LicenseId, string? TenantScope, string? IdempotencyKey = null, string? ConnectionId = null,
    bool Turnover = false);
