using System.Data;
using Dapper;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;

namespace Leasehold.Server.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public Task<T?> DecideOnLicenseAsync<T>(LedgerQuery query, Func<LicenseLedger, Decided<T>> decide, CancellationToken ct) where T : class =>
        WriteAsync<T?>(async (db, tx) =>
        {
            var license = (await QueryLicenseAsync(db, tx, query.LicenseId, query.TenantScope))?.ToLicense();
            if (license is null)
                return null;
            var holders = await db.QueryAsync<SessionRow>(
                "SELECT * FROM sessions WHERE license_id = @licenseId AND ended_at IS NULL", new { licenseId = license.Id }, tx);
            var replay = query.IdempotencyKey is null ? null : await db.QuerySingleOrDefaultAsync<SessionRow>(
                "SELECT * FROM sessions WHERE tenant_id = @tenantId AND idempotency_key = @idempotencyKey",
                new { tenantId = license.TenantId, idempotencyKey = query.IdempotencyKey }, tx);
            var timeZone = await db.ExecuteScalarAsync<string>("SELECT time_zone FROM tenants WHERE id = @tenantId", new { tenantId = license.TenantId }, tx);
            var connection = query.ConnectionId is null ? null : await QueryConnectionAsync(db, tx, query.ConnectionId, license.TenantId);

            var ledger = new LicenseLedger(license, holders.Select(r => r.ToSession()).ToList(), replay?.ToSession())
            {
                TimeZone = timeZone ?? "UTC",
                Connection = connection?.ToConnection(),
            };
            var decided = decide(ledger);
            await ApplyAsync(db, tx, decided.Changes);
            return decided.Result;
        }, ct);

    public Task<T?> DecideOnSessionAsync<T>(string sessionId, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, CancellationToken ct) where T : class =>
        WriteAsync<T?>(async (db, tx) =>
        {
            var row = await db.QuerySingleOrDefaultAsync<SessionRow>(
                "SELECT * FROM sessions WHERE id = @sessionId AND (@tenantScope IS NULL OR tenant_id = @tenantScope)",
                new { sessionId, tenantScope }, tx);
            if (row is null)
                return null;
            var license = (await QueryLicenseAsync(db, tx, row.LicenseId, null))!.ToLicense();
            var timeZone = await db.ExecuteScalarAsync<string>("SELECT time_zone FROM tenants WHERE id = @TenantId", row, tx);
            var connection = row.ConnectionId is null ? null : await QueryConnectionAsync(db, tx, row.ConnectionId, row.TenantId);
            var decided = decide(row.ToSession(), new SessionContext(license, timeZone ?? "UTC", connection?.ToConnection()));
            await ApplyAsync(db, tx, decided.Changes);
            return decided.Result;
        }, ct);

    public Task<bool> SaveSessionStateAsync(string sessionId, string? tenantScope, string document, DateTimeOffset at, CancellationToken ct) =>
        WriteAsync(async (db, tx) => await db.ExecuteAsync(
            """
            INSERT INTO session_states (session_id, document, updated_at)
            SELECT id, @document, @at FROM sessions
            WHERE id = @sessionId AND ended_at IS NULL AND (@tenantScope IS NULL OR tenant_id = @tenantScope)
            ON CONFLICT (session_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
            """, new { sessionId, tenantScope, document, at = at.ToUnixTimeMilliseconds() }, tx) > 0, ct);

    public async Task<string?> GetSessionStateAsync(string sessionId, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return await db.ExecuteScalarAsync<string?>("SELECT document FROM session_states WHERE session_id = @sessionId", new { sessionId });
    }

    public Task<int> DecideOnDueSessionsAsync(DateTimeOffset now, int limit, Func<Session, Decided<SessionState>> decide, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            var due = (await db.QueryAsync<SessionRow>(
                "SELECT * FROM sessions WHERE ended_at IS NULL AND deadline_at <= @now ORDER BY deadline_at LIMIT @limit",
                new { now = now.ToUnixTimeMilliseconds(), limit }, tx)).ToList();
            foreach (var row in due)
                await ApplyAsync(db, tx, decide(row.ToSession()).Changes);
            return due.Count;
        }, ct);

    public async Task<Session?> GetSessionAsync(string id, string? tenantScope, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var row = await db.QuerySingleOrDefaultAsync<SessionRow>(
            "SELECT * FROM sessions WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)", new { id, tenantScope });
        return row?.ToSession();
    }

    public async Task<IReadOnlyList<Session>> ListOpenSessionsAsync(string? tenantScope, string? licenseId, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var rows = await db.QueryAsync<SessionRow>(
            """
            SELECT * FROM sessions
            WHERE ended_at IS NULL AND (@tenantScope IS NULL OR tenant_id = @tenantScope) AND (@licenseId IS NULL OR license_id = @licenseId)
            ORDER BY started_at, id
            """, new { tenantScope, licenseId });
        return rows.Select(r => r.ToSession()).ToList();
    }

    public async Task<IReadOnlyList<UsageEvent>> ListUsageEventsAsync(string? tenantScope, string? licenseId, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var rows = await db.QueryAsync<UsageEventRow>(
            """
            SELECT * FROM usage_events
            WHERE (@tenantScope IS NULL OR tenant_id = @tenantScope) AND (@licenseId IS NULL OR license_id = @licenseId)
            ORDER BY id
            """, new { tenantScope, licenseId });
        return rows.Select(r => r.ToEvent()).ToList();
    }

    private static async Task ApplyAsync(IDbConnection db, IDbTransaction tx, Changes changes)
    {
        foreach (var session in changes.Sessions)
        {
            // An end, once recorded, is never overwritten: whoever ended the session first wins.
            await db.ExecuteAsync(
                """
                INSERT INTO sessions (id, tenant_id, license_id, user_name, device, client, consumption, seats, seat_key,
                    ttl_ms, idle_timeout_ms, started_at, last_heartbeat_at, last_activity_at, deadline_at, ended_at, end_reason, idempotency_key,
                    connection_id, email, sso, named, policy_version, window_closes_at, ends_at_window_close, license_ends_at)
                VALUES (@Id, @TenantId, @LicenseId, @UserName, @Device, @Client, @Consumption, @Seats, @SeatKey,
                    @TtlMs, @IdleTimeoutMs, @StartedAt, @LastHeartbeatAt, @LastActivityAt, @DeadlineAt, @EndedAt, @EndReason, @IdempotencyKey,
                    @ConnectionId, @Email, @Sso, @Named, @PolicyVersion, @WindowClosesAt, @EndsAtWindowClose, @LicenseEndsAt)
                ON CONFLICT (id) DO UPDATE SET
                    last_heartbeat_at = excluded.last_heartbeat_at, last_activity_at = excluded.last_activity_at,
                    deadline_at = excluded.deadline_at, ended_at = excluded.ended_at, end_reason = excluded.end_reason,
                    license_ends_at = excluded.license_ends_at
                WHERE sessions.ended_at IS NULL
                """, SessionRow.From(session), tx);
        }
        foreach (var handoff in changes.Handoffs)
        {
            await db.ExecuteAsync(
                """
                INSERT INTO session_states (session_id, document, updated_at)
                SELECT @ToSessionId, document, updated_at FROM session_states WHERE session_id = @FromSessionId
                ON CONFLICT (session_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
                """, handoff, tx);
        }
        foreach (var e in changes.Events)
        {
            await db.ExecuteAsync(
                """
                INSERT INTO usage_events (tenant_id, license_id, session_id, at, kind, code, user_name, device, client, seats, actor)
                VALUES (@TenantId, @LicenseId, @SessionId, @At, @Kind, @Code, @UserName, @Device, @Client, @Seats, @Actor)
                """, UsageEventRow.From(e), tx);
        }
    }
}
