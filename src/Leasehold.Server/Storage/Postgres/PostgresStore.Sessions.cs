using Dapper;
using Leasehold.Core.Installations;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;
using Leasehold.Core;
using Leasehold.Core.Usage;
using Leasehold.Server.Sessions.Signals;
using Npgsql;

namespace Leasehold.Server.Storage.Postgres;

internal sealed partial class PostgresStore
{
    public Task<T?> DecideOnLicenseAsync<T>(LedgerQuery query, Func<LicenseLedger, Decided<T>> decide, CancellationToken ct) where T : class =>
        DecideOnLicenseAsync(query, decide, static _ => [], ct);

    public Task<T?> DecideOnLicenseAsync<T>(LedgerQuery query, Func<LicenseLedger, Decided<T>> decide,
        Func<T, IReadOnlyList<AuditEntry>> audit, CancellationToken ct) where T : class =>
        DecideAsync<T?>(async (db, tx, pushes) =>
        {
            // One round trip: the lock first (the statements run in order), then, under it, the
            // ledger: live holders, the idempotent replay, the connection (each in the license's tenant).
            LockedLicenseRow? locked;
            List<Session> live;
            Session? replay;
            ConnectionRow? connection;
            List<Installation> installations;
            List<CoolDown> coolDowns;
            List<WaitEntry> line;
            WaitEntry? waitReplay;
            await using (var reads = await db.QueryMultipleAsync(
                $"""
                {LockedLicense}
                WHERE l.id = @licenseId AND (@tenantScope IS NULL OR l.tenant_id = @tenantScope)
                FOR UPDATE OF l;
                SELECT {SessionSql.Columns} FROM sessions
                WHERE license_id = @licenseId AND ended_at IS NULL AND (@tenantScope IS NULL OR tenant_id = @tenantScope);
                SELECT {SessionSql.Columns} FROM sessions
                WHERE idempotency_key = @key AND tenant_id = (SELECT tenant_id FROM licenses WHERE id = @licenseId)
                  AND (@tenantScope IS NULL OR tenant_id = @tenantScope);
                SELECT * FROM connections
                WHERE id = @connectionId AND tenant_id = (SELECT tenant_id FROM licenses WHERE id = @licenseId)
                  AND (@tenantScope IS NULL OR tenant_id = @tenantScope);
                {InstallationSql.OfLicenseQueries}
                SELECT * FROM cool_downs WHERE license_id = @licenseId AND lifted_at IS NULL AND until > @now;
                {WaitSql.OpenOfLicense};
                SELECT {WaitSql.Columns} FROM wait_entries
                WHERE idempotency_key = @key AND tenant_id = (SELECT tenant_id FROM licenses WHERE id = @licenseId);
                """,
                new
                {
                    licenseId = query.LicenseId, tenantScope = query.TenantScope, key = query.IdempotencyKey, connectionId = query.ConnectionId,
                    now = _clock.GetUtcNow().ToUnixTimeMilliseconds(),
                }, tx))
            {
                locked = await reads.ReadSingleOrDefaultAsync<LockedLicenseRow>();
                live = [.. (await reads.ReadAsync<SessionRow>()).Select(r => r.ToSession())];
                replay = (await reads.ReadSingleOrDefaultAsync<SessionRow>())?.ToSession();
                connection = await reads.ReadSingleOrDefaultAsync<ConnectionRow>();
                installations = await InstallationSql.ReadOfLicenseAsync(reads);
                coolDowns = [.. (await reads.ReadAsync<CoolDownRow>()).Select(r => r.ToCoolDown())];
                // The line: an index probe on the open entries' partial index in the same round trip, empty for a license without one.
                line = [.. (await reads.ReadAsync<WaitEntryRow>()).Select(r => r.ToEntry())];
                waitReplay = (await reads.ReadSingleOrDefaultAsync<WaitEntryRow>())?.ToEntry();
            }
            if (locked is null)
                return null;

            var ledger = new LicenseLedger(locked.ToLicense(), live, replay)
            {
                TimeZone = locked.TenantTimeZone,
                Connection = connection?.ToConnection(),
                Installations = installations,
                CoolDowns = coolDowns,
                Line = line,
                WaitReplay = replay is null ? waitReplay : null,
                Turnover = query.Turnover ? await WaitSql.TurnoverAsync(db, tx, query.LicenseId, _clock.GetUtcNow()) : null,
            };
            var decided = decide(ledger);
            // A seat the decision freed (a share lowered, a holder found past its end) goes down the line in this transaction.
            var changes = line.Count == 0 ? decided.Changes : WaitingLine.Following(ledger, decided.Changes, _clock.GetUtcNow());
            await ApplyAsync(db, tx, changes, pushes);
            if (decided.Result is { } result)
                await AuditSql.AppendAsync(db, tx, Dialect, audit(result));
            return decided.Result;
        }, ct);

