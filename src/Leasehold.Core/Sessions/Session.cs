using Leasehold.Core.Policies;

namespace Leasehold.Core.Sessions;

/// <summary>
/// One active connection of one client instance. The client type's TTL, idle timeout and weight
/// are copied in at checkout, so a later policy change never alters a session that is already open.
/// </summary>
public sealed record Session
{
    public required string Id { get; init; }
    public required string TenantId { get; init; }
    public required string LicenseId { get; init; }
    public required string User { get; init; }
    public required string Device { get; init; }
    public required string Client { get; init; }
    public required Consumption Consumption { get; init; }

    /// <summary>Seats this session draws from the pool (0 for check and none consumption).</summary>
    public required int Seats { get; init; }

    /// <summary>Sessions with equal seat keys share their seats (see <see cref="SeatKey"/>).</summary>
    public required string SeatKey { get; init; }

    public required TimeSpan Ttl { get; init; }
    public required TimeSpan? IdleTimeout { get => _idleTimeout == None ? null : new TimeSpan(_idleTimeout); init => _idleTimeout = value?.Ticks ?? None; }
    public required DateTimeOffset StartedAt { get => At(_startedAt); init => _startedAt = value.UtcTicks; }
    public required DateTimeOffset LastHeartbeatAt { get => At(_lastHeartbeatAt); init => _lastHeartbeatAt = value.UtcTicks; }
    public required DateTimeOffset LastActivityAt { get => At(_lastActivityAt); init => _lastActivityAt = value.UtcTicks; }
    public DateTimeOffset? EndedAt { get => AtOrNull(_endedAt); init => _endedAt = Ticks(value); }
    public EndReason? EndReason { get => _rare?.EndReason; init => _rare = Rare.Or((_rare ?? Rare.None) with { EndReason = value }); }
    public string? IdempotencyKey { get => _rare?.IdempotencyKey; init => _rare = Rare.Or((_rare ?? Rare.None) with { IdempotencyKey = value }); }

    /// <summary>The connection (shared access credential) the session signed in through, if any.</summary>
    public string? ConnectionId { get => _rare?.ConnectionId; init => _rare = Rare.Or((_rare ?? Rare.None) with { ConnectionId = value }); }

    /// <summary>The e-mail the user signed in with: users may share a connection only when they share one.</summary>
    public string? Email { get => _rare?.Email; init => _rare = Rare.Or((_rare ?? Rare.None) with { Email = value }); }

    /// <summary>Signed in through single sign-on: such a user may never share a connection.</summary>
    public bool Sso { get => _rare?.Sso ?? false; init => _rare = Rare.Or((_rare ?? Rare.None) with { Sso = value }); }

    /// <summary>A named user's session: always admitted, holds no seat from the pool.</summary>
    public bool Named { get; init; }

    public int PolicyVersion { get; init; } = 1;

    /// <summary>When the connection's access window closes (null: it does not, or no connection).</summary>
    public DateTimeOffset? WindowClosesAt { get => AtOrNull(_rare?.WindowClosesAt ?? None); init => _rare = Rare.Or((_rare ?? Rare.None) with { WindowClosesAt = Ticks(value) }); }

    /// <summary>Whether the session ends when the window closes (else it is only warned).</summary>
    public bool EndsAtWindowClose { get => _rare?.EndsAtWindowClose ?? false; init => _rare = Rare.Or((_rare ?? Rare.None) with { EndsAtWindowClose = value }); }

    /// <summary>When the license stops admitting (end date plus grace): open sessions end then.</summary>
    public DateTimeOffset? LicenseEndsAt { get => AtOrNull(_licenseEndsAt); init => _licenseEndsAt = Ticks(value); }

    /// <summary>
    /// A borrowed seat: held until this moment without heartbeats (the client runs off the network
    /// on a signed lease), unless returned first. Null for an ordinary session.
    /// </summary>
    public DateTimeOffset? BorrowedUntil { get => AtOrNull(_rare?.BorrowedUntil ?? None); init => _rare = Rare.Or((_rare ?? Rare.None) with { BorrowedUntil = Ticks(value) }); }

    /// <summary>
    /// The SHA-256 (hex) of the secret the checkout answered for this session: its holder proves
    /// itself with the secret. Null for sessions written before session tokens existed.
    /// </summary>
    public string? TokenHash
    {
        get => _tokenHash.Text();
        init => _tokenHash = TokenDigest.Of(value);
    }

    /// <summary>Whether the session's token hash is <paramref name="hash"/> (the hex SHA-256 of a token), compared in constant time.</summary>
    public bool HasTokenHash(string hash) => _tokenHash.Matches(hash);

