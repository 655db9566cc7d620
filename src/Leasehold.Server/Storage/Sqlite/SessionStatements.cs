using Leasehold.Core;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using Leasehold.Server.Sessions.Signals;
using Microsoft.Data.Sqlite;

namespace Leasehold.Server.Storage.Sqlite;

/// <summary>
/// The writer's hot statements (read live holders, read one session, replay an idempotent
/// checkout, write a session, append an event, end due sessions), prepared once per writer connection and bound by hand: preparing and mapping them anew
/// on every checkout and heartbeat would cost more than the decision itself. The texts both stores
/// run are <see cref="SessionSql"/>'s; the ones here are the writer's own: the session by id
/// unscoped and the idempotent replay (PostgreSQL reads both in its locked ledger batch), the
/// live-only update, and the reaper.
/// </summary>
internal sealed class SessionStatements : IDisposable
{
    private readonly SqliteCommand _live;
    private readonly SqliteCommand _byId;
    private readonly SqliteCommand _replay;
    private readonly SqliteCommand _endDue;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _end;
    private readonly SqliteCommand _event;
    private readonly SqliteCommand _refusal;

    public SessionStatements(SqliteConnection writer)
    {
        _live = Prepare(writer, SessionSql.Live, "@licenseId");
        _byId = Prepare(writer, $"SELECT {SessionSql.Columns} FROM sessions WHERE id = @id", "@id");
        _replay = Prepare(writer, $"SELECT {SessionSql.Columns} FROM sessions WHERE tenant_id = @tenantId AND idempotency_key = @key", "@tenantId", "@key");
        // The reaper, set-based: mark the due sessions (the temp table the writer connection made),
        // end each at its deadline for the reason written with it, and record their ended events,
        // which the INSERT returns: what ended.
        _endDue = Prepare(writer,
            """
            DELETE FROM temp.reaped;
            INSERT INTO temp.reaped (rid)
                SELECT rowid FROM sessions WHERE ended_at IS NULL AND deadline_at <= @now ORDER BY deadline_at LIMIT @limit;
            UPDATE sessions SET ended_at = deadline_at, end_reason = deadline_reason WHERE rowid IN temp.reaped;
            INSERT INTO usage_events (tenant_id, license_id, session_id, at, kind, code, user_name, device, client, seats, actor,
                    seat_key, last_activity_at)
                SELECT tenant_id, license_id, id, ended_at, 'ended', end_reason, user_name, device, client, seats, NULL,
                    seat_key, CASE WHEN last_activity_at < ended_at THEN last_activity_at ELSE ended_at END
                FROM sessions WHERE rowid IN temp.reaped ORDER BY deadline_at
                RETURNING session_id, tenant_id, code, at;
            """, "@now", "@limit");
        _insert = Prepare(writer, SessionSql.Insert,
            "@Id", "@TenantId", "@LicenseId", "@UserName", "@Device", "@Client", "@Consumption", "@Seats", "@SeatKey",
            "@TtlMs", "@IdleTimeoutMs", "@StartedAt", "@LastHeartbeatAt", "@LastActivityAt", "@DeadlineAt", "@EndedAt", "@EndReason",
            "@IdempotencyKey", "@ConnectionId", "@Email", "@Sso", "@Named", "@PolicyVersion", "@WindowClosesAt",
            "@EndsAtWindowClose", "@LicenseEndsAt", "@BorrowedUntil", "@TokenHash", "@DeadlineReason");
        // Only what changes after a checkout, and of a live session only. Unlike SessionSql.Update
        // it leaves ended_at alone, so SQLite does not rewrite the session's entry in
        // sessions_active_by_license (an UPDATE that sets a column a partial index's WHERE reads
        // maintains that index, even when the value stays NULL); the ledger says when it applies.
        _update = Prepare(writer,
            """
            UPDATE sessions SET last_heartbeat_at = @LastHeartbeatAt, last_activity_at = @LastActivityAt, deadline_at = @DeadlineAt,
                window_closes_at = @WindowClosesAt, license_ends_at = @LicenseEndsAt, deadline_reason = @DeadlineReason
            WHERE id = @Id AND ended_at IS NULL
            """, "@Id", "@LastHeartbeatAt", "@LastActivityAt", "@DeadlineAt", "@WindowClosesAt", "@LicenseEndsAt", "@DeadlineReason");
        _end = Prepare(writer, SessionSql.Update,
            "@Id", "@LastHeartbeatAt", "@LastActivityAt", "@DeadlineAt", "@EndedAt", "@EndReason", "@WindowClosesAt", "@LicenseEndsAt", "@DeadlineReason");
        _event = Prepare(writer, SessionSql.InsertEvent,
            "@TenantId", "@LicenseId", "@SessionId", "@At", "@Kind", "@Code", "@UserName", "@Device", "@Client", "@Seats", "@Actor",
            "@SeatKey", "@SeatsInUse", "@SeatLimit", "@LastActivityAt", "@BorrowedUntil");
        _refusal = Prepare(writer, SessionSql.InsertRefusal,
            "@TenantId", "@LicenseId", "@SessionId", "@At", "@Kind", "@Code", "@UserName", "@Device", "@Client", "@Seats", "@Actor",
            "@SeatKey", "@SeatsInUse", "@SeatLimit", "@LastActivityAt", "@BorrowedUntil", "@CollapseHour", "@CollapseKey", "@MaxEvents");
    }