    public Task<T?> DecideOnSessionAsync<T>(string sessionId, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, CancellationToken ct) where T : class =>
        DecideOnSessionAsync(sessionId, tenantScope, decide, static _ => [], ct);

    public Task<T?> DecideOnSessionAsync<T>(string sessionId, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, Func<T, IReadOnlyList<AuditEntry>> audit, CancellationToken ct) where T : class =>
        DecideAsync<T?>(async (db, tx, pushes) =>
        {
            // One round trip: the lock on the session's license first, then, under it (each
            // statement sees what was committed before it ran), the session and its connection.
            LockedLicenseRow? locked;
            Session? session;
            ConnectionRow? connection;
            bool hasLine;
            await using (var reads = await db.QueryMultipleAsync(
                $"""
                {LockedLicense}
                WHERE l.id = (SELECT license_id FROM sessions WHERE id = @sessionId AND (@tenantScope IS NULL OR tenant_id = @tenantScope))
                FOR UPDATE OF l;
                SELECT {SessionSql.Columns} FROM sessions WHERE id = @sessionId AND (@tenantScope IS NULL OR tenant_id = @tenantScope);
                SELECT c.* FROM connections c JOIN sessions s ON s.connection_id = c.id AND s.tenant_id = c.tenant_id
                WHERE s.id = @sessionId AND (@tenantScope IS NULL OR s.tenant_id = @tenantScope);
                SELECT EXISTS (SELECT 1 FROM wait_entries
                    WHERE license_id = (SELECT license_id FROM sessions WHERE id = @sessionId) AND ended_at IS NULL);
                """, new { sessionId, tenantScope }, tx))
            {
                locked = await reads.ReadSingleOrDefaultAsync<LockedLicenseRow>();
                session = (await reads.ReadSingleOrDefaultAsync<SessionRow>())?.ToSession();
                connection = await reads.ReadSingleOrDefaultAsync<ConnectionRow>();
                hasLine = await reads.ReadSingleAsync<bool>();
            }
            if (locked is null || session is null)
                return null;
            var (license, timeZone) = (locked.ToLicense(), locked.TenantTimeZone);
            var decided = decide(session, new SessionContext(license, timeZone, connection?.ToConnection()));
            var changes = decided.Changes;
            if (hasLine && await LineLedgerAsync(db, tx, license.Id) is { } ledger)
            {
                // The seat a sign-off, stop or lapse frees is offered to the head of the line in the same transaction.
                changes = WaitingLine.Following(ledger, changes, _clock.GetUtcNow());
            }
            await ApplyAsync(db, tx, changes, pushes);
            await AuditSql.AppendAsync(db, tx, Dialect, audit(decided.Result));
            return decided.Result;
        }, ct);

