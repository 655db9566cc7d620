using Leasehold.Core;
using Leasehold.Core.Policies;
using Leasehold.Core.Usage;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Usage;

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
        return TypedResults.Ok(ConcurrencyResponse.Of(reported, size, buckets));
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
            [.. live.Select(h => new HolderResponse(h.SessionId, h.User, h.Device, h.Client, h.Seats, h.Start))]));
    }
}
