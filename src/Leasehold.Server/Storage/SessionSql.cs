using System.Data.Common;
using Dapper;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;

namespace Leasehold.Server.Storage;

/// <summary>
/// Sessions, their saved state and the usage events decisions record: the one column list, the
/// statements both stores run, and their Dapper calls. The texts on the checkout and heartbeat path
/// (<see cref="Live"/>, <see cref="Insert"/>, <see cref="Update"/>, <see cref="InsertEvent"/>) SQLite's
/// writer runs prepared and bound by hand (<c>Sqlite/SessionStatements</c>), PostgreSQL through the calls here.
/// </summary>
internal static class SessionSql
{
    /// <summary>A session's columns as <see cref="SessionRow"/> maps them (SQLite's hand-bound reader reads them in this order).</summary>
    public const string Columns =
        "id, tenant_id, license_id, user_name, device, client, consumption, seats, seat_key, ttl_ms, idle_timeout_ms, " +
        "started_at, last_heartbeat_at, last_activity_at, deadline_at, ended_at, end_reason, idempotency_key, " +
        "connection_id, email, sso, named, policy_version, window_closes_at, ends_at_window_close, license_ends_at, borrowed_until, token_hash";

    /// <summary>A license's live holders (parameter <c>@licenseId</c>).</summary>
    public const string Live = $"SELECT {Columns} FROM sessions WHERE license_id = @licenseId AND ended_at IS NULL";

