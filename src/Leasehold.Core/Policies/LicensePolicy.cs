namespace Leasehold.Core.Policies;

/// <summary>The configurable rules of one license. Everything a vendor varies lives here, not in code.</summary>
/// <param name="SeatKey">Which sessions share one seat.</param>
/// <param name="ClientTypes">The client types this license knows, by name (case-insensitive).</param>
/// <param name="DefaultClientType">The type an unknown client name is treated as; null refuses unknown names.</param>
public sealed record LicensePolicy(
    SeatKey SeatKey,
    IReadOnlyDictionary<string, ClientTypePolicy> ClientTypes,
    string? DefaultClientType)
{
    public const string DefaultDenialCode = Codes.NoSeatAvailable;

    public LimitPolicy Limit { get; init; } = LimitPolicy.Hard;

    /// <summary>Users who always get in and never draw on the concurrent pool (case-insensitive).</summary>
    public IReadOnlySet<string> NamedUsers { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<Reservation> Reservations { get; init; } = [];

    public PlanPolicy? Plan { get; init; }

    public ExpiryPolicy Expiry { get; init; } = ExpiryPolicy.Default;

    public ConnectionPolicy Connections { get; init; } = ConnectionPolicy.Default;

    public StopPolicy Stops { get; init; } = StopPolicy.Default;

    /// <summary>Whether checkouts may wait for a seat, and the line's bounds (off by default).</summary>
    public WaitingLinePolicy WaitingLine { get; init; } = WaitingLinePolicy.Default;

    /// <summary>Whether a checkout of <paramref name="type"/> may join the waiting line: seat-holding types only, as the license and the type allow.</summary>
    public bool MayWait(ClientTypePolicy type) =>
        type.Consumption == Consumption.Seat && (type.Waits ?? WaitingLine.Enabled);

    public bool IsNamed(string user) => NamedUsers.Contains(user);

    /// <summary>The reservation <paramref name="user"/> belongs to, if any (a user is in at most one).</summary>
    public Reservation? ReservationOf(string user) => Reservations.FirstOrDefault(r => r.Users.Contains(user));

    /// <summary>
    /// The policy a license gets when its creator names none: every session holds one seat;
    /// desktop clients must heartbeat within 5 minutes, web clients within 20 (a closed browser
    /// never signs off); both are signed off after an hour without user activity.
    /// </summary>
    public static LicensePolicy Default { get; } = new(
        SeatKey.Session,
        new Dictionary<string, ClientTypePolicy>(StringComparer.OrdinalIgnoreCase)
        {
            ["desktop"] = new("desktop", Consumption.Seat, 1, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1),
                DefaultDenialCode, "All licenses are in use. Try again later or ask your administrator for more seats."),
            ["web"] = new("web", Consumption.Seat, 1, TimeSpan.FromMinutes(20), TimeSpan.FromHours(1),
                DefaultDenialCode, "No license is free right now. Please try again in a few minutes."),
        },
        DefaultClientType: null);

    /// <summary>The client type a request names, or the default type; null when neither exists.</summary>
    public ClientTypePolicy? ResolveClientType(string name)
    {
        if (ClientTypes.TryGetValue(name, out var type))
            return type;
        return DefaultClientType is not null && ClientTypes.TryGetValue(DefaultClientType, out var fallback) ? fallback : null;
    }
}
