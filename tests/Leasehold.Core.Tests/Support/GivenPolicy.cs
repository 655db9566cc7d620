using Leasehold.Core.Access;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;

namespace Leasehold.Core.Tests.Support;

/// <summary>
/// Test data for the license policy rules (limit mode, named and reserved seats, plans, expiry,
/// connections). Every instant is fixed by hand so expectations can be worked out on paper.
/// </summary>
internal static class GivenPolicy
{
    /// <summary>Monday 2 March 2026, 09:00 UTC (10:00 in Berlin, which is on CET until 29 March).</summary>
    public static readonly DateTimeOffset Monday0900 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public const string Berlin = "Europe/Berlin";

    /// <summary>The offset Berlin keeps in early March 2026 (CET).</summary>
    public static readonly TimeSpan Cet = TimeSpan.FromHours(1);

    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>
    /// Two seat-holding client types: <c>desktop</c> (the default denial code) and <c>web</c>, which
    /// refuses with its own code <c>web_no_seat</c>. Both live 5 minutes without a heartbeat.
    /// </summary>
    public static LicensePolicy Rules(SeatKey seatKey = SeatKey.Session, TimeSpan? ttl = null, TimeSpan? idle = null) =>
        Given.Policy(
            seatKey,
            Given.ClientType("desktop", ttl: ttl, idle: idle),
            Given.ClientType("web", ttl: ttl, idle: idle, denialCode: "web_no_seat", denialMessage: "The web seats are gone."));

    public static LimitPolicy Soft(int? overageCount = null, int? overagePercent = null, string message = "Over the limit: buy more seats.") =>
        new(LimitMode.Soft, overageCount, overagePercent, message);

    public static IReadOnlySet<string> Users(params string[] users) => new HashSet<string>(users, StringComparer.OrdinalIgnoreCase);

    public static Reservation Reserve(string name, int seats, params string[] users) => new(name, seats, Users(users));

    /// <summary>A license created a month before <see cref="Monday0900"/>.</summary>
    public static License License(int seats, LicensePolicy policy) =>
        new(Given.LicenseId, Given.TenantId, "erp", seats, policy, Monday0900.AddDays(-30));

    /// <summary>Sessions held by <paramref name="users"/> (one each, ids <c>ses_&lt;user&gt;</c>), admitted at <paramref name="since"/>.</summary>
    public static Session[] HeldBy(License license, DateTimeOffset since, params string[] users) =>
        [.. users.Select(user => Given.Holder(license, "ses_" + user, user, since))];

    /// <summary>A named user's session: always admitted, holds no seat.</summary>
    public static Session NamedHolder(License license, string id, string user, DateTimeOffset since) =>
        Given.Holder(license, id, user, since) with { Seats = 0, Named = true };

    public static Connection Connection(
        string id = "con_rdp",
        string name = "Remote desktop",
        string? email = "team@acme.example",
        AccessPlan? plan = null) =>
        new(id, Given.TenantId, name, email, plan ?? AccessPlan.BusinessHours, Monday0900.AddDays(-30));

    public static CheckoutRequest Request(
        string sessionId = "ses_new",
        string user = "alice",
        string client = "desktop",
        string? connectionId = null,
        string? email = null,
        bool sso = false,
        string device = "pc-1") =>
        new(sessionId, user, device, client) { ConnectionId = connectionId, Email = email, Sso = sso };
}
