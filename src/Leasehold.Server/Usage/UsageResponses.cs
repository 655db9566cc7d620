using Leasehold.Core.Usage;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Usage;

/// <summary>One usage event as the history API shows it.</summary>
/// <param name="Id">Its id (events are ordered by <paramref name="At"/>, then id).</param>
/// <param name="Kind"><c>admitted</c>, <c>denied</c>, <c>checked</c> or <c>ended</c>.</param>
/// <param name="Code">The outcome: <c>admitted</c>/<c>admitted_over_limit</c>, the refusal code, <c>pass</c>/<c>pass_over_limit</c>/the check's failure code, or the end reason.</param>
/// <param name="Seats">Seats the session holds (for a refusal: what it asked for).</param>
/// <param name="SeatsInUse">Seats in use on the license right after the decision (null for ends).</param>
/// <param name="Actor">Who caused it when not the client itself: the admin key that stopped a session, or the session that took one over.</param>
/// <param name="LastActivityAt">For an end: the session's last reported user activity.</param>
internal sealed record UsageEventResponse(
    long Id, DateTimeOffset At, string Kind, string Code, string TenantId, string LicenseId, string? SessionId,
    string User, string? Device, string Client, int Seats, int? SeatsInUse, int? SeatLimit, string? Actor, DateTimeOffset? LastActivityAt)
{
    public static UsageEventResponse From(StoredUsageEvent stored)
    {
        var e = stored.Event;
        return new(stored.Id, e.At, e.Kind.ToString().ToLowerInvariant(), e.Code, e.TenantId, e.LicenseId, e.SessionId,
            e.User, e.Device, e.Client, e.Seats, e.SeatsInUse, e.SeatLimit, e.Actor, e.LastActivityAt);
    }
}

/// <summary>A page of usage events; pass <paramref name="NextCursor"/> as <c>cursor</c> for the next (null: this was the last).</summary>
internal sealed record UsageEventPage(UsageEventResponse[] Events, string? NextCursor);

/// <summary>One bucket of a concurrency report. <paramref name="Utilisation"/> is the average seats in use over the seat limit.</summary>
internal sealed record BucketResponse(
    DateTimeOffset Start, DateTimeOffset End, int PeakSeats, int PeakSessions, double AverageSeats, double Utilisation,
    int Denials, int FailedChecks, int OverLimit);

/// <summary>Peaks, utilisation and refusals of one license per hour or day of the tenant's calendar.</summary>
internal sealed record ConcurrencyResponse(
    string LicenseId, string TimeZone, string Bucket, int SeatLimit, DateTimeOffset From, DateTimeOffset To,
    int PeakSeats, int PeakSessions, double AverageSeats, double Utilisation, int Denials, BucketResponse[] Buckets)
{
    public static ConcurrencyResponse Of(ReportedLicense reported, BucketSize size, IReadOnlyList<BucketStats> buckets)
    {
        var seats = reported.License.Seats;
        double Round(double value) => Math.Round(value, 4);
        var totalMs = (buckets[^1].End - buckets[0].Start).TotalMilliseconds;
        var average = totalMs > 0 ? buckets.Sum(b => (double)b.SeatMilliseconds) / totalMs : 0;
        return new(reported.License.Id, reported.TimeZone, size.ToString().ToLowerInvariant(), seats,
            UsageReports.Local(buckets[0].Start, reported), UsageReports.Local(buckets[^1].End, reported),
            buckets.Max(b => b.PeakSeats), buckets.Max(b => b.PeakSessions), Round(average), Round(average / seats), buckets.Sum(b => b.Denials),
            [.. buckets.Select(b => new BucketResponse(UsageReports.Local(b.Start, reported), UsageReports.Local(b.End, reported),
                b.PeakSeats, b.PeakSessions, Round(b.AverageSeats), Round(b.AverageSeats / seats), b.Denials, b.FailedChecks, b.OverLimit))]);
    }
}

/// <summary>A session that held (or was admitted for) seats at the moment asked about.</summary>
internal sealed record HolderResponse(string SessionId, string User, string? Device, string Client, int Seats, DateTimeOffset StartedAt);

/// <summary>Who was using seats at one moment.</summary>
internal sealed record HoldersResponse(string LicenseId, DateTimeOffset At, int SeatsInUse, int SeatLimit, HolderResponse[] Holders);

/// <summary>How many events of one outcome and client type a period had, and when the first and last were.</summary>
internal sealed record OutcomeResponse(string Client, string Code, int Count, DateTimeOffset First, DateTimeOffset Last);

/// <summary>Refused checkouts (and failed checks) of a period, by client type and code.</summary>
internal sealed record DenialsResponse(
    string LicenseId, DateTimeOffset From, DateTimeOffset To, int Denials, int FailedChecks,
    Dictionary<string, int> DenialsByClient, Dictionary<string, int> DenialsByCode, OutcomeResponse[] Breakdown);

/// <summary>How often, and from when to when, something happened in a period (count 0: never; then the times are null).</summary>
internal sealed record Occurrences(int Count, DateTimeOffset? First, DateTimeOffset? Last);

/// <summary>Whether the license went over its limit (soft mode) and when it refused for want of a seat (hard mode, or past a soft cap).</summary>
internal sealed record LimitWarningsResponse(
    string LicenseId, string LimitMode, int SeatLimit, DateTimeOffset From, DateTimeOffset To, bool Exceeded, bool Refused,
    Occurrences OverLimit, Occurrences Refusals, string? Warning);

/// <summary>The history replayed against <paramref name="Seats"/> seats.</summary>
/// <param name="AssumedSessionMinutes">How long a past refusal the new count would admit is taken to hold its seat: the median length of the period's sessions.</param>
internal sealed record WhatIfResponse(
    string LicenseId, DateTimeOffset From, DateTimeOffset To, int Seats, int CurrentSeats, int Attempts, int Refusals, int RefusalsInHistory,
    double OverageMinutes, double OverageSeatMinutes, double AssumedSessionMinutes);

/// <summary>The smallest seat count that would have kept refusals within <paramref name="MaxRefusals"/>, and how the current count compares.</summary>
internal sealed record RightSizeResponse(
    string LicenseId, DateTimeOffset From, DateTimeOffset To, int MaxRefusals, int RecommendedSeats, int CurrentSeats, int PeakDemand,
    int RefusalsAtRecommended, double OverageMinutesAtRecommended, int RefusalsAtCurrent, double AssumedSessionMinutes, IdleHolderResponse[] IdleHolders);

/// <summary>A user who held seats while idle: from the last reported activity of each session to its end.</summary>
internal sealed record IdleHolderResponse(string User, int Sessions, double IdleMinutes, double IdleSeatMinutes, double LongestIdleMinutes)
{
    public static IdleHolderResponse From(IdleHolder h) => new(h.User, h.Sessions, Math.Round(h.IdleTime.TotalMinutes, 2),
        Math.Round(h.IdleSeatTime.TotalMinutes, 2), Math.Round(h.LongestIdle.TotalMinutes, 2));
}

/// <summary>The users who held seats longest while idle over a period.</summary>
internal sealed record IdleHoldersResponse(string LicenseId, DateTimeOffset From, DateTimeOffset To, IdleHolderResponse[] Holders);
