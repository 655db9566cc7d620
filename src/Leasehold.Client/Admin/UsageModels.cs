using System.Text.Json.Serialization;

namespace Leasehold.Client.Admin;

/// <summary>
/// Filters of the usage history (all optional). Times are instants (<c>2026-03-03T09:00:00Z</c>) or
/// local dates and times (<c>2026-03-03</c>, <c>2026-03-03T10:00</c>) read in the tenant's time zone.
/// </summary>
public sealed record UsageQuery
{
    public string? LicenseId { get; init; }

    /// <summary>Operator keys only: one tenant's events.</summary>
    public string? TenantId { get; init; }
    public string? User { get; init; }
    public string? Client { get; init; }

    /// <summary><c>admitted</c>, <c>denied</c>, <c>checked</c> or <c>ended</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>The outcome or reason: <c>admitted_over_limit</c>, <c>no_seat_available</c>, <c>idle</c>, <c>stopped</c>, ...</summary>
    public string? Code { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }

    internal (string, string?)[] Parameters() =>
        [("licenseId", LicenseId), ("tenantId", TenantId), ("user", User), ("client", Client), ("kind", Kind), ("code", Code), ("from", From), ("to", To)];
}

/// <summary>One recorded decision or state change.</summary>
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
public sealed record UsageEventPage([property: JsonPropertyName("items")] IReadOnlyList<UsageEventInfo> Events, string? NextCursor);

/// <summary>One hour or day of a concurrency report.</summary>
public sealed record ConcurrencyBucket(
    DateTimeOffset Start, DateTimeOffset End, int PeakSeats, int PeakSessions, double AverageSeats, double Utilisation,
    int Denials, int FailedChecks, int OverLimit);

/// <summary>Peaks, utilisation and refusals of one license per hour or day of the tenant's calendar.</summary>
public sealed record ConcurrencyReport(
    string LicenseId, string TimeZone, string Bucket, int SeatLimit, DateTimeOffset From, DateTimeOffset To,
    int PeakSeats, int PeakSessions, double AverageSeats, double Utilisation, int Denials, IReadOnlyList<ConcurrencyBucket> Buckets)
{
    /// <summary>Failed pass/fail checks over the period (never counted among <see cref="Denials"/>).</summary>
    public int FailedChecks { get; init; }

    /// <summary>Admissions and passed checks over a soft limit, over the period.</summary>
    public int OverLimit { get; init; }
}

/// <summary>A user who held seats while idle.</summary>
public sealed record IdleHolder(string User, int Sessions, double IdleMinutes, double IdleSeatMinutes, double LongestIdleMinutes);

/// <summary>The smallest seat count that would have kept refusals within <see cref="MaxRefusals"/>, from the history.</summary>
public sealed record RightSizeReport(
    string LicenseId, DateTimeOffset From, DateTimeOffset To, int MaxRefusals, int RecommendedSeats, int CurrentSeats, int PeakDemand,
    int RefusalsAtRecommended, double OverageMinutesAtRecommended, int RefusalsAtCurrent, double AssumedSessionMinutes,
    IReadOnlyList<IdleHolder> IdleHolders);
