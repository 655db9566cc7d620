using Leasehold.Core;
using Leasehold.Core.Policies;
using Leasehold.Core.Queue;
using Leasehold.Core.Usage;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Usage;

/// <summary>
/// One bucket of a concurrency report. <paramref name="AverageSeats"/> is time-weighted over the part of the
/// bucket that has passed since the license was made; <paramref name="Utilisation"/> is it over the seat limit.
/// </summary>
internal sealed record BucketResponse(
    DateTimeOffset Start, DateTimeOffset End, int PeakSeats, int PeakSessions, double AverageSeats, double Utilisation,
    int Denials, int FailedChecks, int OverLimit, WaitsResponse Waits);

/// <summary>
/// The waiting line in a bucket or period: waits that started in it, and those that ended in it by how they ended
/// (<paramref name="GivenUp"/> is the four ends without a seat together). <paramref name="WaitSeconds"/> are the
/// waits granted in it, from join to grant (null: none was).
/// </summary>
internal sealed record WaitsResponse(int Started, int Granted, int GivenUp, int Left, int Expired, int TimedOut, int OfferLapsed, WaitSecondsResponse? WaitSeconds)
{
    public static WaitsResponse Of(WaitStats w) => new(w.Started, w.Granted, w.GivenUp, w.Left, w.Expired, w.TimedOut, w.OfferLapsed,
        w.Durations is { } d ? new(Seconds(d.P50), Seconds(d.P95), Seconds(d.Max)) : null);

    private static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 3);
}

/// <summary>How long granted waits lasted, in seconds: the median, the 95th percentile (nearest rank: a wait that really was) and the longest.</summary>
internal sealed record WaitSecondsResponse(double P50, double P95, double Max);

/// <summary>Peaks, utilisation, refusals and waits of one license per hour or day of the tenant's calendar, and the same over the period.</summary>
internal sealed record ConcurrencyResponse(
    string LicenseId, string TimeZone, string Bucket, int SeatLimit, DateTimeOffset From, DateTimeOffset To,
    int PeakSeats, int PeakSessions, double AverageSeats, double Utilisation, int Denials, int FailedChecks, int OverLimit, BucketResponse[] Buckets,
    WaitsResponse Waits)
{
    /// <param name="now">Where the observed time ends: the part of a bucket still to come is not counted as time without use.</param>
    /// <param name="waits">The waiting line's events of the buckets' span.</param>
    public static ConcurrencyResponse Of(ReportedLicense reported, BucketSize size, IReadOnlyList<BucketStats> buckets, IReadOnlyList<WaitEvent> waits, DateTimeOffset now)
    {
        var boundaries = buckets.Select(b => b.Start).Append(buckets[^1].End).ToList();
        var waitBuckets = LineHistory.Buckets(waits, boundaries);
        var (license, seats) = (reported.License, reported.License.Seats);
        var average = Concurrency.AverageSeats(buckets, license.CreatedAt, now);
        return new(license.Id, reported.TimeZone, size.ToString().ToLowerInvariant(), seats,
            UsageReports.Local(buckets[0].Start, reported), UsageReports.Local(buckets[^1].End, reported),
            buckets.Max(b => b.PeakSeats), buckets.Max(b => b.PeakSessions), Round(average), Round(average / seats),
            buckets.Sum(b => b.Denials), buckets.Sum(b => b.FailedChecks), buckets.Sum(b => b.OverLimit),
            [.. buckets.Select((b, i) => OfBucket(b, waitBuckets[i], reported, now))],
            WaitsResponse.Of(LineHistory.Summarize(waits, boundaries[0], boundaries[^1])));
    }

    private static BucketResponse OfBucket(BucketStats b, WaitStats waits, ReportedLicense reported, DateTimeOffset now)
    {
        var average = b.AverageSeats(reported.License.CreatedAt, now);
        return new(UsageReports.Local(b.Start, reported), UsageReports.Local(b.End, reported), b.PeakSeats, b.PeakSessions,
            Round(average), Round(average / reported.License.Seats), b.Denials, b.FailedChecks, b.OverLimit, WaitsResponse.Of(waits));
    }

    private static double Round(double value) => Math.Round(value, 4);
}

/// <summary>A session that held (or was admitted for) seats at the moment asked about.</summary>
internal sealed record HolderResponse(string SessionId, string User, string? Device, string Client, int Seats, DateTimeOffset StartedAt);

/// <summary>Who was using seats at one moment.</summary>
internal sealed record HoldersResponse(string LicenseId, DateTimeOffset At, int SeatsInUse, int SeatLimit, HolderResponse[] Holders);

/// <summary>Reports on one license: concurrency per hour or day, and who held seats at a moment.</summary>
internal static partial class UsageApi
{
    /// <summary>Hour buckets are for looking closely: at most this many days of them.</summary>
    public static readonly TimeSpan MaxHourlyPeriod = TimeSpan.FromDays(31);

    public static async Task<Results<Ok<ConcurrencyResponse>, ProblemHttpResult>> GetConcurrency(
        string id, string? from, string? to, string? bucket, Caller caller, [AsParameters] UsageServices services, CancellationToken ct)
    {
        if (await UsageReports.FindAsync(services.Tenants, id, caller.TenantScope, ct) is not { } reported)
            return Problems.NotFound("license");
        var now = services.Clock.Now();
        var p = new UsageParams(reported.TimeZone, now);
        var size = p.Choice(bucket, "bucket", BucketSize.Day);
        var period = p.Period(from, to, TimeSpan.FromDays(size == BucketSize.Day ? 30 : 1), size == BucketSize.Hour ? MaxHourlyPeriod : null);
        if (p.Errors.Count > 0)
            return Problems.Invalid(p.Errors);
        var boundaries = TimeBuckets.Covering(size, reported.TimeZone, period.From, period.To);
        var buckets = await UsageReports.BucketsAsync(services.Usage, reported, caller.TenantScope, boundaries, now, ct);
        var waits = await services.Usage.ReadWaitEventsAsync(reported.License.Id, caller.TenantScope, boundaries[0], boundaries[^1], ct);
        return TypedResults.Ok(ConcurrencyResponse.Of(reported, size, buckets, waits, now));
    }

    public static async Task<Results<Ok<HoldersResponse>, ProblemHttpResult>> GetHolders(
        string id, string? at, Caller caller, [AsParameters] UsageServices services, CancellationToken ct)
    {
        if (await UsageReports.FindAsync(services.Tenants, id, caller.TenantScope, ct) is not { } reported)
            return Problems.NotFound("license");
        var now = services.Clock.Now();
        var p = new UsageParams(reported.TimeZone, now);
        var moment = p.Time(at, "at") ?? now;
        if (p.Errors.Count > 0)
            return Problems.Invalid(p.Errors);
        var (_, events) = await UsageReports.RawHistoryAsync(services.Usage, reported, caller.TenantScope, moment, moment.AddMilliseconds(1), ct);
        var holdings = Holdings.From(events, moment.AddMilliseconds(1));
        var live = Concurrency.LiveAt(holdings, moment);
        var seats = Concurrency.SeatsAt(live, moment);
        return TypedResults.Ok(new HoldersResponse(reported.License.Id, UsageReports.Local(moment, reported), seats, reported.License.Seats,
            [.. live.Select(h => new HolderResponse(h.SessionId, h.User, h.Device, h.Client, h.Seats, UsageReports.Local(h.Start, reported)))]));
    }
}
