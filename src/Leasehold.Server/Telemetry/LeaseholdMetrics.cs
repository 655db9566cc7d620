using System.Diagnostics;
using System.Diagnostics.Metrics;
using Leasehold.Core;
using Leasehold.Core.Sessions;
using Leasehold.Server.Sessions.Signals;

namespace Leasehold.Server.Telemetry;

/// <summary>
/// The server's own instruments: the <c>Leasehold</c> meter and the <c>Leasehold</c> activity source
/// (docs/operations.md, "Metrics and traces", lists every instrument with its unit and labels). The
/// seat decision in Core stays pure: what it decided is measured here, in the server, by the
/// handlers, the store's writer and the reaper calling the methods below. Every label value is one
/// of a fixed set (outcomes, codes, end reasons) except <c>license_id</c>, whose series are capped
/// (<see cref="SeatGauges.MaxLicenseSeries"/>). Without a listener (<c>LEASEHOLD_METRICS=off</c>, no
/// OTLP) each call costs a check of <c>Enabled</c>; with one, tags go in a <see cref="TagList"/> on
/// the stack, so a call allocates nothing.
/// </summary>
internal sealed class LeaseholdMetrics
{
    public const string Name = "Leasehold";

    /// <summary>The spans around decisions. One per process: an <see cref="ActivitySource"/> is listened to by name, whoever made it.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly Counter<long> _checkouts;
    private readonly Counter<long> _checks;
    private readonly Counter<long> _heartbeats;
    private readonly Counter<long> _ended;
    private readonly Histogram<double> _decisionSeconds;
    private readonly Histogram<int> _writeBatch;
    private readonly Counter<long> _reaperPasses;
    private readonly Counter<long> _reaperEnded;
    private Func<int>? _writeQueueDepth;