    /// <summary>Inserts a session (a <see cref="SessionRow"/>'s properties); no row when its id exists already.</summary>
    public const string Insert =
        $"""
        INSERT INTO sessions ({Columns}, deadline_reason) VALUES (@Id, @TenantId, @LicenseId, @UserName, @Device, @Client, @Consumption, @Seats,
            @SeatKey, @TtlMs, @IdleTimeoutMs, @StartedAt, @LastHeartbeatAt, @LastActivityAt, @DeadlineAt, @EndedAt, @EndReason,
            @IdempotencyKey, @ConnectionId, @Email, @Sso, @Named, @PolicyVersion, @WindowClosesAt, @EndsAtWindowClose, @LicenseEndsAt, @BorrowedUntil,
            @TokenHash, @DeadlineReason)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <summary>
    /// Writes what changes after a checkout, end included, of a live session only (a <see cref="SessionRow"/>'s
    /// properties): an end, once recorded, is never overwritten. SQLite's writer runs it for ends only
    /// (its update of a live session leaves <c>ended_at</c> alone: <c>SessionStatements</c>).
    /// </summary>
    public const string Update =
        """
        UPDATE sessions SET last_heartbeat_at = @LastHeartbeatAt, last_activity_at = @LastActivityAt, deadline_at = @DeadlineAt,
            ended_at = @EndedAt, end_reason = @EndReason, window_closes_at = @WindowClosesAt, license_ends_at = @LicenseEndsAt,
            deadline_reason = @DeadlineReason
        WHERE id = @Id AND ended_at IS NULL
        """;

    /// <summary>Records a usage event (a <see cref="UsageEventRow"/>'s properties; the id is the table's).</summary>
    public const string InsertEvent =
        """
        INSERT INTO usage_events (tenant_id, license_id, session_id, at, kind, code, user_name, device, client, seats, actor,
            seat_key, seats_in_use, seat_limit, last_activity_at, borrowed_until)
        VALUES (@TenantId, @LicenseId, @SessionId, @At, @Kind, @Code, @UserName, @Device, @Client, @Seats, @Actor,
            @SeatKey, @SeatsInUse, @SeatLimit, @LastActivityAt, @BorrowedUntil)
        """;

    /// <summary>
    /// Records a refusal (a <see cref="UsageEventRow.Refusal"/>'s properties, and <c>@MaxEvents</c>) or
    /// counts it into the event of its license, hour and key when there is one: that event keeps its id,
    /// time and place, and its count and last time grow. A new key is inserted only while the license has
    /// fewer than <c>@MaxEvents</c> refusal events in the hour; otherwise nothing is written (no row), and
    /// the caller records it into the hour's overflow event instead.
    /// </summary>
    public const string InsertRefusal =
        """
        INSERT INTO usage_events (tenant_id, license_id, session_id, at, kind, code, user_name, device, client, seats, actor,
            seat_key, seats_in_use, seat_limit, last_activity_at, borrowed_until, collapse_hour, collapse_key)
        SELECT @TenantId, @LicenseId, @SessionId, @At, @Kind, @Code, @UserName, @Device, @Client, @Seats, @Actor,
            @SeatKey, @SeatsInUse, @SeatLimit, @LastActivityAt, @BorrowedUntil, @CollapseHour, @CollapseKey
        WHERE EXISTS (SELECT 1 FROM usage_events WHERE license_id = @LicenseId AND collapse_hour = @CollapseHour AND collapse_key = @CollapseKey)
           OR (SELECT COUNT(*) FROM usage_events WHERE license_id = @LicenseId AND collapse_hour = @CollapseHour AND collapse_key IS NOT NULL) < @MaxEvents
        ON CONFLICT (license_id, collapse_hour, collapse_key) WHERE collapse_key IS NOT NULL
        DO UPDATE SET count = usage_events.count + 1, last_at = excluded.at
        """;

    /// <summary>
    /// Records a usage event: a refusal through <see cref="InsertRefusal"/> (into its own event, or past
    /// <paramref name="maxRefusalEvents"/> into the hour's overflow event), anything else as a row of its own.
    /// </summary>
    public static async Task AppendEventAsync(DbConnection db, DbTransaction tx, UsageEvent e, int maxRefusalEvents)
    {
        if (!RefusalCollapse.Collapses(e))
        {
            await InsertEventAsync(db, tx, e);
            return;
        }
        if (await InsertRefusalAsync(db, tx, UsageEventRow.Refusal(e, overflow: false), maxRefusalEvents) == 0)
            await InsertRefusalAsync(db, tx, UsageEventRow.Refusal(e, overflow: true), int.MaxValue);
    }

    private static Task<int> InsertRefusalAsync(DbConnection db, DbTransaction tx, UsageEventRow row, int maxEvents) =>
        db.ExecuteAsync(InsertRefusal, new
        {
            row.TenantId, row.LicenseId, row.SessionId, row.At, row.Kind, row.Code, row.UserName, row.Device, row.Client, row.Seats, row.Actor,
            row.SeatKey, row.SeatsInUse, row.SeatLimit, row.LastActivityAt, row.BorrowedUntil, row.CollapseHour, row.CollapseKey,
            MaxEvents = (long)maxEvents,
        }, tx);

    public static async Task<Session?> GetAsync(DbConnection db, string id, string? tenantScope) =>
        (await db.QuerySingleOrDefaultAsync<SessionRow>(
            $"SELECT {Columns} FROM sessions WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)", new { id, tenantScope }))?.ToSession();

    /// <summary>Sessions with no end recorded, oldest first (by start, then id): all, or one <paramref name="page"/>.</summary>
    public static async Task<IReadOnlyList<Session>> ListOpenAsync(
        DbConnection db, SqlDialect dialect, string? tenantScope, string? licenseId, PageRequest? page) =>
        (await db.QueryAsync<SessionRow>(
            $"SELECT {Columns} FROM sessions " + Keyset.Clauses(dialect, "started_at", "id", page, "ended_at IS NULL",
                Keyset.Equal("tenant_id", "tenantScope", tenantScope), Keyset.Equal("license_id", "licenseId", licenseId)),
            Keyset.Parameters(page, new { tenantScope, licenseId }))).Select(r => r.ToSession()).ToList();

    /// <summary>
    /// The seats in use of each license in scope (of <paramref name="licenseIds"/> when given) with any: counted in
    /// SQL as <see cref="SeatCount.InUse"/> counts the live sessions <see cref="SeatDecision.Sweep"/> leaves (those
    /// past their deadline, which the reaper has not ended yet, left out): per seat key, the most any of its sessions holds.
    /// A list of licenses reads a number per license, not every session behind it.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> SeatsInUseAsync(
        DbConnection db, SqlDialect dialect, string? tenantScope, IReadOnlyCollection<string>? licenseIds, DateTimeOffset now)
    {
        if (licenseIds is { Count: 0 })
            return new Dictionary<string, int>();
        var where = string.Join(" AND ", new[]
        {
            "ended_at IS NULL", "deadline_at > @now", Keyset.Equal("tenant_id", "tenantScope", tenantScope),
            licenseIds is null ? null : dialect.AnyOf("license_id", "licenseIds"),
        }.Where(c => c is not null));
        var rows = await db.QueryAsync<(string LicenseId, long Seats)>(
            $"""
            SELECT license_id, SUM(held) FROM (
                SELECT license_id, MAX(seats) AS held FROM sessions WHERE {where} GROUP BY license_id, seat_key) AS seat_keys
            GROUP BY license_id HAVING SUM(held) > 0
            """,
            new { now = now.ToUnixTimeMilliseconds(), tenantScope, licenseIds = licenseIds?.ToArray() });
        return rows.ToDictionary(r => r.LicenseId, r => (int)r.Seats, StringComparer.Ordinal);
    }

    /// <summary>
    /// One page of the live sessions in scope by start, then id (those past their deadline left out), after
    /// <paramref name="offset"/> of them, and how many there are in all: the console's active users.
    /// </summary>
    public static async Task<(int Total, IReadOnlyList<Session> Page)> ListLiveAsync(
        DbConnection db, SqlDialect dialect, string? tenantScope, DateTimeOffset now, int offset, int limit)
    {
        var where = "WHERE ended_at IS NULL AND deadline_at > @now" + (tenantScope is null ? "" : " AND tenant_id = @tenantScope");
        var parameters = new { now = now.ToUnixTimeMilliseconds(), tenantScope, offset, limit };
        var total = await db.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM sessions {where}", parameters);
        var page = await db.QueryAsync<SessionRow>(
            $"SELECT {Columns} FROM sessions {where} ORDER BY started_at, {dialect.IdOrder} LIMIT @limit OFFSET @offset", parameters);
        return ((int)total, page.Select(r => r.ToSession()).ToList());
    }

    public static async Task<List<Session>> LiveAsync(DbConnection db, DbTransaction tx, string licenseId) =>
        (await db.QueryAsync<SessionRow>(Live, new { licenseId }, tx)).Select(r => r.ToSession()).ToList();

    public static async Task<bool> InsertAsync(DbConnection db, DbTransaction tx, SessionRow row) =>
        await db.ExecuteAsync(Insert, row, tx) > 0;

    public static Task<int> UpdateAsync(DbConnection db, DbTransaction tx, SessionRow row) =>
        db.ExecuteAsync(Update, row, tx);

    public static Task<int> InsertEventAsync(DbConnection db, DbTransaction tx, UsageEvent e) =>
        db.ExecuteAsync(InsertEvent, UsageEventRow.From(e), tx);

    /// <summary>Saves a live session's state document; false when no live session with that id is in scope.</summary>
    public static async Task<bool> SaveStateAsync(DbConnection db, DbTransaction tx, string sessionId, string? tenantScope, string document, DateTimeOffset at) =>
        await db.ExecuteAsync(
            """
            INSERT INTO session_states (session_id, document, updated_at)
            SELECT id, @document, @at FROM sessions
            WHERE id = @sessionId AND ended_at IS NULL AND (@tenantScope IS NULL OR tenant_id = @tenantScope)
            ON CONFLICT (session_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
            """, new { sessionId, tenantScope, document, at = at.ToUnixTimeMilliseconds() }, tx) > 0;

    /// <summary>The state document of a session in scope.</summary>
    public static Task<string?> SavedStateAsync(DbConnection db, string sessionId, string? tenantScope) =>
        db.ExecuteScalarAsync<string?>(
            """
            SELECT st.document FROM session_states st JOIN sessions s ON s.id = st.session_id
            WHERE st.session_id = @sessionId AND (@tenantScope IS NULL OR s.tenant_id = @tenantScope)
            """, new { sessionId, tenantScope });

    /// <summary>Hands a taken-over session's saved state on to the session that took over.</summary>
    public static Task<int> HandOffAsync(DbConnection db, DbTransaction tx, Handoff handoff) =>
        db.ExecuteAsync(
            """
            INSERT INTO session_states (session_id, document, updated_at)
            SELECT @ToSessionId, document, updated_at FROM session_states WHERE session_id = @FromSessionId
            ON CONFLICT (session_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
            """, handoff, tx);
}