    public List<Session> Live(SqliteTransaction tx, string licenseId) => ReadAll(_live, tx, licenseId);

    public Session? ById(SqliteTransaction tx, string id) => ReadAll(_byId, tx, id) is [var one] ? one : null;

    /// <summary>The session an earlier checkout with this idempotency key created in the tenant.</summary>
    public Session? Replay(SqliteTransaction tx, string tenantId, string idempotencyKey) => ReadAll(_replay, tx, tenantId, idempotencyKey).SingleOrDefault();

    /// <summary>
    /// Ends up to <paramref name="limit"/> live sessions whose deadline is at or before
    /// <paramref name="now"/>, each dated at its deadline with its deadline reason (what
    /// <see cref="SessionLifecycle.Reap"/> decides, computed when the session was written),
    /// records the <c>ended</c> usage event of each, and returns the ends.
    /// </summary>
    public List<SessionEnd> EndDue(SqliteTransaction tx, DateTimeOffset now, int limit)
    {
        Bind(_endDue, tx, [now.ToUnixTimeMilliseconds(), limit]);
        var ended = new List<SessionEnd>(limit);
        using var r = _endDue.ExecuteReader();
        while (r.Read())
        {
            ended.Add(new(r.GetString(0), r.GetString(1), Codes.ParseEndReason(r.GetString(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))));
        }
        return ended;
    }

    /// <summary>
    /// Writes a session: an end, an update of a live row, or a new row. <paramref name="knownLive"/>
    /// says the writer's ledger holds the session live (heartbeats, releases), so its row exists and
    /// is updated first; otherwise (a checkout) the row is inserted first, and updated only when it
    /// turns out to exist.
    /// </summary>
    public void Write(SqliteTransaction tx, Session session, bool knownLive)
    {
        // A heartbeat (the most common write) updates a live row: only the fields it sets, without a whole row.
        if (knownLive && session.IsActive && UpdateLive(tx, session) > 0)
            return;
        var r = SessionRow.From(session);
        if (!session.IsActive)
        {
            Execute(_end, tx, r.Id, r.LastHeartbeatAt, r.LastActivityAt, r.DeadlineAt, r.EndedAt, r.EndReason, r.WindowClosesAt, r.LicenseEndsAt, r.DeadlineReason);
            return;
        }
        var inserted = Execute(_insert, tx, r.Id, r.TenantId, r.LicenseId, r.UserName, r.Device, r.Client, r.Consumption, r.Seats, r.SeatKey,
            r.TtlMs, r.IdleTimeoutMs, r.StartedAt, r.LastHeartbeatAt, r.LastActivityAt, r.DeadlineAt, r.EndedAt, r.EndReason,
            r.IdempotencyKey, r.ConnectionId, r.Email, r.Sso ? 1L : 0L, r.Named ? 1L : 0L, r.PolicyVersion, r.WindowClosesAt,
            r.EndsAtWindowClose ? 1L : 0L, r.LicenseEndsAt, r.BorrowedUntil, r.TokenHash, r.DeadlineReason);
        if (inserted == 0 && !knownLive)
            UpdateLive(tx, session);
    }

    private int UpdateLive(SqliteTransaction tx, Session s)
    {
        var (reason, deadline) = s.NextEnd;
        return Execute(_update, tx, s.Id, s.LastHeartbeatAt.ToUnixTimeMilliseconds(), s.LastActivityAt.ToUnixTimeMilliseconds(),
            deadline.ToUnixTimeMilliseconds(), s.WindowClosesAt?.ToUnixTimeMilliseconds(), s.LicenseEndsAt?.ToUnixTimeMilliseconds(), Codes.Of(reason));
    }

