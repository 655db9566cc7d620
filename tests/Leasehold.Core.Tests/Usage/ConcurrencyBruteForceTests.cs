using Leasehold.Core.Usage;

namespace Leasehold.Core.Tests.Usage;

/// <summary>
/// Peaks and utilisation from the sweep over events, checked against a brute force that looks at
/// every minute, over thousands of seeded random histories (whole-minute times, so minutes are exact).
/// </summary>
public sealed class ConcurrencyBruteForceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PeaksAndSeatTime_MatchBruteForce_OverRandomHistories()
    {
        var random = new Random(20260302);
        for (var run = 0; run < 3000; run++)
        {
            var span = random.Next(30, 600);
            var events = RandomEvents(random, span, random.Next(0, 25), out var openUntil);
            var holdings = Holdings.From(events, openUntil);
            var boundaries = RandomBoundaries(random, span);

            var stats = Concurrency.Buckets(Concurrency.Timeline(holdings), boundaries);

            stats.Count.ShouldBe(boundaries.Count - 1);
            for (var b = 0; b < stats.Count; b++)
            {
                var (seats, sessions, seatMinutes) = BruteForce(events, openUntil, boundaries[b], boundaries[b + 1]);
                var why = $"run {run}, bucket {b} [{boundaries[b]:HH:mm}, {boundaries[b + 1]:HH:mm})";
                stats[b].PeakSeats.ShouldBe(seats, why);
                stats[b].PeakSessions.ShouldBe(sessions, why);
                stats[b].SeatMilliseconds.ShouldBe(seatMinutes * 60_000L, why);
            }
        }
    }

    [Fact]
    public void DaysCombinedFromHours_EqualDaysComputedDirectly()
    {
        var random = new Random(7);
        for (var run = 0; run < 1000; run++)
        {
            var holdings = Holdings.From(RandomEvents(random, 3 * 24 * 60, random.Next(0, 40), out var openUntil, step: 37), openUntil);
            var timeline = Concurrency.Timeline(holdings);
            var hours = TimeBuckets.Covering(BucketSize.Hour, "Europe/Berlin", T0, T0.AddDays(3));
            var days = TimeBuckets.Covering(BucketSize.Day, "Europe/Berlin", T0, T0.AddDays(3));

            var combined = Concurrency.Combine(Concurrency.Buckets(timeline, hours), days);
            var direct = Concurrency.Buckets(timeline, days);

            combined.ShouldBe(direct, $"run {run}");
        }
    }

    [Fact]
    public void SharedSeatKey_CountsTheLargestWeightOnce()
    {
        var holdings = new List<Holding>
        {
            new("a", "alice", "pc", "desktop", "u:ALICE", 1, T0, T0.AddHours(2)),
            new("b", "alice", "tablet", "sync", "u:ALICE", 3, T0.AddHours(1), T0.AddHours(3)),
        };

        var stats = Concurrency.Buckets(Concurrency.Timeline(holdings), [T0, T0.AddHours(4)]);

        stats[0].PeakSeats.ShouldBe(3);
        stats[0].PeakSessions.ShouldBe(2);
        stats[0].SeatMilliseconds.ShouldBe((long)TimeSpan.FromHours(1 + 3 + 3).TotalMilliseconds);
        stats[0].AverageSeats(T0, T0.AddHours(4)).ShouldBe(7.0 / 4);
    }

    [Fact]
    public void AverageSeats_OfADayNotOver_IsOverThePartThatHasPassedSinceTheLicenseWasMade()
    {
        var (made, now) = (T0.AddHours(8), T0.AddHours(13));
        var holdings = new List<Holding>
        {
            new("a", "alice", "pc", "desktop", "s:a", 1, made, made.AddHours(3)),
            new("b", "bob", "pc", "desktop", "s:b", 1, made, now), // still open: held until now
        };
        var hours = Enumerable.Range(0, 25).Select(h => T0.AddHours(h)).ToList();

        var byHour = Concurrency.Buckets(Concurrency.Timeline(holdings), hours);
        var day = Concurrency.Combine(byHour, [T0, T0.AddHours(24)]).ShouldHaveSingleItem();

        day.AverageSeats(made, now).ShouldBe(8.0 / 5, "8 seat-hours over the 5 hours since the license was made");
        Concurrency.AverageSeats(byHour, made, now).ShouldBe(day.AverageSeats(made, now), "hours and their day agree");
        byHour[12].AverageSeats(made, now).ShouldBe(1);
        byHour[13].AverageSeats(made, now).ShouldBe(0, "an hour not begun has no average");
        day.AverageSeats(T0, T0.AddHours(24)).ShouldBe(8.0 / 24, "the whole day, once it is over");
    }

    /// <summary>Admitted and ended events of random sessions, shuffled: some never end (open until the end), some share seat keys.</summary>
    private static List<UsageEvent> RandomEvents(Random random, int span, int count, out DateTimeOffset openUntil, int step = 1)
    {
        openUntil = T0.AddMinutes(span);
        var events = new List<UsageEvent>();
        for (var i = 0; i < count; i++)
        {
            var start = random.Next(0, span) / step * step;
            var end = Math.Min(span, start + random.Next(0, span / 2 + 1) / step * step);
            var key = random.Next(3) == 0 ? "u:USER" + random.Next(3) : "s:" + i;
            var seats = random.Next(4); // 0: a named user or a check client, holding nothing
            events.Add(new UsageEvent("t", "l", "s" + i, T0.AddMinutes(start), UsageKind.Admitted, "admitted", "u", "d", "desktop", seats) { SeatKey = key });
            if (random.Next(5) > 0)
                events.Add(new UsageEvent("t", "l", "s" + i, T0.AddMinutes(end), UsageKind.Ended, "released", "u", "d", "desktop", seats));
            if (random.Next(10) == 0)
                events.Add(new UsageEvent("t", "l", null, T0.AddMinutes(start), UsageKind.Denied, "no_seat_available", "u", "d", "desktop", 1));
        }
        return [.. events.OrderBy(_ => random.Next())];
    }

    private static List<DateTimeOffset> RandomBoundaries(Random random, int span)
    {
        var boundaries = new List<DateTimeOffset> { T0.AddMinutes(random.Next(-20, 20)) };
        while (boundaries[^1] < T0.AddMinutes(span + 20))
            boundaries.Add(boundaries[^1].AddMinutes(random.Next(1, 90)));
        return boundaries;
    }

    /// <summary>Straight from the events: a session is live at a minute if admitted by then and not ended by then.</summary>
    private static (int Seats, int Sessions, long SeatMinutes) BruteForce(List<UsageEvent> events, DateTimeOffset openUntil,
        DateTimeOffset from, DateTimeOffset to)
    {
        var sessions = events.Where(e => e.Kind == UsageKind.Admitted)
            .Select(a => (a.SeatKey, a.Seats, Start: a.At,
                End: events.FirstOrDefault(e => e.Kind == UsageKind.Ended && e.SessionId == a.SessionId)?.At ?? openUntil))
            .ToList();
        int peakSeats = 0, peakSessions = 0;
        long seatMinutes = 0;
        for (var minute = from; minute < to; minute = minute.AddMinutes(1))
        {
            var live = sessions.Where(h => h.Start <= minute && minute < h.End).ToList();
            var seats = live.GroupBy(h => h.SeatKey).Sum(g => g.Max(h => h.Seats));
            peakSeats = Math.Max(peakSeats, seats);
            peakSessions = Math.Max(peakSessions, live.Count);
            seatMinutes += seats;
        }
        return (peakSeats, peakSessions, seatMinutes);
    }
}
