using Dapper;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using Leasehold.Server.Sessions.Signals;
using Npgsql;

namespace Leasehold.Server.Storage.Postgres;

internal sealed partial class PostgresStore
{
    private const string SessionColumns =
        "id, tenant_id, license_id, user_name, device, client, consumption, seats, seat_key, ttl_ms, idle_timeout_ms, " +
        "started_at, last_heartbeat_at, last_activity_at, deadline_at, ended_at, end_reason, idempotency_key, " +
        "connection_id, email, sso, named, policy_version, window_closes_at, ends_at_window_close, license_ends_at";

    private static async Task<List<Session>> QuerySessionsAsync(NpgsqlConnection db, NpgsqlTransaction? tx, string whereAndOrder, object parameters) =>
        (await db.QueryAsync<SessionRow>($"SELECT {SessionColumns} FROM sessions {whereAndOrder}", parameters, tx)).Select(r => r.ToSession()).ToList();

    /// <summary>
    /// Writes a decision's changes, and adds the sessions it ended to <paramref name="ends"/>. An end, once recorded, is never overwritten; should a session's
    /// end already be there (it cannot while every writer holds the license lock, but the rule does
    /// not depend on that), its second end event is not recorded either.
    /// </summary>
    private async Task ApplyAsync(NpgsqlConnection db, NpgsqlTransaction tx, Changes changes, List<SessionEnd> ends)
    {
        HashSet<string>? notWritten = null;
        foreach (var session in changes.Sessions)
        {
            if (!await WriteSessionAsync(db, tx, session))
                (notWritten ??= new HashSet<string>(StringComparer.Ordinal)).Add(session.Id);
            else if (!session.IsActive)
                ends.Add(SessionEnd.Of(session)); // an end is written once: a written ended session is a new end
        }
        foreach (var handoff in changes.Handoffs)
        {
            await db.ExecuteAsync(StoreSql.HandOffSessionState, handoff, tx);
        }
        foreach (var e in changes.Events)
        {
            if (e.Kind == UsageKind.Ended && e.SessionId is { } id && notWritten?.Contains(id) == true)
                continue;
            await db.ExecuteAsync(
                """
                INSERT INTO usage_events (tenant_id, license_id, session_id, at, kind, code, user_name, device, client, seats, actor,
                    seat_key, seats_in_use, seat_limit, last_activity_at)
                VALUES (@TenantId, @LicenseId, @SessionId, @At, @Kind, @Code, @UserName, @Device, @Client, @Seats, @Actor,
                    @SeatKey, @SeatsInUse, @SeatLimit, @LastActivityAt)
                """, UsageEventRow.From(e), tx);
        }
    }

    /// <summary>Updates a live session's row, or inserts a new one; false when its row had an end recorded already.</summary>
    private static async Task<bool> WriteSessionAsync(NpgsqlConnection db, NpgsqlTransaction tx, Session session)
    {
        var row = SessionRow.From(session);
        var updated = await db.ExecuteAsync(
            """
            UPDATE sessions SET last_heartbeat_at = @LastHeartbeatAt, last_activity_at = @LastActivityAt, deadline_at = @DeadlineAt,
                ended_at = @EndedAt, end_reason = @EndReason, window_closes_at = @WindowClosesAt, license_ends_at = @LicenseEndsAt,
                deadline_reason = @DeadlineReason
            WHERE id = @Id AND ended_at IS NULL
            """, row, tx);
        if (updated > 0)
            return true;
        if (!session.IsActive)
            return false;
        return await db.ExecuteAsync(
            $"""
            INSERT INTO sessions ({SessionColumns}, deadline_reason) VALUES (@Id, @TenantId, @LicenseId, @UserName, @Device, @Client, @Consumption, @Seats,
                @SeatKey, @TtlMs, @IdleTimeoutMs, @StartedAt, @LastHeartbeatAt, @LastActivityAt, @DeadlineAt, @EndedAt, @EndReason,
                @IdempotencyKey, @ConnectionId, @Email, @Sso, @Named, @PolicyVersion, @WindowClosesAt, @EndsAtWindowClose, @LicenseEndsAt, @DeadlineReason)
            ON CONFLICT (id) DO NOTHING
            """, row, tx) > 0;
    }
}
