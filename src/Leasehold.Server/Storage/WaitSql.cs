using System.Data.Common;
using Dapper;
using Leasehold.Core;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;

namespace Leasehold.Server.Storage;

/// <summary>A waiting-line entry as <c>wait_entries</c> stores it (times in Unix milliseconds); shared by both providers.</summary>
internal class WaitEntryRow
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string LicenseId { get; set; } = "";
    public long Sequence { get; set; }

    /// <summary>The session the entry becomes (its checkout's <see cref="CheckoutRequest.SessionId"/>).</summary>
    public string SessionId { get; set; } = "";
    public string UserName { get; set; } = "";
    public string Device { get; set; } = "";

    /// <summary>The client type's name as resolved at join.</summary>
    public string Client { get; set; } = "";

    /// <summary>The client the checkout named (the type may have been resolved from it).</summary>
    public string RequestClient { get; set; } = "";
    public string? ConnectionId { get; set; }
    public string? Email { get; set; }
    public long Sso { get; set; }
    public string SeatKey { get; set; } = "";
    public long Seats { get; set; }
    public long TtlMs { get; set; }
    public long JoinedAt { get; set; }
    public long LastHeartbeatAt { get; set; }
    public long WaitUntil { get; set; }
    public string State { get; set; } = "";
    public long? OfferedAt { get; set; }
    public long? OfferExpiresAt { get; set; }
    public long? EndedAt { get; set; }
    public string? EndReason { get; set; }

    /// <summary>The session it became once granted (<see cref="WaitEntry.SessionId"/>).</summary>
    public string? GrantedSessionId { get; set; }
    public long DeadlineAt { get; set; }
    public string? IdempotencyKey { get; set; }
    public string? TokenHash { get; set; }
    public string? EndedBy { get; set; }

    public static WaitEntryRow From(WaitEntry e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        LicenseId = e.LicenseId,
        Sequence = e.Sequence,
        SessionId = e.Request.SessionId,
        UserName = e.Request.User,
        Device = e.Request.Device,
        Client = e.Client,
        RequestClient = e.Request.Client,
        ConnectionId = e.Request.ConnectionId,
        Email = e.Request.Email,
        Sso = e.Request.Sso ? 1 : 0,
        SeatKey = e.SeatKey,
        Seats = e.Seats,
        TtlMs = (long)e.Ttl.TotalMilliseconds,
        JoinedAt = e.JoinedAt.ToUnixTimeMilliseconds(),
        LastHeartbeatAt = e.LastHeartbeatAt.ToUnixTimeMilliseconds(),
        WaitUntil = e.WaitUntil.ToUnixTimeMilliseconds(),
        State = StateCode(e.State),
        OfferedAt = e.OfferedAt?.ToUnixTimeMilliseconds(),
        OfferExpiresAt = e.OfferExpiresAt?.ToUnixTimeMilliseconds(),
        EndedAt = e.EndedAt?.ToUnixTimeMilliseconds(),
        EndReason = e.EndReason is { } end ? Codes.Of(end) : null,
        GrantedSessionId = e.SessionId,
        // An ended entry is due no more; the reaper's index only holds open ones (ended_at IS NULL).
        DeadlineAt = (e.IsOpen ? e.NextEnd.At : e.EndedAt ?? e.JoinedAt).ToUnixTimeMilliseconds(),
        IdempotencyKey = e.Request.IdempotencyKey,
        TokenHash = e.TokenHash,
    };

    public WaitEntry ToEntry() => new()
    {
        Id = Id,
        TenantId = TenantId,
        LicenseId = LicenseId,
        Request = new CheckoutRequest(SessionId, UserName, Device, RequestClient, IdempotencyKey)
        {
            ConnectionId = ConnectionId,
            Email = Email,
            Sso = Sso != 0,
        },
        Client = Client,
        SeatKey = SeatKey,
        Seats = (int)Seats,
        Sequence = Sequence,
        JoinedAt = At(JoinedAt),
        LastHeartbeatAt = At(LastHeartbeatAt),
        Ttl = TimeSpan.FromMilliseconds(TtlMs),
        WaitUntil = At(WaitUntil),
        State = ParseState(State),
        OfferedAt = OfferedAt is { } o ? At(o) : null,
        OfferExpiresAt = OfferExpiresAt is { } x ? At(x) : null,
        EndedAt = EndedAt is { } ended ? At(ended) : null,
        EndReason = EndReason is { } reason ? ParseEnd(reason) : null,
        SessionId = GrantedSessionId,
        TokenHash = TokenHash,
    };

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string StateCode(WaitState state) => state switch
    {
        WaitState.Waiting => "waiting",
        WaitState.Offered => "offered",
        WaitState.Ended => "ended",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    private static WaitState ParseState(string code) => code switch
    {
        "waiting" => WaitState.Waiting,
        "offered" => WaitState.Offered,
        "ended" => WaitState.Ended,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Not a wait state."),
    };

    private static WaitEnd ParseEnd(string code) =>
        Enum.GetValues<WaitEnd>().First(e => Codes.Of(e) == code);
}

