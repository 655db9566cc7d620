using System.Globalization;
using NodaTime;
using NodaTime.TimeZones;

namespace Leasehold.Core.Access;

/// <summary>
/// Whether a connection is open at an instant, and when that changes. When open, <see cref="ClosesAt"/> is the next
/// instant access ends (null: never) and <see cref="OpensAt"/> is null; when closed, <see cref="OpensAt"/> is the next
/// instant it opens (null: never) and <see cref="ClosesAt"/> is null. Instants are in UTC; see
/// <see cref="AccessSchedule.ToLocalOffset"/> and <see cref="AccessSchedule.DescribeLocal"/> for showing them.
/// </summary>
public sealed record AccessState(bool IsOpen, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt);

/// <summary>
/// Evaluates an <see cref="AccessPlan"/> in a tenant's IANA time zone (NodaTime's bundled tzdb, so every machine agrees).
/// <para>
/// Local times become instants by the wall clock: a time is reached at the first instant the tenant's clock shows it
/// or a later time. So a local time inside a DST gap (skipped when clocks go forward) shifts forward to the end of the
/// gap - 02:30 on the spring-forward night in Berlin is reached at 03:00 CEST - and an ambiguous local time (repeated
/// when clocks go back) takes the earlier of its two instants - 02:30 on the fall-back night is 02:30 CEST. This
/// mapping never goes backwards, so windows that touch or overlap on the wall clock still touch or overlap as
/// instants; a window or maintenance period that lies wholly inside a gap is empty that day.
/// </para>
/// <para>
/// The weekly timetable is laid out for <see cref="HorizonDays"/> days ahead of each point looked at, and the search
/// for the next opening jumps over each maintenance window at most once, so evaluation is bounded and never loops.
/// </para>
/// </summary>
public static class AccessSchedule
{
    /// <summary>How many local days ahead of an instant its weekly windows are laid out (8 weeks).</summary>
    public const int HorizonDays = 56;

    /// <summary>Days laid out before the instant's local date, to catch windows that started earlier (overnight).</summary>
    private const int LookbackDays = 2;

    // Ambiguous: the earlier instant. Skipped: the first instant after the gap (where the wall clock has passed it).
    private static readonly ZoneLocalMappingResolver WallClock =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    private static readonly Instant LatestOffsetInstant = Instant.FromDateTimeOffset(DateTimeOffset.MaxValue);

    public static AccessState Evaluate(AccessPlan plan, string timeZoneId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var zone = ZoneOf(timeZoneId);
        var timetable = new Timetable(plan, zone);
        var maintenance = MaintenanceSpans(plan, zone);
        var now = Instant.FromDateTimeOffset(at);

        if (Containing(maintenance, now) is null && timetable.At(now) is { IsOpen: true } weekly)
        {
            var closes = weekly.Next;
            foreach (var span in maintenance)
            {
                if (span.Start <= now)
                    continue;
                if (closes is null || span.Start < closes)
                    closes = span.Start;
                break;
            }

            return new AccessState(true, null, ToOffset(closes));
        }

        return new AccessState(false, ToOffset(NextOpening(timetable, maintenance, now)), null);
    }

    /// <summary>"Monday 07:00 (Europe/Berlin)": the instant's day and time on the tenant's wall clock, for messages.</summary>
    public static string DescribeLocal(DateTimeOffset instant, string timeZoneId)
    {
        var zone = ZoneOf(timeZoneId);
        var local = Instant.FromDateTimeOffset(instant).InZone(zone).LocalDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{local.DayOfWeek} {local.Hour:00}:{local.Minute:00} ({zone.Id})");
    }

    /// <summary>The same instant, carrying the zone's UTC offset at that instant.</summary>
    public static DateTimeOffset ToLocalOffset(DateTimeOffset instant, string timeZoneId) =>
        Instant.FromDateTimeOffset(instant).InZone(ZoneOf(timeZoneId)).ToDateTimeOffset();

