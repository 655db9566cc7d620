namespace Leasehold.Core.Policies;

/// <summary>The rules one kind of client (desktop, web, mobile, ...) lives by on one license.</summary>
/// <param name="Name">The name clients send in <c>client</c>.</param>
/// <param name="Consumption">Whether its sessions hold seats, only check, or are ignored.</param>
/// <param name="Weight">Seats one session holds (an integration doing the work of N users holds N).</param>
/// <param name="Ttl">Liveness: a session with no heartbeat for this long ends as <c>expired</c>.</param>
/// <param name="IdleTimeout">A session whose heartbeats report no user activity for this long ends as <c>idle</c>; null never.</param>
/// <param name="DenialCode">Stable machine-readable code of a refusal for want of a seat.</param>
/// <param name="DenialMessage">The text this client shows its user when refused.</param>
public sealed record ClientTypePolicy(
    string Name,
    Consumption Consumption,
    int Weight,
    TimeSpan Ttl,
    TimeSpan? IdleTimeout,
    string DenialCode,
    string DenialMessage)
{
    /// <summary>This client's own text for other refusals, by code (e.g. <c>license_expired</c>, <c>outside_access_window</c>).</summary>
    public IReadOnlyDictionary<string, string> Messages { get; init; } = new Dictionary<string, string>();

    /// <summary>How many days ahead a client of this type may borrow a seat (hold it off the network); null: it may not.</summary>
    public int? BorrowDays { get; init; }

    /// <summary>Whether a checkout of this type may join the license's waiting line; null: as the license says (<see cref="WaitingLinePolicy.Enabled"/>).</summary>
    public bool? Waits { get; init; }

    /// <summary>The text to show for a refusal with <paramref name="code"/>: this client's own if it has one.</summary>
    public string MessageFor(string code, string standard) =>
        code == DenialCode ? DenialMessage : Messages.GetValueOrDefault(code) ?? standard;

    /// <summary>Equal when every rule is equal, messages compared by content.</summary>
    public bool Equals(ClientTypePolicy? other) =>
        other is not null
        && (Name, Consumption, Weight, Ttl, IdleTimeout, DenialCode, DenialMessage, BorrowDays, Waits)
            == (other.Name, other.Consumption, other.Weight, other.Ttl, other.IdleTimeout, other.DenialCode, other.DenialMessage, other.BorrowDays, other.Waits)
        && Messages.Count == other.Messages.Count
        && Messages.All(m => other.Messages.TryGetValue(m.Key, out var text) && text == m.Value);

    public override int GetHashCode() => HashCode.Combine(HashCode.Combine(Name, Consumption, Weight, Ttl, IdleTimeout, DenialCode, DenialMessage), BorrowDays, Waits, Messages.Count);

    /// <summary>Seats a session of this type draws from the pool.</summary>
    public int SeatsHeld => Consumption == Consumption.Seat ? Weight : 0;

    /// <summary>How often a client of this type should heartbeat (<see cref="HeartbeatIntervalFor"/>).</summary>
    public TimeSpan HeartbeatInterval => HeartbeatIntervalFor(Ttl);

    /// <summary>How often a session with <paramref name="ttl"/> should heartbeat: a third of it, so two lost beats are survivable.</summary>
    public static TimeSpan HeartbeatIntervalFor(TimeSpan ttl) => TimeSpan.FromTicks(ttl.Ticks / 3);
}
