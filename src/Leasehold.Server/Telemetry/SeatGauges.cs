using System.Diagnostics;
using System.Diagnostics.Metrics;
using Leasehold.Core.Sessions;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Telemetry;

/// <summary>
/// The seats-in-use gauges, read when a collector asks (a scrape of <c>/metrics</c>, an OTLP export),
/// never on a checkout's path. They count as the licenses list does: the open sessions, those past
/// their deadline left out, seats shared on a connection once. One read of the seats in use serves
/// both gauges, and is used again until a checkout or an end on this node says it changed, or
/// <see cref="MaxAge"/> passes (ends decided on other PostgreSQL nodes, deadlines passing). On
/// PostgreSQL every node reports the deployment's seats: aggregate them with <c>max</c>, not <c>sum</c>.
/// </summary>
/// <param name="services">Where the store is found, at the first collection: the store needs the metrics (its writer's), so it cannot be handed over when they are made.</param>
internal sealed class SeatGauges(IServiceProvider services, TimeProvider clock, ILogger<SeatGauges> log)
{
    /// <summary>
    /// At most this many <c>license_id</c> series: those of the licenses with the most seats in use
    /// (ties by id); the seats of the rest are summed in one series labelled <see cref="Other"/>.
    /// A license with no seat in use has no series.
    /// </summary>
    public const int MaxLicenseSeries = 50;

    public const string Other = "other";

    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    /// <summary>How long a read of the seats in use may take before the gauges are left out of this collection.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private Snapshot? _last;
    private int _changed = 1;

    /// <summary>Seats changed on this node (a checkout, an end): the next collection reads them again. One write; no lock.</summary>
    public void Changed() => Volatile.Write(ref _changed, 1);

    public IEnumerable<Measurement<int>> ObserveTotal() =>
        Current() is { } snapshot ? [new Measurement<int>(snapshot.Total)] : [];

    public IEnumerable<Measurement<int>> ObservePerLicense() =>
        Current() is { } snapshot ? snapshot.PerLicense : [];

    private Snapshot? Current()
    {
        lock (_gate)
        {
            if (_last is { } last && Volatile.Read(ref _changed) == 0 && Stopwatch.GetElapsedTime(last.Taken) < MaxAge)
                return last;
            Volatile.Write(ref _changed, 0);
            try
            {
                _last = Read();
            }
            catch (Exception e)
            {
                // The store is down or slow: no seat gauges in this collection (/readyz says why), rather than old numbers.
                log.LogWarning(e, "Seats in use could not be read for the metrics");
                _last = null;
                Volatile.Write(ref _changed, 1);
            }
            return _last;
        }
    }

    private Snapshot Read()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        // A collector's callback is synchronous; this runs on the collecting request's thread, off every decision's path.
        var inUse = services.GetRequiredService<ISessionReads>().SeatsInUseAsync(null, null, clock.Now(), timeout.Token).GetAwaiter().GetResult();
        var byLicense = inUse.Select(l => (License: l.Key, Seats: l.Value)).ToList();
        byLicense.Sort((a, b) => b.Seats != a.Seats ? b.Seats.CompareTo(a.Seats) : string.CompareOrdinal(a.License, b.License));
        var perLicense = new List<Measurement<int>>(Math.Min(byLicense.Count, MaxLicenseSeries + 1));
        var total = 0;
        var rest = 0;
        for (var i = 0; i < byLicense.Count; i++)
        {
            total += byLicense[i].Seats;
            if (i < MaxLicenseSeries)
                perLicense.Add(new Measurement<int>(byLicense[i].Seats, new KeyValuePair<string, object?>("license_id", byLicense[i].License)));
            else
                rest += byLicense[i].Seats;
        }
        if (rest > 0)
            perLicense.Add(new Measurement<int>(rest, new KeyValuePair<string, object?>("license_id", Other)));
        return new Snapshot(Stopwatch.GetTimestamp(), total, perLicense);
    }

    private sealed record Snapshot(long Taken, int Total, IReadOnlyList<Measurement<int>> PerLicense);
}
