using System.Text.Json.Serialization;

namespace Leasehold.Client.Admin;

/// <summary>
/// Filters of the usage history (all optional). Times are instants (<c>2026-03-03T09:00:00Z</c>) or
/// local dates and times (<c>2026-03-03</c>, <c>2026-03-03T10:00</c>) read in the tenant's time zone.
/// </summary>
public sealed record UsageQuery
{
    /// <summary>Only events of this license.</summary>
    public string? LicenseId { get; init; }

    /// <summary>Operator keys only: one tenant's events.</summary>
    public string? TenantId { get; init; }
    /// <summary>Only events of this user.</summary>
    public string? User { get; init; }
    /// <summary>Only events of this client type (<c>desktop</c>, <c>web</c>, ...).</summary>
    public string? Client { get; init; }

    /// <summary><c>admitted</c>, <c>denied</c>, <c>checked</c> or <c>ended</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>The outcome or reason: <c>admitted_over_limit</c>, <c>no_seat_available</c>, <c>idle</c>, <c>stopped</c>, ...</summary>
    public string? Code { get; init; }
    /// <summary>Only events at or after this time (an instant, or a local date or time in the tenant's zone).</summary>
    public string? From { get; init; }
    /// <summary>Only events before this time (an instant, or a local date or time in the tenant's zone).</summary>
    public string? To { get; init; }

    internal (string, string?)[] Parameters() =>
        [("licenseId", LicenseId), ("tenantId", TenantId), ("user", User), ("client", Client), ("kind", Kind), ("code", Code), ("from", From), ("to", To)];
}

/// <summary>One recorded decision or state change.</summary>
/// <param name="Id">The event's id, increasing in the order events were recorded.</param>
/// <param name="At">When it happened.</param>
/// <param name="Kind"><c>admitted</c>, <c>denied</c>, <c>checked</c> or <c>ended</c>.</param>
/// <param name="Code">The outcome or end reason: <c>admitted</c>, <c>admitted_over_limit</c>, <c>no_seat_available</c>, <c>idle</c>, <c>stopped</c>, ...</param>
/// <param name="TenantId">The tenant.</param>
/// <param name="LicenseId">The license.</param>
/// <param name="SessionId">The session it concerns; null for a refusal or a check, which open none.</param>
/// <param name="User">The user.</param>
/// <param name="Device">The device, where the request named one.</param>
/// <param name="Client">The client type.</param>
/// <param name="Seats">The seats the session holds or asked for.</param>
/// <param name="SeatsInUse">The seats in use on the license right after the decision; null where not recorded.</param>
/// <param name="SeatLimit">The license's seat limit then; null where not recorded.</param>
/// <param name="Actor">For an end an admin caused (a stop): the id of the key; null otherwise.</param>
/// <param name="LastActivityAt">For an end: when the user was last active; null otherwise.</param>
public sealed record UsageEventInfo(
    long Id, DateTimeOffset At, string Kind, string Code, string TenantId, string LicenseId, string? SessionId,
    string User, string? Device, string Client, int Seats, int? SeatsInUse, int? SeatLimit, string? Actor, DateTimeOffset? LastActivityAt)
{
    /// <summary>For an admission that borrowed its seat: until when (null otherwise).</summary>
    public DateTimeOffset? BorrowedUntil { get; init; }

    /// <summary>
    /// How many decisions the event stands for: 1, or for a refusal, how often its user and device were refused so within the
    /// clock hour of the first (the server folds repeats into one event). It can grow after the event was first read.
    /// </summary>
    public int Count { get; init; } = 1;

    /// <summary>When the last of them was (<see cref="At"/> when <see cref="Count"/> is 1; null from a server before counts).</summary>
    public DateTimeOffset? LastAt { get; init; }
}

/// <summary>A page of the history; pass <see cref="NextCursor"/> for the next (null: this was the last). <see cref="Events"/> are the answer's <c>items</c>.</summary>
/// <param name="Events">The events of this page, oldest first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null: this was the last.</param>
public sealed record UsageEventPage([property: JsonPropertyName("items")] IReadOnlyList<UsageEventInfo> Events, string? NextCursor);

