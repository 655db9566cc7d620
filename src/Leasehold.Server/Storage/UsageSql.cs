using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Dapper;
using Leasehold.Core.Queue;
using Leasehold.Core.Usage;

namespace Leasehold.Server.Storage;

/// <summary>
/// The usage history's SQL, one text for both stores (SQLite and PostgreSQL run it alike: times are
/// Unix milliseconds, the tenant scope is in every WHERE, sums are cast to BIGINT). Each store opens
/// the connection and the transaction; these run the statements on them.
/// </summary>
internal static class UsageSql
{
    private const string EventColumns =
        "id, tenant_id, license_id, session_id, at, kind, code, user_name, device, client, seats, actor, seat_key, seats_in_use, seat_limit, last_activity_at, borrowed_until, count, last_at";

    /// <summary>The events <paramref name="filter"/> matches, in order, streamed from the reader.</summary>
    public static async IAsyncEnumerable<StoredUsageEvent> EventsAsync(DbConnection db, UsageFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        var where = new StringBuilder("WHERE 1 = 1");
        var args = new DynamicParameters();
        void Add(string clause, string name, object? value)
        {
            if (value is null)
                return;
            where.Append(" AND ").Append(clause);
            args.Add(name, value);
        }
        Add("tenant_id = @tenantScope", "tenantScope", filter.TenantScope);
        Add("tenant_id = @tenantId", "tenantId", filter.TenantId);
        Add("license_id = @licenseId", "licenseId", filter.LicenseId);
        Add("user_name = @user", "user", filter.User);
        Add("client = @client", "client", filter.Client);
        Add("kind = @kind", "kind", filter.Kind?.ToString().ToLowerInvariant());
        Add("code = @code", "code", filter.Code);
        Add("at >= @from", "from", filter.From?.ToUnixTimeMilliseconds());
        Add("at < @to", "to", filter.To?.ToUnixTimeMilliseconds());
        if (filter.After is { } after)
        {
            where.Append(" AND (at > @afterAt OR (at = @afterAt AND id > @afterId))");
            args.Add("afterAt", after.At);
            args.Add("afterId", after.Id);
        }
        var limit = filter.Limit is { } n ? $" LIMIT {n}" : "";

        var rows = db.QueryUnbufferedAsync<UsageEventRow>($"SELECT {EventColumns} FROM usage_events {where} ORDER BY at, id{limit}", args);
        await foreach (var row in rows.WithCancellation(ct))
            yield return new StoredUsageEvent(row.Id, row.ToEvent());
    }

    /// <summary>A license's events in [from, to) and the admissions before it whose sessions were still open at its start.</summary>
    public static async Task<List<UsageEvent>> HistoryAsync(DbConnection db, DbTransaction? tx, string licenseId, string? tenantScope, long from, long to)
    {
        var rows = await db.QueryAsync<UsageEventRow>(
            $"""
            SELECT {EventColumns} FROM usage_events
            WHERE license_id = @licenseId AND (@tenantScope IS NULL OR tenant_id = @tenantScope) AND at >= @from AND at < @to
            UNION ALL
            SELECT {EventColumns} FROM usage_events a
            WHERE a.license_id = @licenseId AND (@tenantScope IS NULL OR a.tenant_id = @tenantScope) AND a.kind = 'admitted' AND a.at < @from
              AND EXISTS (SELECT 1 FROM sessions s WHERE s.id = a.session_id AND (s.ended_at IS NULL OR s.ended_at > @from))
            ORDER BY at, id
            """, new { licenseId, tenantScope, from, to }, tx);
        return [.. rows.Select(r => r.ToEvent())];
    }

    /// <summary>
    /// A license's waiting-line events (<c>wait_events</c>) in [from, to), by time then as recorded, by <c>wait_events_by_license</c>.
    /// They are never rolled up: a report reads them for any period, before the rollup mark too.
    /// </summary>
    public static async Task<List<WaitEvent>> WaitEventsAsync(DbConnection db, string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to)
    {
        var rows = await db.QueryAsync<WaitEventRow>(
            """
            SELECT tenant_id, license_id, entry_id, at, kind, user_name, device, client, seats, waited_ms, position, session_id FROM wait_events
            WHERE license_id = @licenseId AND (@tenantScope IS NULL OR tenant_id = @tenantScope) AND at >= @from AND at < @to
            ORDER BY at, id
            """, new { licenseId, tenantScope, from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds() });
        return [.. rows.Select(r => r.ToEvent()).OfType<WaitEvent>()];
    }

    public static Task<long?> RolledUntilAsync(DbConnection db, DbTransaction? tx, string licenseId, string? tenantScope) =>
        db.ExecuteScalarAsync<long?>(
            "SELECT rolled_until FROM usage_rollup_marks WHERE license_id = @licenseId AND (@tenantScope IS NULL OR tenant_id = @tenantScope)",
            new { licenseId, tenantScope }, tx);

    public static async Task<IReadOnlyList<BucketStats>> HoursAsync(DbConnection db, string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to)
    {
        var rows = await db.QueryAsync<UsageHourRow>(
            """
            SELECT hour_start, hour_end, peak_seats, peak_sessions, seat_ms, denials, failed_checks, over_limit FROM usage_hours
            WHERE license_id = @licenseId AND (@tenantScope IS NULL OR tenant_id = @tenantScope) AND hour_start >= @from AND hour_start < @to
            ORDER BY hour_start
            """, new { licenseId, tenantScope, from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds() });
        return [.. rows.Select(r => r.ToStats())];
    }