/// <summary>The waiting line's statements, the same text on both providers.</summary>
internal static class WaitSql
{
    public const string Columns =
        "id, tenant_id, license_id, sequence, session_id, user_name, device, client, request_client, connection_id, email, sso, seat_key, seats, " +
        "ttl_ms, joined_at, last_heartbeat_at, wait_until, state, offered_at, offer_expires_at, ended_at, end_reason, granted_session_id, " +
        "deadline_at, idempotency_key, token_hash, ended_by";

    /// <summary>A license's open entries in line order (the partial index <c>wait_entries_open_by_license</c>).</summary>
    public const string OpenOfLicense = $"SELECT {Columns} FROM wait_entries WHERE license_id = @licenseId AND ended_at IS NULL ORDER BY sequence";

    /// <summary>The entry an earlier checkout with this idempotency key made in the tenant (open or ended).</summary>
    public const string ByIdempotencyKey = $"SELECT {Columns} FROM wait_entries WHERE tenant_id = @tenantId AND idempotency_key = @key";

    /// <summary>How long <see cref="TurnoverAsync"/> looks back.</summary>
    public static readonly TimeSpan TurnoverPeriod = TimeSpan.FromHours(1);

    /// <summary>The seat-holding sessions of the license that ended in the last <see cref="TurnoverPeriod"/> (by <c>usage_events_by_license</c>).</summary>
    public const string TurnoverCount =
        "SELECT count(*) FROM usage_events WHERE license_id = @licenseId AND at > @since AND kind = 'ended' AND seats > 0";

    public static async Task<SeatTurnover> TurnoverAsync(DbConnection db, DbTransaction tx, string licenseId, DateTimeOffset now) =>
        new((int)await db.ExecuteScalarAsync<long>(TurnoverCount,
            new { licenseId, since = (now - TurnoverPeriod).ToUnixTimeMilliseconds() }, tx), TurnoverPeriod);

    /// <summary>Insert or overwrite an entry, whole (an entry's tenant, license, sequence and checkout never change).</summary>
    private const string Upsert =
        """
        INSERT INTO wait_entries (id, tenant_id, license_id, sequence, session_id, user_name, device, client, request_client, connection_id, email,
            sso, seat_key, seats, ttl_ms, joined_at, last_heartbeat_at, wait_until, state, offered_at, offer_expires_at, ended_at, end_reason,
            granted_session_id, deadline_at, idempotency_key, token_hash, ended_by)
        VALUES (@Id, @TenantId, @LicenseId, @Sequence, @SessionId, @UserName, @Device, @Client, @RequestClient, @ConnectionId, @Email,
            @Sso, @SeatKey, @Seats, @TtlMs, @JoinedAt, @LastHeartbeatAt, @WaitUntil, @State, @OfferedAt, @OfferExpiresAt, @EndedAt, @EndReason,
            @GrantedSessionId, @DeadlineAt, @IdempotencyKey, @TokenHash, @EndedBy)
        ON CONFLICT (id) DO UPDATE SET
            last_heartbeat_at = excluded.last_heartbeat_at, wait_until = excluded.wait_until, state = excluded.state,
            offered_at = excluded.offered_at, offer_expires_at = excluded.offer_expires_at, ended_at = excluded.ended_at,
            end_reason = excluded.end_reason, granted_session_id = excluded.granted_session_id, deadline_at = excluded.deadline_at,
            token_hash = excluded.token_hash, ended_by = excluded.ended_by
        """;

    private const string InsertEvent =
        """
        INSERT INTO wait_events (tenant_id, license_id, entry_id, at, kind, user_name, device, client, seats, waited_ms, position, session_id)
        VALUES (@TenantId, @LicenseId, @EntryId, @At, @Kind, @UserName, @Device, @Client, @Seats, @WaitedMs, @Position, @SessionId)
        """;

    public static async Task<List<WaitEntry>> OpenOfLicenseAsync(DbConnection db, DbTransaction tx, string licenseId) =>
        [.. (await db.QueryAsync<WaitEntryRow>(OpenOfLicense, new { licenseId }, tx)).Select(r => r.ToEntry())];

    public static async Task<WaitEntry?> ByIdempotencyKeyAsync(DbConnection db, DbTransaction tx, string tenantId, string key) =>
        (await db.QuerySingleOrDefaultAsync<WaitEntryRow>(ByIdempotencyKey, new { tenantId, key }, tx))?.ToEntry();

    /// <summary>An entry's place in line: 1 + the open entries of its license that joined before it (0 once it ended).</summary>
    private const string PositionOf =
        "CASE WHEN w.ended_at IS NULL THEN 1 + (SELECT count(*) FROM wait_entries o WHERE o.license_id = w.license_id AND o.ended_at IS NULL AND o.sequence < w.sequence) ELSE 0 END";