/// <summary>One hour or day of a concurrency report.</summary>
/// <param name="Start">The bucket's start (the tenant's midnight or full hour).</param>
/// <param name="End">Its end (exclusive).</param>
/// <param name="PeakSeats">The most seats held at once in it.</param>
/// <param name="PeakSessions">The most sessions open at once in it.</param>
/// <param name="AverageSeats">The seats held on average over it (time-weighted).</param>
/// <param name="Utilisation"><paramref name="AverageSeats"/> over the seat limit, 0 to 1 (more when over a soft limit).</param>
/// <param name="Denials">Checkouts refused in it.</param>
/// <param name="FailedChecks">Pass/fail checks that failed in it.</param>
/// <param name="OverLimit">Admissions and passed checks over a soft limit in it.</param>
public sealed record ConcurrencyBucket(
    DateTimeOffset Start, DateTimeOffset End, int PeakSeats, int PeakSessions, double AverageSeats, double Utilisation,
    int Denials, int FailedChecks, int OverLimit)
{
    /// <summary>The waiting line in this bucket (null from a server before the waiting line).</summary>
    public WaitsSummary? Waits { get; init; }
}

/// <summary>
/// The waiting line in a bucket or period of a concurrency report: waits that started in it, and those that ended in it
/// by how they ended (each counted where it happened).
/// </summary>
/// <param name="Started">Waits that joined the line.</param>
/// <param name="Granted">Waits that ended with a seat (the entry's holder took the seat offered).</param>
/// <param name="GivenUp">Waits that ended without a seat: <paramref name="Left"/> + <paramref name="Expired"/> + <paramref name="TimedOut"/> + <paramref name="OfferLapsed"/>.</param>
/// <param name="Left">The application (or an admin) took the entry out of the line.</param>
/// <param name="Expired">The entry stopped heart-beating.</param>
/// <param name="TimedOut">The wait reached its end (the time asked, cut to the policy's longest) still waiting.</param>
/// <param name="OfferLapsed">A seat was offered and not taken in time.</param>
/// <param name="WaitSeconds">How long the granted waits lasted; null when none was granted.</param>
public sealed record WaitsSummary(int Started, int Granted, int GivenUp, int Left, int Expired, int TimedOut, int OfferLapsed, WaitDurationSeconds? WaitSeconds);

/// <summary>How long granted waits lasted, from join to grant, in seconds.</summary>
/// <param name="P50">The median (nearest rank: a wait that really was).</param>
/// <param name="P95">The 95th percentile (nearest rank).</param>
/// <param name="Max">The longest.</param>
public sealed record WaitDurationSeconds(double P50, double P95, double Max);

/// <summary>Peaks, utilisation and refusals of one license per hour or day of the tenant's calendar.</summary>
/// <param name="LicenseId">The license.</param>
/// <param name="TimeZone">The tenant's time zone, whose days and hours the buckets follow.</param>
/// <param name="Bucket"><c>day</c> or <c>hour</c>.</param>
/// <param name="SeatLimit">The license's seat limit.</param>
/// <param name="From">The period's start.</param>
/// <param name="To">The period's end (exclusive).</param>
/// <param name="PeakSeats">The most seats held at once over the period.</param>
/// <param name="PeakSessions">The most sessions open at once over the period.</param>
/// <param name="AverageSeats">The seats held on average over the period.</param>
/// <param name="Utilisation"><paramref name="AverageSeats"/> over the seat limit, 0 to 1.</param>
/// <param name="Denials">Checkouts refused over the period.</param>
/// <param name="Buckets">Each day or hour of the period, in order.</param>
public sealed record ConcurrencyReport(
    string LicenseId, string TimeZone, string Bucket, int SeatLimit, DateTimeOffset From, DateTimeOffset To,
    int PeakSeats, int PeakSessions, double AverageSeats, double Utilisation, int Denials, IReadOnlyList<ConcurrencyBucket> Buckets)
{
    /// <summary>Failed pass/fail checks over the period (never counted among <see cref="Denials"/>).</summary>
    public int FailedChecks { get; init; }

    /// <summary>Admissions and passed checks over a soft limit, over the period.</summary>
    public int OverLimit { get; init; }

    /// <summary>The waiting line over the period (null from a server before the waiting line).</summary>
    public WaitsSummary? Waits { get; init; }
}

