using Leasehold.Core.Access;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;

namespace Leasehold.Core.Tests.Support;

/// <summary>
/// Test data for the engine: one tenant, one license, a fixed start time. Tests move time by adding
/// spans to <see cref="T0"/> (or advancing a FakeTimeProvider started there), never by sleeping.
/// </summary>
internal static class Given
{
    public const string TenantId = "ten_acme";
    public const string LicenseId = "lic_erp";

    /// <summary>Monday 10 March 2025, 09:00 UTC: every test's "now" is this plus a span.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(TimeSpan sinceT0) => T0 + sinceT0;

    public static TimeSpan Minutes(double minutes) => TimeSpan.FromMinutes(minutes);

    /// <summary>A client type with test-friendly defaults: one seat, 5 minute TTL, 1 hour idle timeout.</summary>
    public static ClientTypePolicy ClientType(
        string name = "desktop",
        Consumption consumption = Consumption.Seat,
        int weight = 1,
        TimeSpan? ttl = null,
        TimeSpan? idle = null,
        string denialCode = LicensePolicy.DefaultDenialCode,
        string? denialMessage = null) =>
        new(name, consumption, weight, ttl ?? Minutes(5), idle ?? TimeSpan.FromHours(1), denialCode,
            denialMessage ?? $"No seat for {name}.");

    public static LicensePolicy Policy(SeatKey seatKey, params ClientTypePolicy[] types) =>
        Policy(seatKey, defaultClientType: null, types);

    public static LicensePolicy Policy(SeatKey seatKey, string? defaultClientType, params ClientTypePolicy[] types) =>
        new(seatKey, types.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase), defaultClientType);

    /// <summary>A license of <paramref name="seats"/> seats; the default policy unless one is given.</summary>
    public static License License(int seats, LicensePolicy? policy = null, string id = LicenseId) =>
        new(id, TenantId, "erp", seats, policy ?? LicensePolicy.Default, T0.AddDays(-30));

    public static LicenseLedger Ledger(License license, params Session[] holders) => new(license, holders);

    public static CheckoutRequest Request(
        string sessionId = "ses_new",
        string user = "alice",
        string device = "pc-1",
        string client = "desktop",
        string? idempotencyKey = null) =>
        new(sessionId, user, device, client, idempotencyKey);

    /// <summary>
    /// A session of <paramref name="license"/> admitted at <paramref name="since"/> (T0 by default),
    /// with neither heartbeat nor activity since: the one way Core tests make a holder. Its client
    /// type's rules are copied in and its seat key is derived from the license's seat key, both as
    /// <see cref="SeatDecision.Checkout"/> does for the same request, so holders share seats exactly
    /// as sessions the engine admitted would. A holder <paramref name="connection"/> names signed in
    /// through it (with <paramref name="email"/> and <paramref name="sso"/>), which keys it by the
    /// connection when the license keys seats by connection.
    /// </summary>
    public static Session Holder(
        License license,
        string id,
        string user = "bob",
        DateTimeOffset? since = null,
        string client = "desktop",
        string device = "pc-9",
        string? idempotencyKey = null,
        Connection? connection = null,
        string? email = null,
        bool sso = false)
    {
        var type = license.Policy.ResolveClientType(client)
            ?? throw new ArgumentException($"The license has no client type '{client}'.", nameof(client));
        var request = new CheckoutRequest(id, user, device, client, idempotencyKey) { ConnectionId = connection?.Id, Email = email, Sso = sso };
        var startedAt = since ?? T0;
        return new Session
        {
            Id = id,
            TenantId = license.TenantId,
            LicenseId = license.Id,
            User = user,
            Device = device,
            Client = type.Name,
            Consumption = type.Consumption,
            Seats = type.SeatsHeld,
            SeatKey = SeatDecision.SeatKeyFor(license.Policy.SeatKey, request),
            Ttl = type.Ttl,
            IdleTimeout = type.IdleTimeout,
            StartedAt = startedAt,
            LastHeartbeatAt = startedAt,
            LastActivityAt = startedAt,
            IdempotencyKey = idempotencyKey,
            ConnectionId = connection?.Id,
            Email = email,
            Sso = sso,
        };
    }

    /// <summary>
    /// A bare session for lifecycle tests: alice's desktop session of one seat, started at T0 with
    /// the given TTL and idle timeout (null: it never idles out), keyed by itself.
    /// </summary>
    public static Session Session(TimeSpan ttl, TimeSpan? idle, string id = "ses_1") =>
        Holder(License(1, Policy(SeatKey.Session, ClientType("desktop", ttl: ttl) with { IdleTimeout = idle })), id, user: "alice", device: "pc-1");
}