    /// <summary>The token's hash as held (the compact form a <see cref="HolderSet"/> keeps reads and writes it).</summary>
    internal TokenDigest Digest { get => _tokenHash; init => _tokenHash = value; }

    /// <summary>
    /// Whether the session is live and has none of the fields most live sessions leave empty, and its token's hash
    /// (if any) is packed: then a <see cref="HolderSet"/> can keep it as its plain fields (<see cref="HeldSession"/>).
    /// </summary>
    internal bool IsPlain => _rare is null && _endedAt == None && _tokenHash.IsPackedOrNone;

    /// <summary>Whether the session has a token (sessions written before tokens existed have none).</summary>
    public bool HasToken => _tokenHash.IsPresent;

    // Sessions are made at every request, and the ledgers keep whole the live ones that are not plain (HeldSession): times
    // are kept as UTC ticks (8 bytes, against 16 for a DateTimeOffset and 24 for a nullable one) and the token's hash as its 32 bytes.
    private const long None = long.MinValue;
    private readonly long _startedAt, _lastHeartbeatAt, _lastActivityAt;
    private readonly long _endedAt = None, _licenseEndsAt = None, _idleTimeout = None;
    private readonly TokenDigest _tokenHash;

    /// <summary>What most live sessions do not have (a connection, an e-mail, a borrowed seat, an end, ...): one reference, null for them.</summary>
    private readonly Rare? _rare;

    private sealed record Rare
    {
        public static readonly Rare None = new();

        /// <summary>Null when nothing is set, so a session read with every such field empty keeps no object for them.</summary>
        public static Rare? Or(Rare rare) => rare == None ? null : rare;
        public EndReason? EndReason { get; init; }
        public string? IdempotencyKey { get; init; }
        public string? ConnectionId { get; init; }
        public string? Email { get; init; }
        public bool Sso { get; init; }
        public long WindowClosesAt { get; init; } = Session.None;
        public bool EndsAtWindowClose { get; init; }
        public long BorrowedUntil { get; init; } = Session.None;
    }

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);
    private static DateTimeOffset? AtOrNull(long ticks) => ticks == None ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
    private static long Ticks(DateTimeOffset? at) => at?.UtcTicks ?? None;

    public bool IsActive => _endedAt == None;

    /// <summary>When the session ends unless a heartbeat arrives; a borrowed seat's end, which no heartbeat moves.</summary>
    public DateTimeOffset ExpiresAt => BorrowedUntil ?? LastHeartbeatAt + Ttl;

    /// <summary>How often the client should heartbeat to keep it (<see cref="ClientTypePolicy.HeartbeatIntervalFor"/>).</summary>
    public TimeSpan HeartbeatInterval => ClientTypePolicy.HeartbeatIntervalFor(Ttl);

    /// <summary>When the session ends unless the user shows activity; null when it never idles out.</summary>
    public DateTimeOffset? IdleAt => IdleTimeout is { } idle ? LastActivityAt + idle : null;

    /// <summary>The earliest moment the session ends by itself, and why: the reaper's index key.</summary>
    public (EndReason Reason, DateTimeOffset At) NextEnd
    {
        get
        {
            var next = BorrowedUntil is { } borrowedUntil
                ? (Reason: Sessions.EndReason.BorrowEnded, At: borrowedUntil)
                : (Reason: Sessions.EndReason.Expired, At: ExpiresAt);
            if (IdleAt is { } idleAt && idleAt < next.At)
                next = (Sessions.EndReason.Idle, idleAt);
            if (EndsAtWindowClose && WindowClosesAt is { } closes && closes < next.At)
                next = (Sessions.EndReason.WindowClosed, closes);
            // A license cut short ends the session no earlier than its last sign of life.
            if (LicenseEndsAt is { } licenseEnds && licenseEnds < next.At)
                next = (Sessions.EndReason.LicenseExpired, licenseEnds > LastHeartbeatAt ? licenseEnds : LastHeartbeatAt);
            return next;
        }
    }

    public DateTimeOffset Deadline => NextEnd.At;

    /// <summary>
    /// The end this session has reached by <paramref name="now"/>, if any, dated when it was due
    /// (not when someone noticed), so history shows the seat free from the right moment.
    /// </summary>
    public (EndReason Reason, DateTimeOffset At)? DueEnd(DateTimeOffset now)
    {
        if (!IsActive)
            return null;
        var next = NextEnd;
        return now < next.At ? null : next;
    }

    public Session End(EndReason reason, DateTimeOffset at) => this with { EndedAt = at, EndReason = reason };
}