/// <summary>A user who held seats while idle.</summary>
/// <param name="User">The user.</param>
/// <param name="Sessions">Their sessions in the period.</param>
/// <param name="IdleMinutes">Minutes they held a session without activity.</param>
/// <param name="IdleSeatMinutes">The same, times the seats held.</param>
/// <param name="LongestIdleMinutes">Their longest stretch without activity, in minutes.</param>
public sealed record IdleHolder(string User, int Sessions, double IdleMinutes, double IdleSeatMinutes, double LongestIdleMinutes);

/// <summary>The smallest seat count that would have kept refusals within <see cref="MaxRefusals"/>, from the history.</summary>
/// <param name="LicenseId">The license.</param>
/// <param name="From">The period's start.</param>
/// <param name="To">The period's end (exclusive).</param>
/// <param name="MaxRefusals">The refusals accepted over the period.</param>
/// <param name="RecommendedSeats">The fewest seats that would have kept refusals within <paramref name="MaxRefusals"/>.</param>
/// <param name="CurrentSeats">The license's seats now.</param>
/// <param name="PeakDemand">The most seats wanted at once, had everyone been admitted.</param>
/// <param name="RefusalsAtRecommended">The refusals there would have been with <paramref name="RecommendedSeats"/>.</param>
/// <param name="OverageMinutesAtRecommended">Minutes the demand (everyone admitted) was above <paramref name="RecommendedSeats"/>: how long a soft limit of that size would have been exceeded.</param>
/// <param name="RefusalsAtCurrent">The refusals with the current seats.</param>
/// <param name="AssumedSessionMinutes">How long a refused user who would now be admitted is taken to hold the seat: the median length of the period's sessions, in minutes.</param>
/// <param name="IdleHolders">The users who held seats idle the longest.</param>
public sealed record RightSizeReport(
    string LicenseId, DateTimeOffset From, DateTimeOffset To, int MaxRefusals, int RecommendedSeats, int CurrentSeats, int PeakDemand,
    int RefusalsAtRecommended, double OverageMinutesAtRecommended, int RefusalsAtCurrent, double AssumedSessionMinutes,
    IReadOnlyList<IdleHolder> IdleHolders)
{
    /// <summary>The longest wait asked for (<c>maxWaitMinutes</c>); null when not asked.</summary>
    public int? MaxWaitMinutes { get; init; }

    /// <summary>Waits in the waiting line that joined in the period, replayed as demand from their join (0: the wait figures are all 0).</summary>
    public int Waits { get; init; }

    /// <summary>The longest replayed wait (to its seat, or to when it gave up) with the recommended seats, in minutes.</summary>
    public double LongestWaitMinutesAtRecommended { get; init; }

    /// <summary>The longest replayed wait with the current seats, in minutes.</summary>
    public double LongestWaitMinutesAtCurrent { get; init; }

    /// <summary>The longest replayed wait with one seat more than now, in minutes: "with one more seat, nobody would have waited more than ...".</summary>
    public double LongestWaitMinutesWithOneMore { get; init; }

    /// <summary>Replayed waits longer than <see cref="MaxWaitMinutes"/> with the recommended seats; null when not asked.</summary>
    public int? WaitsOverMaxWaitAtRecommended { get; init; }

    /// <summary>Replayed waits longer than <see cref="MaxWaitMinutes"/> with the current seats; null when not asked.</summary>
    public int? WaitsOverMaxWaitAtCurrent { get; init; }
}