    /// <summary>
    /// The batched heartbeat: one transaction that first locks every license of the named sessions (in the caller's tenant),
    /// ordered by id, so two batches, or a batch and single decisions (one license each), never wait for each other in a cycle;
    /// then, under those locks, reads the sessions, their connections and which licenses keep a line, and decides each session
    /// in the ids' order as <see cref="DecideOnSessionAsync{T}(string, string?, Func{Session, SessionContext, Decided{T}}, CancellationToken)"/> does.
    /// </summary>
    public Task<IReadOnlyList<T?>> DecideOnSessionsAsync<T>(IReadOnlyList<string> sessionIds, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, CancellationToken ct) where T : class =>
        DecideAsync<IReadOnlyList<T?>>(async (db, tx, pushes) =>
        {
            var ids = sessionIds.ToArray();
            Dictionary<string, LockedLicenseRow> licenses;
            Dictionary<string, Session> sessions;
            Dictionary<string, ConnectionRow> connections;
            HashSet<string> withLines;
            await using (var reads = await db.QueryMultipleAsync(
                $"""
                {LockedLicense}
                WHERE l.id IN (SELECT license_id FROM sessions WHERE id = ANY(@ids) AND (@tenantScope IS NULL OR tenant_id = @tenantScope))
                ORDER BY l.id COLLATE "C"
                FOR UPDATE OF l;
                SELECT {SessionSql.Columns} FROM sessions WHERE id = ANY(@ids) AND (@tenantScope IS NULL OR tenant_id = @tenantScope);
                SELECT c.* FROM connections c JOIN sessions s ON s.connection_id = c.id AND s.tenant_id = c.tenant_id
                WHERE s.id = ANY(@ids) AND (@tenantScope IS NULL OR s.tenant_id = @tenantScope);
                SELECT DISTINCT license_id FROM wait_entries
                WHERE license_id IN (SELECT license_id FROM sessions WHERE id = ANY(@ids)) AND ended_at IS NULL;
                """, new { ids, tenantScope }, tx))
            {
                licenses = (await reads.ReadAsync<LockedLicenseRow>()).ToDictionary(l => l.Id, StringComparer.Ordinal);
                sessions = (await reads.ReadAsync<SessionRow>()).Select(r => r.ToSession()).ToDictionary(s => s.Id, StringComparer.Ordinal);
                connections = (await reads.ReadAsync<ConnectionRow>()).ToDictionary(c => c.Id, StringComparer.Ordinal);
                withLines = (await reads.ReadAsync<string>()).ToHashSet(StringComparer.Ordinal);
            }
            var results = new T?[ids.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                if (!sessions.TryGetValue(ids[i], out var session) || !licenses.TryGetValue(session.LicenseId, out var locked))
                    continue;
                var connection = session.ConnectionId is { } connectionId && connections.TryGetValue(connectionId, out var row) ? row.ToConnection() : null;
                var decided = decide(session, new SessionContext(locked.ToLicense(), locked.TenantTimeZone, connection));
                var changes = decided.Changes;
                if (withLines.Contains(session.LicenseId) && await LineLedgerAsync(db, tx, session.LicenseId) is { } ledger)
                    changes = WaitingLine.Following(ledger, changes, _clock.GetUtcNow()); // read again: it sees the batch's earlier writes
                await ApplyAsync(db, tx, changes, pushes);
                results[i] = decided.Result;
            }
            return results;
        }, ct);