    private static readonly string PrefixedColumns = string.Join(", ", Columns.Split(", ").Select(c => "w." + c));

    /// <summary>One entry with its position and its license's turnover (reads outside a transaction: the last commit).</summary>
    public static async Task<WaitView?> GetAsync(DbConnection db, string id, string? tenantScope, DateTimeOffset now)
    {
        var row = await db.QuerySingleOrDefaultAsync<PositionedRow>(
            $"SELECT {PrefixedColumns}, {PositionOf} AS position FROM wait_entries w WHERE w.id = @id AND (@tenantScope IS NULL OR w.tenant_id = @tenantScope)",
            new { id, tenantScope });
        if (row is null)
            return null;
        var turnover = row.EndedAt is null
            ? new SeatTurnover((int)await db.ExecuteScalarAsync<long>(TurnoverCount,
                new { licenseId = row.LicenseId, since = (now - TurnoverPeriod).ToUnixTimeMilliseconds() }), TurnoverPeriod)
            : null;
        return new WaitView(row.ToEntry(), (int)row.Position, turnover);
    }

    /// <summary>A license's open entries in line order, positioned by their order (no count per entry), with its turnover.</summary>
    public static async Task<IReadOnlyList<WaitView>> LineAsync(DbConnection db, string licenseId, DateTimeOffset now)
    {
        var rows = (await db.QueryAsync<WaitEntryRow>(OpenOfLicense, new { licenseId })).ToList();
        if (rows.Count == 0)
            return [];
        var turnover = new SeatTurnover((int)await db.ExecuteScalarAsync<long>(TurnoverCount,
            new { licenseId, since = (now - TurnoverPeriod).ToUnixTimeMilliseconds() }), TurnoverPeriod);
        return [.. rows.Select((r, i) => new WaitView(r.ToEntry(), i + 1, turnover))];
    }

    /// <summary>The open entries in scope, by join time then id (<c>wait_entries_by_tenant</c>), with their positions.</summary>
    public static async Task<IReadOnlyList<WaitView>> ListOpenAsync(DbConnection db, SqlDialect dialect, string? tenantScope, string? licenseId, PageRequest? page) =>
        [.. (await db.QueryAsync<PositionedRow>(
            $"SELECT {PrefixedColumns}, {PositionOf} AS position FROM wait_entries w "
                + Keyset.Clauses(dialect, "w.joined_at", "w.id", page, "w.ended_at IS NULL",
                    Keyset.Equal("w.tenant_id", "tenantScope", tenantScope), Keyset.Equal("w.license_id", "licenseId", licenseId)),
            Keyset.Parameters(page, new { tenantScope, licenseId }))).Select(r => new WaitView(r.ToEntry(), (int)r.Position))];

    /// <summary>A row with its computed position.</summary>
    private sealed class PositionedRow : WaitEntryRow
    {
        public long Position { get; set; }
    }

    /// <summary>The licenses of the entries due by <paramref name="now"/> (offers lapsed, heartbeats missed, waits run out), by <c>wait_entries_due</c>.</summary>
    public static async Task<IEnumerable<string>> DueLicensesAsync(DbConnection db, DbTransaction tx, DateTimeOffset now, int limit) =>
        await db.QueryAsync<string>(
            "SELECT license_id FROM wait_entries WHERE ended_at IS NULL AND deadline_at <= @at ORDER BY deadline_at LIMIT @limit",
            new { at = now.ToUnixTimeMilliseconds(), limit }, tx);

    /// <summary>Writes a decision's entries and their events.</summary>
    public static async Task WriteAsync(DbConnection db, DbTransaction tx, Changes changes)
    {
        foreach (var entry in changes.Waits)
            await db.ExecuteAsync(Upsert, WaitEntryRow.From(entry), tx);
        foreach (var e in changes.WaitEvents)
        {
            await db.ExecuteAsync(InsertEvent, new
            {
                e.TenantId, e.LicenseId, e.EntryId, At = e.At.ToUnixTimeMilliseconds(), Kind = KindCode(e.Kind),
                UserName = e.User, e.Device, e.Client, Seats = (long)e.Seats, WaitedMs = (long)e.Waited.TotalMilliseconds,
                Position = (long?)e.Position, e.SessionId,
            }, tx);
        }
    }

    /// <summary>The event kinds as stored: <c>wait_joined</c>, <c>wait_offered</c>, ... (docs/waiting-line.md, "Usage events").</summary>
    public static string KindCode(WaitEventKind kind) => kind switch
    {
        WaitEventKind.Joined => "wait_joined",
        WaitEventKind.Offered => "wait_offered",
        WaitEventKind.Granted => "wait_granted",
        WaitEventKind.Left => "wait_left",
        WaitEventKind.Expired => "wait_expired",
        WaitEventKind.TimedOut => "wait_timed_out",
        WaitEventKind.OfferLapsed => "wait_offer_lapsed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
