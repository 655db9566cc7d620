using Dapper;
using Leasehold.Core.Policies;
using Leasehold.Core.Queue;
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

            // The waiting line: from memory (nothing read for a license without one); the entry of an earlier
            // checkout with the same key only where a line is kept or open.
            var waitReplay = replay is null && query.IdempotencyKey is { } key && (license.Policy.WaitingLine.Enabled || entry.Line.Count > 0)
                ? await WaitSql.ByIdempotencyKeyAsync(db, tx, license.TenantId, key)
                : null;
            var ledger = new LicenseLedger(license, entry.Live, replay) // the kept set itself: the decision only reads it, and it changes after
            {
                TimeZone = entry.TimeZone,
                Connection = connection,
                Installations = entry.Installations,
                CoolDowns = [.. entry.CoolDowns.Values],
                Line = entry.Line.Count == 0 ? [] : [.. entry.Line.Values], // no copy per checkout of a license without a line
                WaitReplay = waitReplay,
                Turnover = query.Turnover ? await WaitSql.TurnoverAsync(db, tx, license.Id, _clock.GetUtcNow()) : null,
            };
            var decided = decide(ledger);
            // A seat the decision freed (a share lowered, a holder found past its end) goes down the line in this transaction.
            var changes = ledger.Line.Count == 0 ? decided.Changes : WaitingLine.Following(ledger, decided.Changes, _clock.GetUtcNow());
            await ApplyAsync(db, tx, changes);
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
            if (await DecideOneAsync(db, tx, sessionId, tenantScope, decide) is not { } decided)
                return null;
            await AuditSql.AppendAsync(db, tx, Dialect, audit(decided.Result));
            return decided.Result;
        }, ct);

    /// <summary>Every session of the batch decided in turn on the writer, in one transaction (one commit, one queue slot).</summary>
    public Task<IReadOnlyList<T?>> DecideOnSessionsAsync<T>(IReadOnlyList<string> sessionIds, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, CancellationToken ct) where T : class =>
        WriteAsync<IReadOnlyList<T?>>(async (db, tx) =>
        {
            var results = new T?[sessionIds.Count];
            for (var i = 0; i < sessionIds.Count; i++)
                results[i] = (await DecideOneAsync(db, tx, sessionIds[i], tenantScope, decide))?.Result;
            return results;
        }, ct);

    /// <summary>One decision on one session in the writer's transaction, its changes applied; null when the session is not found.</summary>
    private async Task<Decided<T>?> DecideOneAsync<T>(SqliteConnection db, SqliteTransaction tx, string sessionId, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide)
    {
        var session = _ledgers.FindLive(sessionId, out var entry) ?? _statements!.ById(tx, sessionId);
        if (session is null || (tenantScope is not null && session.TenantId != tenantScope))
            return null;
        entry ??= await LedgerAsync(db, tx, session.LicenseId);
        var connection = session.ConnectionId is null ? null : await ConnectionSql.GetAsync(db, tx, session.ConnectionId, session.TenantId);
        var decided = decide(session, new SessionContext(entry!.License, entry.TimeZone, connection));
        // The seat a sign-off, stop or lapse frees is offered to the head of the line in the same transaction.
        var changes = entry.Line.Count == 0 ? decided.Changes : WaitingLine.Following(LedgerOf(entry), decided.Changes, _clock.GetUtcNow());
        await ApplyAsync(db, tx, changes);
        return decided;
    }

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
        var line = await WaitSql.OpenOfLicenseAsync(db, tx, licenseId);
        return _ledgers.Add(license, timeZone ?? "UTC", installations, _statements!.Live(tx, licenseId), coolDowns, line);
    }

    /// <summary>The ledger the line is walked on after another decision: the license, its live holders, shares and line.</summary>
    private static LicenseLedger LedgerOf(LiveLedgers.Entry entry) => new(entry.License, entry.Live)
    {
        TimeZone = entry.TimeZone,
        Installations = entry.Installations,
        CoolDowns = [.. entry.CoolDowns.Values],
        Line = [.. entry.Line.Values],
    };

    public Task<bool> SaveStateAsync(string sessionId, string? tenantScope, string document, DateTimeOffset at, CancellationToken ct) =>
        WriteAsync((db, tx) => SessionSql.SaveStateAsync(db, tx, sessionId, tenantScope, document, at), ct);

    public Task<string?> GetSavedStateAsync(string sessionId, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => SessionSql.SavedStateAsync(db, sessionId, tenantScope), ct);

    public Task<IReadOnlyList<SessionEnd>> EndDueSessionsAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        WriteAsync<IReadOnlyList<SessionEnd>>(async (db, tx) =>
        {
            var ended = _statements!.EndDue(tx, now, limit);
            var licenses = new HashSet<string>(StringComparer.Ordinal);
            var notCached = false;
            foreach (var end in ended)
            {
                if (_ledgers.LicenseOfLive(end.SessionId) is { } license)
                    licenses.Add(license.Id);
                else
                    notCached = true;
                _ledgers.Remove(end.SessionId);
            }
            _pushes.Ends.AddRange(ended);
            await AdvanceLinesAsync(db, tx, licenses, notCached, now, limit);
            return (IReadOnlyList<SessionEnd>)ended;
        }, ct);

    /// <summary>
    /// The reaper's pass over the waiting lines: each license whose sessions it just ended and that keeps a line,
    /// and each with entries due (offers lapsed, entries that stopped heart-beating or waited their time), is
    /// advanced (<see cref="WaitingLine.Advance"/>): due entries end and freed seats are offered, in the reap's transaction.
    /// </summary>
    private async Task AdvanceLinesAsync(SqliteConnection db, SqliteTransaction tx, HashSet<string> reapedLicenses,
        bool notCached, DateTimeOffset now, int limit)
    {
        // Licenses in memory say whether they keep a line; those of reaped sessions not in memory (after a restart) are asked, in one
        // statement over the batch the reap just marked (temp.reaped): no parameter per session (SQLite finds each bound parameter
        // by name, so a list of 500 cost a quarter of a million string comparisons per batch).
        var licenses = reapedLicenses.Where(id => _ledgers.Find(id) is { Line.Count: > 0 }).ToHashSet(StringComparer.Ordinal);
        if (notCached)
        {
            licenses.UnionWith(await db.QueryAsync<string>(
                """
                SELECT DISTINCT s.license_id FROM sessions s
                WHERE s.rowid IN temp.reaped AND EXISTS (SELECT 1 FROM wait_entries w WHERE w.license_id = s.license_id AND w.ended_at IS NULL)
                """, transaction: tx));
        }
        licenses.UnionWith(await WaitSql.DueLicensesAsync(db, tx, now, limit));
        foreach (var licenseId in licenses.Order(StringComparer.Ordinal))
        {
            var entry = await LedgerAsync(db, tx, licenseId);
            if (entry is null || entry.Line.Count == 0)
                continue;
            var advanced = WaitingLine.Advance(LedgerOf(entry), now);
            await ApplyAsync(db, tx, advanced.Changes);
        }
    }

    public Task<Session?> GetSessionAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => SessionSql.GetAsync(db, id, tenantScope), ct);

    public Task<IReadOnlyList<CoolDown>> ListCoolDownsAsync(string? tenantScope, string? licenseId, DateTimeOffset now, PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => CoolDownSql.ListInForceAsync(db, Dialect, tenantScope, licenseId, now, page), ct);

    public Task<IReadOnlyList<Session>> ListOpenSessionsAsync(string? tenantScope, string? licenseId, PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => SessionSql.ListOpenAsync(db, Dialect, tenantScope, licenseId, page), ct);

    public Task<IReadOnlyDictionary<string, int>> SeatsInUseAsync(string? tenantScope, IReadOnlyCollection<string>? licenseIds, DateTimeOffset now, CancellationToken ct) =>
        ReadAsync(db => SessionSql.SeatsInUseAsync(db, Dialect, tenantScope, licenseIds, now), ct);

    public Task<(int Total, IReadOnlyList<Session> Page)> ListLiveSessionsAsync(string? tenantScope, DateTimeOffset now, int offset, int limit, CancellationToken ct) =>
        ReadAsync(db => SessionSql.ListLiveAsync(db, Dialect, tenantScope, now, offset, limit), ct);

    /// <summary>Writes a decision's changes in the writer's transaction, and keeps the live ledgers in step.</summary>
    private async Task ApplyAsync(SqliteConnection db, SqliteTransaction tx, Changes changes)
    {
        foreach (var session in changes.Sessions)
        {
            _statements!.Write(tx, session, knownLive: _ledgers.LicenseOfLive(session.Id) is not null);
            if (!session.IsActive)
                _pushes.Ends.Add(SessionEnd.Of(session)); // an end is written once: a written ended session is a new end
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
        if (changes.Waits.Count > 0 || changes.WaitEvents.Count > 0)
        {
            await WaitSql.WriteAsync(db, tx, changes);
            _ledgers.Apply(changes.Waits);
            _pushes.AddLines(changes.WaitEvents);
        }
    }
}