    private static DateTimeZone ZoneOf(string timeZoneId) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId ?? throw new ArgumentNullException(nameof(timeZoneId)))
        ?? throw new ArgumentException($"Unknown IANA time zone '{timeZoneId}'.", nameof(timeZoneId));

    private static Instant ToInstant(LocalDateTime local, DateTimeZone zone) => zone.ResolveLocal(local, WallClock).ToInstant();

    private static DateTimeOffset? ToOffset(Instant? instant) =>
        instant is { } value && value <= LatestOffsetInstant ? value.ToDateTimeOffset() : null;

    /// <summary>
    /// Starting at <paramref name="from"/> (closed), the first instant that is inside the timetable and outside every
    /// maintenance span. Each turn either jumps past one maintenance span (never revisited: spans are merged and sorted
    /// and time only moves forward) or to a timetable opening (after which the next turn returns or jumps past
    /// maintenance), so 2 * spans + 2 turns always suffice.
    /// </summary>
    private static Instant? NextOpening(Timetable timetable, List<Span> maintenance, Instant from)
    {
        var t = from;
        for (var turn = 0; turn < (2 * maintenance.Count) + 2; turn++)
        {
            if (Containing(maintenance, t) is { } span)
            {
                t = span.End;
                continue;
            }

            var weekly = timetable.At(t);
            if (weekly.IsOpen)
                return t;
            if (weekly.Next is not { } opens)
                return null;
            t = opens;
        }

        return null;
    }

    private static Span? Containing(List<Span> spans, Instant t)
    {
        foreach (var span in spans)
        {
            if (span.Start > t)
                break;
            if (t < span.End)
                return span;
        }

        return null;
    }

    private static List<Span> MaintenanceSpans(AccessPlan plan, DateTimeZone zone)
    {
        var spans = new List<Span>(plan.Maintenance.Count);
        foreach (var window in plan.Maintenance)
        {
            var span = new Span(ToInstant(window.From, zone), ToInstant(window.To, zone));
            if (span.End > span.Start)
                spans.Add(span);
        }

        return Merge(spans);
    }

    /// <summary>Sorts spans and joins those that overlap or touch, so every end in the result is a real change.</summary>
    private static List<Span> Merge(List<Span> spans)
    {
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<Span>(spans.Count);
        foreach (var span in spans)
        {
            if (merged.Count > 0 && span.Start <= merged[^1].End)
            {
                if (span.End > merged[^1].End)
                    merged[^1] = merged[^1] with { End = span.End };
            }
            else
            {
                merged.Add(span);
            }
        }

        return merged;
    }

    /// <summary>A half-open span of time [Start, End).</summary>
    private readonly record struct Span(Instant Start, Instant End);

    /// <summary>Open or not; <see cref="Next"/> is when that changes (null: never).</summary>
    private readonly record struct Edge(bool IsOpen, Instant? Next);

    private enum Coverage
    {
        Never,
        Partly,
        Always,
    }

    /// <summary>The weekly part of a plan (or "always"), ignoring maintenance.</summary>
    private sealed class Timetable
    {
        private readonly AccessPlan _plan;
        private readonly DateTimeZone _zone;
        private readonly Coverage _coverage;

        public Timetable(AccessPlan plan, DateTimeZone zone)
        {
            _plan = plan;
            _zone = zone;
            _coverage = plan.Kind == AccessPlanKind.Always ? Coverage.Always : WeekCoverage(plan.Windows);
        }

        public Edge At(Instant t)
        {
            switch (_coverage)
            {
                case Coverage.Always:
                    return new Edge(true, null);
                case Coverage.Never:
                    return new Edge(false, null);
            }

            // Some part of every week is closed on the wall clock, so within the horizon there is both an opening and a
            // closing (a DST gap can swallow a short closed stretch once, never for weeks on end).
            foreach (var span in Occurrences(t))
            {
                if (span.Start > t)
                    return new Edge(false, span.Start);
                if (t < span.End)
                    return new Edge(true, span.End);
            }

            return new Edge(false, null);
        }

        /// <summary>The windows' occurrences around <paramref name="t"/>, as merged instant spans.</summary>
        private List<Span> Occurrences(Instant t)
        {
            var today = t.InZone(_zone).Date;
            var spans = new List<Span>();
            for (var offset = -LookbackDays; offset <= HorizonDays; offset++)
            {
                // Stop short of the calendar's last day, where an overnight window's end cannot be represented.
                if (offset >= Period.DaysBetween(today, LocalDate.MaxIsoValue))
                    break;
                var date = today.PlusDays(offset);
                foreach (var window in _plan.Windows)
                {
                    if (!window.IsValid || !window.Days.Contains(date.DayOfWeek))
                        continue;
                    var endDate = window.To > window.From ? date : date.PlusDays(1);
                    var span = new Span(ToInstant(date + window.From, _zone), ToInstant(endDate + window.To, _zone));
                    if (span.End > span.Start)
                        spans.Add(span);
                }
            }

            return Merge(spans);
        }

        /// <summary>Whether the windows, laid on one wall-clock week, cover none, some or all of it.</summary>
        private static Coverage WeekCoverage(IReadOnlyList<WeeklyWindow> windows)
        {
            const long Day = NodaConstants.TicksPerDay;
            const long Week = 7 * Day;
            var parts = new List<(long Start, long End)>();
            foreach (var window in windows)
            {
                if (!window.IsValid)
                    continue;
                var from = window.From.TickOfDay;
                var length = window.To > window.From ? window.To.TickOfDay - from : Day - from + window.To.TickOfDay;
                foreach (var day in window.Days.Distinct())
                {
                    if (day is < IsoDayOfWeek.Monday or > IsoDayOfWeek.Sunday)
                        continue;
                    var start = (((int)day - 1) * Day) + from;
                    var end = start + length;
                    if (end <= Week)
                    {
                        parts.Add((start, end));
                    }
                    else
                    {
                        parts.Add((start, Week));
                        parts.Add((0, end - Week));
                    }
                }
            }

            if (parts.Count == 0)
                return Coverage.Never;

            parts.Sort();
            var coveredTo = 0L;
            foreach (var (start, end) in parts)
            {
                if (start > coveredTo)
                    return Coverage.Partly;
                coveredTo = Math.Max(coveredTo, end);
            }

            return coveredTo >= Week ? Coverage.Always : Coverage.Partly;
        }
    }
}
