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
    /// A session of <paramref name="license"/> that was admitted at <paramref name="since"/> (T0 by default)
    /// and has had neither heartbeat nor activity since, built the way the seat decision builds one.
    /// </summary>
    public static Session Holder(
        License license,
        string id,
        string user = "bob",
        string device = "pc-9",
        string client = "desktop",
        DateTimeOffset? since = null,
        string? idempotencyKey = null)
    {
        var type = license.Policy.ResolveClientType(client)
            ?? throw new ArgumentException($"The license has no client type '{client}'.", nameof(client));
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
            SeatKey = SeatDecision.SeatKeyFor(license.Policy.SeatKey, new CheckoutRequest(id, user, device, client)),
            Ttl = type.Ttl,
            IdleTimeout = type.IdleTimeout,
            StartedAt = startedAt,
            LastHeartbeatAt = startedAt,
            LastActivityAt = startedAt,
            IdempotencyKey = idempotencyKey,
        };
    }

    /// <summary>A bare session for lifecycle tests: started at T0 with the given TTL and idle timeout.</summary>
    public static Session Session(TimeSpan ttl, TimeSpan? idle, string id = "ses_1") => new()
    {
        Id = id,
        TenantId = TenantId,
        LicenseId = LicenseId,
        User = "alice",
        Device = "pc-1",
        Client = "desktop",
        Consumption = Consumption.Seat,
        Seats = 1,
        SeatKey = "s:" + id,
        Ttl = ttl,
        IdleTimeout = idle,
        StartedAt = T0,
        LastHeartbeatAt = T0,
        LastActivityAt = T0,
    };
}