    public static async Task<IReadOnlyList<OutcomeTotal>> CountOutcomesAsync(DbConnection db, string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to)
    {
        var mark = await RolledUntilAsync(db, null, licenseId, tenantScope) ?? long.MinValue;
        var (fromMs, toMs) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        var rows = await db.QueryAsync<OutcomeRow>(
            """
            SELECT kind, code, client, CAST(SUM(count) AS BIGINT) AS events, MIN(at) AS first_at, MAX(COALESCE(last_at, at)) AS last_at FROM usage_events
            WHERE license_id = @licenseId AND (@tenantScope IS NULL OR tenant_id = @tenantScope) AND at >= @rawFrom AND at < @to
            GROUP BY kind, code, client
            UNION ALL
            SELECT kind, code, client, CAST(SUM(events) AS BIGINT) AS events, MIN(first_at) AS first_at, MAX(last_at) AS last_at FROM usage_counts
            WHERE license_id = @licenseId AND (@tenantScope IS NULL OR tenant_id = @tenantScope) AND hour_start >= @from AND hour_start < @rolledTo
            GROUP BY kind, code, client
            """, new { licenseId, tenantScope, from = fromMs, to = toMs, rawFrom = Math.Max(fromMs, mark), rolledTo = Math.Min(toMs, mark) });
        return [.. rows.GroupBy(r => (r.Kind, r.Code, r.Client)).Select(g => new OutcomeTotal(
            Enum.Parse<UsageKind>(g.Key.Kind, ignoreCase: true), g.Key.Code, g.Key.Client, (int)g.Sum(r => r.Events),
            DateTimeOffset.FromUnixTimeMilliseconds(g.Min(r => r.FirstAt)), DateTimeOffset.FromUnixTimeMilliseconds(g.Max(r => r.LastAt))))];
    }

    public static async Task<DateTimeOffset?> OldestAsync(DbConnection db, string licenseId) =>
        Ms.ToTime(await db.ExecuteScalarAsync<long?>("SELECT MIN(at) FROM usage_events WHERE license_id = @licenseId", new { licenseId }));

    /// <summary>
    /// Rolls a license's raw events before <paramref name="until"/> into hourly rows, deletes them
    /// (but admissions of sessions still open then) and moves its mark, in <paramref name="tx"/>;
    /// the number of events deleted (0 when the mark was already there).
    /// </summary>
    public static async Task<int> RollUpAsync(DbConnection db, DbTransaction tx, string tenantId, string licenseId, DateTimeOffset from, DateTimeOffset until,
        Func<IReadOnlyList<UsageEvent>, UsageRollup> summarize)
    {
        var (fromMs, untilMs) = (from.ToUnixTimeMilliseconds(), until.ToUnixTimeMilliseconds());
        if (await RolledUntilAsync(db, tx, licenseId, null) is { } mark && mark >= untilMs)
            return 0;
        var rollup = summarize(await HistoryAsync(db, tx, licenseId, null, fromMs, untilMs));
        await db.ExecuteAsync(
            """
            INSERT INTO usage_hours (tenant_id, license_id, hour_start, hour_end, peak_seats, peak_sessions, seat_ms, denials, failed_checks, over_limit)
            VALUES (@tenantId, @licenseId, @HourStart, @HourEnd, @PeakSeats, @PeakSessions, @SeatMs, @Denials, @FailedChecks, @OverLimit)
            ON CONFLICT (license_id, hour_start) DO NOTHING
            """, rollup.Hours.Select(h => UsageHourRow.From(h, tenantId, licenseId)), tx);
        await db.ExecuteAsync(
            """
            INSERT INTO usage_counts (tenant_id, license_id, hour_start, kind, code, client, events, first_at, last_at)
            VALUES (@tenantId, @licenseId, @hourStart, @kind, @Code, @Client, @Events, @firstAt, @lastAt)
            ON CONFLICT (license_id, hour_start, kind, code, client) DO NOTHING
            """, rollup.Counts.Select(c => new
            {
                tenantId, licenseId, hourStart = c.HourStart.ToUnixTimeMilliseconds(), kind = c.Kind.ToString().ToLowerInvariant(),
                c.Code, c.Client, c.Events, firstAt = c.First.ToUnixTimeMilliseconds(), lastAt = c.Last.ToUnixTimeMilliseconds(),
            }), tx);
        var deleted = await db.ExecuteAsync(
            """
            DELETE FROM usage_events
            WHERE license_id = @licenseId AND at < @until
              AND NOT (kind = 'admitted' AND EXISTS (
                  SELECT 1 FROM sessions s WHERE s.id = usage_events.session_id AND (s.ended_at IS NULL OR s.ended_at >= @until)))
            """, new { licenseId, until = untilMs }, tx);
        await db.ExecuteAsync(
            """
            INSERT INTO usage_rollup_marks (license_id, tenant_id, rolled_until) VALUES (@licenseId, @tenantId, @until)
            ON CONFLICT (license_id) DO UPDATE SET rolled_until = excluded.rolled_until
            """, new { licenseId, tenantId, until = untilMs }, tx);
        return deleted;
    }
}
