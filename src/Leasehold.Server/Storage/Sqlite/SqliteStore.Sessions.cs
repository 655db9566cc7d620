using Dapper;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using Leasehold.Server.Sessions.Signals;
using Microsoft.Data.Sqlite;

namespace Leasehold.Server.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public Task<T?> DecideOnLicenseAsync<T>(LedgerQuery query, Func<LicenseLedger, Decided<T>> decide, CancellationToken ct) where T : class =>
        DecideOnLicenseAsync(query, decide, static _ => [], ct);

    public Task<T?> DecideOnLicenseAsync<T>(LedgerQuery query, Func<LicenseLedger, Decided<T>> decide,
        Func<T, IReadOnlyList<AuditEntry>> audit, CancellationToken ct) where T : class =>
        WriteAsync<T?>(async (db, tx) =>
        {
            var entry = await LedgerAsync(db, tx, query.LicenseId);
            if (entry is null || (query.TenantScope is not null && entry.License.TenantId != query.TenantScope))
                return null;
            var license = entry.License;
            var replay = query.IdempotencyKey is null ? null : _statements!.Replay(tx, license.TenantId, query.IdempotencyKey);
            var connection = query.ConnectionId is null ? null : await ConnectionSql.GetAsync(db, tx, query.ConnectionId, license.TenantId);

            var ledger = new LicenseLedger(license, [.. entry.Live.Values], replay)
            {
                TimeZone = entry.TimeZone,
                Connection = connection,
                Installations = entry.Installations,
                CoolDowns = [.. entry.CoolDowns.Values],
            };
            var decided = decide(ledger);
            await ApplyAsync(db, tx, decided.Changes);
            if (decided.Result is { } result)
                await AuditSql.AppendAsync(db, tx, Dialect, audit(result));
            return decided.Result;
        }, ct);

    public Task<T?> DecideOnSessionAsync<T>(string sessionId, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, CancellationToken ct) where T : class =>
        DecideOnSessionAsync(sessionId, tenantScope, decide, static _ => [], ct);

    public Task<T?> DecideOnSessionAsync<T>(string sessionId, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, Func<T, IReadOnlyList<AuditEntry>> audit, CancellationToken ct) where T : class =>
        WriteAsync<T?>(async (db, tx) =>
        {
            var session = _ledgers.FindLive(sessionId, out var entry) ?? _statements!.ById(tx, sessionId);
            if (session is null || (tenantScope is not null && session.TenantId != tenantScope))
                return null;
            entry ??= await LedgerAsync(db, tx, session.LicenseId);
            var connection = session.ConnectionId is null ? null : await ConnectionSql.GetAsync(db, tx, session.ConnectionId, session.TenantId);
            var decided = decide(session, new SessionContext(entry!.License, entry.TimeZone, connection));
            await ApplyAsync(db, tx, decided.Changes);
            await AuditSql.AppendAsync(db, tx, Dialect, audit(decided.Result));
            return decided.Result;
        }, ct);

    /// <summary>
    /// The license's live ledger: from memory, or read from the file once and kept (null: no such
    /// license). Read piece by piece (license, its tenant's time zone, live holders), as it is
    /// seldom read; PostgreSQL reads a ledger on every decision, in one locked round trip.
    /// </summary>
    private async Task<LiveLedgers.Entry?> LedgerAsync(SqliteConnection db, SqliteTransaction tx, string licenseId)
    {
        if (_ledgers.Find(licenseId) is { } cached)
            return cached;
        var license = await TenantSql.GetLicenseAsync(db, tx, licenseId, null);
        if (license is null)
            return null;
        var timeZone = await db.ExecuteScalarAsync<string>("SELECT time_zone FROM tenants WHERE id = @TenantId", license, tx);
        var installations = await InstallationSql.OfLicenseAsync(db, tx, licenseId);
        var coolDowns = await CoolDownSql.InForceAsync(db, tx, licenseId, _clock.GetUtcNow());
        return _ledgers.Add(license, timeZone ?? "UTC", installations, _statements!.Live(tx, licenseId), coolDowns);
    }

    public Task<bool> SaveStateAsync(string sessionId, string? tenantScope, string document, DateTimeOffset at, CancellationToken ct) =>
        WriteAsync((db, tx) => SessionSql.SaveStateAsync(db, tx, sessionId, tenantScope, document, at), ct);

    public Task<string?> GetSavedStateAsync(string sessionId, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => SessionSql.SavedStateAsync(db, sessionId, tenantScope), ct);

    public Task<IReadOnlyList<SessionEnd>> EndDueSessionsAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        WriteAsync<IReadOnlyList<SessionEnd>>((db, tx) =>
        {
            var ended = _statements!.EndDue(tx, now, limit);
            foreach (var end in ended)
                _ledgers.Remove(end.SessionId);
            _endedInTransaction.AddRange(ended);
            return Task.FromResult<IReadOnlyList<SessionEnd>>(ended);
        }, ct);

    public Task<Session?> GetSessionAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => SessionSql.GetAsync(db, id, tenantScope), ct);

    public Task<IReadOnlyList<CoolDown>> ListCoolDownsAsync(string? tenantScope, string? licenseId, DateTimeOffset now, PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => CoolDownSql.ListInForceAsync(db, Dialect, tenantScope, licenseId, now, page), ct);

    public Task<IReadOnlyList<Session>> ListOpenSessionsAsync(string? tenantScope, string? licenseId, PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => SessionSql.ListOpenAsync(db, Dialect, tenantScope, licenseId, page), ct);

    public Task<IReadOnlyList<Session>> ListOpenSessionsOfLicensesAsync(IReadOnlyCollection<string> licenseIds, CancellationToken ct) =>
        ReadAsync(db => SessionSql.ListOpenOfLicensesAsync(db, Dialect, licenseIds), ct);

    /// <summary>Writes a decision's changes in the writer's transaction, and keeps the live ledgers in step.</summary>
    private async Task ApplyAsync(SqliteConnection db, SqliteTransaction tx, Changes changes)
    {
        foreach (var session in changes.Sessions)
        {
            _statements!.Write(tx, session, knownLive: _ledgers.FindLive(session.Id, out _) is not null);
            if (!session.IsActive)
                _endedInTransaction.Add(SessionEnd.Of(session)); // an end is written once: a written ended session is a new end
        }
        _ledgers.Apply(changes.Sessions);
        foreach (var handoff in changes.Handoffs)
            await SessionSql.HandOffAsync(db, tx, handoff);
        foreach (var e in changes.Events)
            _statements!.Append(tx, e, _maxRefusalEvents);
        foreach (var installation in changes.Installations)
            await InstallationSql.WriteAsync(db, tx, installation);
        _ledgers.Apply(changes.Installations);
        foreach (var coolDown in changes.CoolDowns)
            await CoolDownSql.WriteAsync(db, tx, coolDown);
        _ledgers.Apply(changes.CoolDowns, _clock.GetUtcNow());
        foreach (var claim in changes.Claims)
            await ConnectionSql.ClaimAsync(db, tx, claim);
    }
}