    public LeaseholdMetrics(IMeterFactory meters, SeatGauges seats)
    {
        // From the host's factory: the meter and its gauges' callbacks go with the host (tests start many).
        var meter = meters.Create(Name);
        _checkouts = meter.CreateCounter<long>("leasehold.checkouts", "{checkout}",
            "Checkouts answered, by outcome (admitted, replayed, refused, invalid, not_found) and code.");
        _checks = meter.CreateCounter<long>("leasehold.checks", "{check}",
            "Pass/fail checks answered, by outcome (pass, fail, invalid, not_found) and code.");
        _heartbeats = meter.CreateCounter<long>("leasehold.heartbeats", "{heartbeat}",
            "Heartbeats answered, by outcome (ok, ended, not_found, token_invalid).");
        _ended = meter.CreateCounter<long>("leasehold.sessions.ended", "{session}",
            "Sessions this node ended, by reason (released, expired, idle, stopped, taken_over, ...).");
        _decisionSeconds = meter.CreateHistogram("leasehold.decision.duration", "s",
            "Time from a decision's start to its commit, by decision (checkout, check, heartbeat, release).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _writeBatch = meter.CreateHistogram("leasehold.store.write_batch.size", "{write}",
            "Writes the SQLite store's single writer committed in one transaction (group commit).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        _reaperPasses = meter.CreateCounter<long>("leasehold.reaper.passes", "{pass}", "Passes of the reaper (ending sessions whose heartbeats stopped or whose user went idle).");
        _reaperEnded = meter.CreateCounter<long>("leasehold.reaper.sessions_ended", "{session}", "Sessions the reaper ended.");
        meter.CreateObservableGauge("leasehold.store.write_queue.depth", ObserveWriteQueueDepth, "{write}",
            "Writes waiting for the SQLite store's single writer.");
        meter.CreateObservableGauge("leasehold.seats.in_use", seats.ObserveTotal, "{seat}", "Seats in use now, over every license.");
        meter.CreateObservableGauge("leasehold.license.seats.in_use", seats.ObservePerLicense, "{seat}",
            $"Seats in use now per license_id: the {SeatGauges.MaxLicenseSeries} licenses with the most, the rest summed as license_id=\"{SeatGauges.Other}\".");
        Seats = seats;
    }

    public SeatGauges Seats { get; }

    /// <summary>Starts timing a decision, and its span when anyone listens to <see cref="Source"/>.</summary>
    public static DecisionScope Start(string decision, string? licenseId = null, string? sessionId = null)
    {
        var activity = Source.StartActivity(DecisionKind.SpanName(decision), ActivityKind.Internal);
        if (activity is not null)
        {
            if (licenseId is not null)
                activity.SetTag("leasehold.license_id", licenseId);
            if (sessionId is not null)
                activity.SetTag("leasehold.session_id", sessionId);
        }
        return new DecisionScope(decision, Stopwatch.GetTimestamp(), activity);
    }

    public void Checkout(in DecisionScope scope, CheckoutResult? result)
    {
        var (outcome, code) = result switch
        {
            null => ("not_found", Codes.NotFound),
            CheckoutResult.Admitted { Replayed: true } => ("replayed", Codes.Admitted),
            CheckoutResult.Admitted a => ("admitted", HasWarning(a.Warnings, Codes.OverLimit) ? Codes.AdmittedOverLimit : Codes.Admitted),
            CheckoutResult.Denied d => ("refused", d.Code),
            CheckoutResult.Rejected r => ("invalid", r.Error.Code),
            _ => ("other", "other"),
        };
        if (result is CheckoutResult.Admitted { Replayed: false } admitted)
        {
            Seats.Changed();
            scope.Activity?.SetTag("leasehold.session_id", admitted.Session.Id);
        }
        Count(_checkouts, scope, outcome, code);
    }

    /// <summary>A checkout that joined the waiting line (outcome <c>waiting</c>, code <c>wait_joined</c>; a retry: <c>replayed</c>).</summary>
    public void Joined(in DecisionScope scope, bool replayed) =>
        Count(_checkouts, scope, replayed ? "replayed" : "waiting", "wait_joined");

    public void Check(in DecisionScope scope, CheckResult? result)
    {
        var (outcome, code) = result switch
        {
            null => ("not_found", Codes.NotFound),
            CheckResult.Answered a => (a.Pass ? "pass" : "fail", a.Code),
            CheckResult.Rejected r => ("invalid", r.Error.Code),
            _ => ("other", "other"),
        };
        Count(_checks, scope, outcome, code);
    }

    /// <param name="outcome">ok, ended (answered 410), not_found or token_invalid.</param>
    public void Heartbeat(in DecisionScope scope, string outcome, string? licenseId)
    {
        if (licenseId is not null)
            scope.Activity?.SetTag("leasehold.license_id", licenseId);
        Count(_heartbeats, scope, outcome, code: null);
    }

    /// <summary>A sign-off (or an admin's DELETE): ends are counted by <see cref="Ended"/>, so only its latency and span.</summary>
    public void Release(in DecisionScope scope, string outcome, string? licenseId)
    {
        if (licenseId is not null)
            scope.Activity?.SetTag("leasehold.license_id", licenseId);
        Record(scope, outcome, code: null);
    }

    /// <summary>Ends this node committed (every cause: sign-off, stop, takeover, heartbeat, reaper), from the store's publisher.</summary>
    public void Ended(IReadOnlyList<SessionEnd> ends)
    {
        Seats.Changed();
        if (!_ended.Enabled)
            return;
        foreach (var end in ends)
            _ended.Add(1, new KeyValuePair<string, object?>("reason", Codes.Of(end.Reason)));
    }

    public void ReaperPass(int ended)
    {
        _reaperPasses.Add(1);
        if (ended > 0)
            _reaperEnded.Add(ended);
    }

    public void WriteBatch(int size) => _writeBatch.Record(size);

    /// <summary>Where the write queue's depth is read (the SQLite store; PostgreSQL has no queue of its own).</summary>
    public void ObserveWriteQueue(Func<int> depth) => _writeQueueDepth = depth;

    private IEnumerable<Measurement<int>> ObserveWriteQueueDepth() =>
        _writeQueueDepth is { } depth ? [new Measurement<int>(depth())] : [];

    private static bool HasWarning(IReadOnlyList<Warning> warnings, string code)
    {
        for (var i = 0; i < warnings.Count; i++)
        {
            if (warnings[i].Code == code)
                return true;
        }
        return false;
    }

    private void Count(Counter<long> counter, in DecisionScope scope, string outcome, string? code)
    {
        if (counter.Enabled)
        {
            var tags = new TagList { { "outcome", outcome } };
            if (code is not null)
                tags.Add("code", code);
            counter.Add(1, tags);
        }
        Record(scope, outcome, code);
    }

    private void Record(in DecisionScope scope, string outcome, string? code)
    {
        if (_decisionSeconds.Enabled)
            _decisionSeconds.Record(Stopwatch.GetElapsedTime(scope.Started).TotalSeconds, new KeyValuePair<string, object?>("decision", scope.Decision));
        if (scope.Activity is { } activity)
        {
            activity.SetTag("leasehold.outcome", outcome);
            if (code is not null)
                activity.SetTag("leasehold.code", code);
        }
    }
}

/// <summary>The decisions measured: the <c>decision</c> label of the latency histogram, and the spans' names (<c>leasehold.checkout</c>, ...).</summary>
internal static class DecisionKind
{
    public const string Checkout = "checkout";
    public const string Check = "check";
    public const string Heartbeat = "heartbeat";
    public const string Release = "release";

    /// <summary>The span's name, a constant (no string built per call).</summary>
    public static string SpanName(string decision) => decision switch
    {
        Checkout => "leasehold.checkout",
        Check => "leasehold.check",
        Heartbeat => "leasehold.heartbeat",
        Release => "leasehold.release",
        _ => "leasehold." + decision,
    };
}

/// <summary>A decision being measured: when it started and its span (null when nobody listens). Disposing ends the span.</summary>
internal readonly struct DecisionScope(string decision, long started, Activity? activity) : IDisposable
{
    public string Decision { get; } = decision;
    public long Started { get; } = started;
    public Activity? Activity { get; } = activity;

    public void Dispose() => Activity?.Dispose();
}