    /// <summary>
    /// Records a usage event; a refusal is counted into its license's event of the hour for its user and
    /// device (or, past <paramref name="maxRefusalEvents"/> of them, the hour's overflow event): <see cref="SessionSql.InsertRefusal"/>.
    /// </summary>
    public void Append(SqliteTransaction tx, UsageEvent e, int maxRefusalEvents)
    {
        if (RefusalCollapse.Collapses(e))
        {
            if (AppendRefusal(tx, UsageEventRow.Refusal(e, overflow: false), maxRefusalEvents) == 0)
                AppendRefusal(tx, UsageEventRow.Refusal(e, overflow: true), int.MaxValue);
            return;
        }
        var r = UsageEventRow.From(e);
        _ = Execute(_event, tx, r.TenantId, r.LicenseId, r.SessionId, r.At, r.Kind, r.Code, r.UserName, r.Device, r.Client, r.Seats, r.Actor,
            r.SeatKey, r.SeatsInUse, r.SeatLimit, r.LastActivityAt, r.BorrowedUntil);
    }

    private int AppendRefusal(SqliteTransaction tx, UsageEventRow r, int maxEvents) =>
        Execute(_refusal, tx, r.TenantId, r.LicenseId, r.SessionId, r.At, r.Kind, r.Code, r.UserName, r.Device, r.Client, r.Seats, r.Actor,
            r.SeatKey, r.SeatsInUse, r.SeatLimit, r.LastActivityAt, r.BorrowedUntil, r.CollapseHour, r.CollapseKey, (long)maxEvents);

    public void Dispose()
    {
        foreach (var command in new[] { _live, _byId, _replay, _endDue, _insert, _update, _end, _event, _refusal })
            command.Dispose();
    }

    /// <summary>
    /// A command for <paramref name="sql"/> with <paramref name="parameters"/> in the order calls
    /// pass their values (SQLite binds each by its name, so that order is this class's own).
    /// </summary>
    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
            command.Parameters.Add(new SqliteParameter(name, null));
        return command;
    }

    private static void Bind(SqliteCommand command, SqliteTransaction tx, object?[] values)
    {
        command.Transaction = tx;
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    private static int Execute(SqliteCommand command, SqliteTransaction tx, params object?[] values)
    {
        Bind(command, tx, values);
        return command.ExecuteNonQuery();
    }

    private static List<Session> ReadAll(SqliteCommand command, SqliteTransaction tx, params object?[] values)
    {
        Bind(command, tx, values);
        var sessions = new List<Session>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            sessions.Add(Read(reader).ToSession());
        return sessions;
    }

    /// <summary>
    /// A row of <see cref="SessionSql.Columns"/> read by ordinal, the one session mapping not left to
    /// Dapper (as the other reads are, SQLite's included): Dapper's queries make a new command each
    /// call, which SQLite prepares again, and its parser over a reader of ours asks each column's
    /// name and type again each call; on every checkout and heartbeat either would cost more than this.
    /// </summary>
    private static SessionRow Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        TenantId = r.GetString(1),
        LicenseId = r.GetString(2),
        UserName = r.GetString(3),
        Device = r.GetString(4),
        Client = r.GetString(5),
        Consumption = r.GetString(6),
        Seats = r.GetInt64(7),
        SeatKey = r.GetString(8),
        TtlMs = r.GetInt64(9),
        IdleTimeoutMs = r.IsDBNull(10) ? null : r.GetInt64(10),
        StartedAt = r.GetInt64(11),
        LastHeartbeatAt = r.GetInt64(12),
        LastActivityAt = r.GetInt64(13),
        DeadlineAt = r.GetInt64(14),
        EndedAt = r.IsDBNull(15) ? null : r.GetInt64(15),
        EndReason = r.IsDBNull(16) ? null : r.GetString(16),
        IdempotencyKey = r.IsDBNull(17) ? null : r.GetString(17),
        ConnectionId = r.IsDBNull(18) ? null : r.GetString(18),
        Email = r.IsDBNull(19) ? null : r.GetString(19),
        Sso = r.GetInt64(20) != 0,
        Named = r.GetInt64(21) != 0,
        PolicyVersion = r.GetInt64(22),
        WindowClosesAt = r.IsDBNull(23) ? null : r.GetInt64(23),
        EndsAtWindowClose = r.GetInt64(24) != 0,
        LicenseEndsAt = r.IsDBNull(25) ? null : r.GetInt64(25),
        BorrowedUntil = r.IsDBNull(26) ? null : r.GetInt64(26),
        TokenHash = r.IsDBNull(27) ? null : r.GetString(27),
    };
}