    /// <summary>
    /// The ledger the waiting line is walked on, for a license whose row this transaction has locked already (or
    /// locks now): the license, its live holders, its installations' shares, its cool-downs and its open entries.
    /// </summary>
    private async Task<LicenseLedger?> LineLedgerAsync(NpgsqlConnection db, NpgsqlTransaction tx, string licenseId)
    {
        await using var reads = await db.QueryMultipleAsync(
            $"""
            {LockedLicense} WHERE l.id = @licenseId FOR UPDATE OF l;
            SELECT {SessionSql.Columns} FROM sessions WHERE license_id = @licenseId AND ended_at IS NULL;
            {InstallationSql.OfLicenseQueries}
            SELECT * FROM cool_downs WHERE license_id = @licenseId AND lifted_at IS NULL AND until > @now;
            {WaitSql.OpenOfLicense};
            """, new { licenseId, now = _clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
        var locked = await reads.ReadSingleOrDefaultAsync<LockedLicenseRow>();
        var live = (await reads.ReadAsync<SessionRow>()).Select(r => r.ToSession()).ToList();
        var installations = await InstallationSql.ReadOfLicenseAsync(reads);
        var coolDowns = (await reads.ReadAsync<CoolDownRow>()).Select(r => r.ToCoolDown()).ToList();
        var line = (await reads.ReadAsync<WaitEntryRow>()).Select(r => r.ToEntry()).ToList();
        if (locked is null)
            return null;
        return new LicenseLedger(locked.ToLicense(), live)
        {
            TimeZone = locked.TenantTimeZone,
            Installations = installations,
            CoolDowns = coolDowns,
            Line = line,
        };
    }

    /// <summary>A license with its tenant's time zone; callers add the WHERE and <c>FOR UPDATE OF l</c>.</summary>
    private const string LockedLicense = "SELECT l.*, t.time_zone AS tenant_time_zone FROM licenses l JOIN tenants t ON t.id = l.tenant_id";

    public Task<bool> SaveStateAsync(string sessionId, string? tenantScope, string document, DateTimeOffset at, CancellationToken ct) =>
        WriteAsync((db, tx) => SessionSql.SaveStateAsync(db, tx, sessionId, tenantScope, document, at), ct);

    public Task<string?> GetSavedStateAsync(string sessionId, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => SessionSql.SavedStateAsync(db, sessionId, tenantScope), ct);

    /// <summary>
    /// One reaper batch on this node: locks the licenses of the earliest due sessions, skipping any
    /// another node (or a checkout) holds, then, in a second statement that sees what the previous
    /// holders of those locks committed, ends their due sessions at their deadline for their
    /// deadline reason and records the events. Two nodes never work on one license at once, and an
    /// end already recorded is never touched, so no session is ended or counted twice.
    /// </summary>
    public Task<IReadOnlyList<SessionEnd>> EndDueSessionsAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        DecideAsync<IReadOnlyList<SessionEnd>>(async (db, tx, pushes) =>
        {
            var at = now.ToUnixTimeMilliseconds();
            var licenses = (await db.QueryAsync<string>(
                """
                SELECT id FROM licenses WHERE id IN (
                    SELECT license_id FROM sessions WHERE ended_at IS NULL AND deadline_at <= @at ORDER BY deadline_at LIMIT @limit)
                  OR id IN (
                    SELECT license_id FROM wait_entries WHERE ended_at IS NULL AND deadline_at <= @at ORDER BY deadline_at LIMIT @limit)
                FOR UPDATE SKIP LOCKED
                """, new { at, limit }, tx)).ToArray();
            if (licenses.Length == 0)
                return [];
            var rows = await db.QueryAsync<UsageEventRow>(
                """
                WITH due AS (
                    SELECT id FROM sessions
                    WHERE license_id = ANY(@licenses) AND ended_at IS NULL AND deadline_at <= @at
                    ORDER BY deadline_at LIMIT @limit),
                ended AS (
                    UPDATE sessions s SET ended_at = s.deadline_at, end_reason = s.deadline_reason
                    FROM due WHERE s.id = due.id AND s.ended_at IS NULL AND s.deadline_at <= @at
                    RETURNING s.tenant_id, s.license_id, s.id, s.ended_at, s.end_reason, s.user_name, s.device, s.client, s.seats,
                        s.seat_key, LEAST(s.last_activity_at, s.ended_at) AS last_activity_at)
                INSERT INTO usage_events (tenant_id, license_id, session_id, at, kind, code, user_name, device, client, seats, actor,
                    seat_key, last_activity_at)
                SELECT tenant_id, license_id, id, ended_at, 'ended', end_reason, user_name, device, client, seats, NULL,
                    seat_key, last_activity_at
                FROM ended ORDER BY ended_at, id COLLATE "C"
                RETURNING *
                """, new { licenses, at, limit }, tx);
            var ended = rows.Select(r => SessionEnd.Of(r.ToEvent())).ToList();
            pushes.Ends.AddRange(ended);
            // The lines of the locked licenses that keep one: due entries end, and what the reaped sessions and
            // those ends freed is offered down the line, in the reap's transaction.
            var withLines = await db.QueryAsync<string>(
                "SELECT DISTINCT license_id FROM wait_entries WHERE license_id = ANY(@licenses) AND ended_at IS NULL", new { licenses }, tx);
            foreach (var licenseId in withLines.Order(StringComparer.Ordinal))
            {
                if (await LineLedgerAsync(db, tx, licenseId) is { } ledger)
                    await ApplyAsync(db, tx, WaitingLine.Advance(ledger, now).Changes, pushes);
            }
            return ended;
        }, ct);

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

    /// <summary>A license row as <see cref="LockedLicense"/> reads it: with its tenant's time zone.</summary>
    private sealed class LockedLicenseRow : LicenseRow
    {
        public string TenantTimeZone { get; set; } = "UTC";
    }
}
