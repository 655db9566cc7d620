using Leasehold.Core.Queue;
using Leasehold.Core.Usage;

namespace Leasehold.Core.Tests.Usage;

/// <summary>The waiting line in reports: the counts and durations per bucket, and right-sizing that replays waits as demand.</summary>
public sealed class LineHistoryTests
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static WaitEvent Event(string entry, WaitEventKind kind, double atMinutes, double waitedMinutes = 0, string? session = null) =>
        new("t", "l", entry, Nine.AddMinutes(atMinutes), kind, "u-" + entry, "pc", "desktop", 1, TimeSpan.FromMinutes(waitedMinutes)) { SessionId = session };

    private static Holding Session(string id, double fromMinutes, double toMinutes, int seats = 1) =>
        new(id, "u-" + id, "pc", "desktop", "s:" + id, seats, Nine.AddMinutes(fromMinutes), Nine.AddMinutes(toMinutes));

    private static PastWait Granted(string entry, double joinedMinutes, double grantedMinutes, string session, int seats = 1) =>
        new(entry, "u-" + entry, "desktop", seats, Nine.AddMinutes(joinedMinutes), Nine.AddMinutes(grantedMinutes), WaitEventKind.Granted, session);

    private static PastWait GaveUp(string entry, double joinedMinutes, double endedMinutes, WaitEventKind how = WaitEventKind.TimedOut) =>
        new(entry, "u-" + entry, "desktop", 1, Nine.AddMinutes(joinedMinutes), Nine.AddMinutes(endedMinutes), how, null);

    [Fact]
    public void Buckets_CountEachEventWhereItHappened_AndTheDurationsOfTheWaitsGrantedThere()
    {
        WaitEvent[] events =
        [
            Event("a", WaitEventKind.Joined, 5), Event("b", WaitEventKind.Joined, 10), Event("c", WaitEventKind.Joined, 20),
            Event("a", WaitEventKind.Offered, 30, 25), Event("a", WaitEventKind.Granted, 31, 26, "ses-a"),
            Event("c", WaitEventKind.TimedOut, 50, 30),
            Event("b", WaitEventKind.Offered, 62, 52), Event("b", WaitEventKind.OfferLapsed, 63, 53),
            Event("d", WaitEventKind.Joined, 70), Event("d", WaitEventKind.Granted, 75, 5, "ses-d"),
            Event("e", WaitEventKind.Joined, 80), Event("e", WaitEventKind.Left, 81, 1), Event("f", WaitEventKind.Joined, 85), Event("f", WaitEventKind.Expired, 100, 15),
            Event("z", WaitEventKind.Joined, 130), // after the last bucket
        ];

        var hours = LineHistory.Buckets(events, [Nine, Nine.AddHours(1), Nine.AddHours(2)]);

        hours[0].ShouldBe(new WaitStats(Nine, Nine.AddHours(1), Started: 3, Granted: 1, Left: 0, Expired: 0, TimedOut: 1, OfferLapsed: 0,
            new WaitDurations(TimeSpan.FromMinutes(26), TimeSpan.FromMinutes(26), TimeSpan.FromMinutes(26))));
        hours[1].ShouldBe(new WaitStats(Nine.AddHours(1), Nine.AddHours(2), 3, 1, 1, 1, 0, 1,
            new WaitDurations(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5))));
        hours[1].GivenUp.ShouldBe(3);

        var period = LineHistory.Summarize(events, Nine, Nine.AddHours(2));
        (period.Started, period.Granted, period.GivenUp).ShouldBe((6, 2, 4));
        period.Durations.ShouldBe(new WaitDurations(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(26), TimeSpan.FromMinutes(26)));
        LineHistory.Summarize([], Nine, Nine.AddHours(1)).Durations.ShouldBeNull();
    }

    [Fact]
    public void Durations_AreNearestRank_TimesThatReallyWereWaited()
    {
        var minutes = Enumerable.Range(1, 20).Select(m => TimeSpan.FromMinutes(m)).Reverse();

        LineHistory.Durations(minutes).ShouldBe(new WaitDurations(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(19), TimeSpan.FromMinutes(20)));
        LineHistory.Durations([TimeSpan.FromSeconds(7)]).ShouldBe(new WaitDurations(TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7)));
        LineHistory.Durations([]).ShouldBeNull();
    }

    [Fact]
    public void From_PairsEachJoinWithItsEnd_AnOfferIsNoEnd_AndEndsOfEarlierJoinsAreIgnored()
    {
        var waits = LineHistory.From(
        [
            Event("old", WaitEventKind.Granted, 1, 70, "ses-old"),
            Event("b", WaitEventKind.Joined, 10), Event("a", WaitEventKind.Joined, 5),
            Event("a", WaitEventKind.Offered, 30, 25), Event("a", WaitEventKind.Granted, 31, 26, "ses-a"),
        ]);

        waits.ShouldBe(
        [
            new PastWait("a", "u-a", "desktop", 1, Nine.AddMinutes(5), Nine.AddMinutes(31), WaitEventKind.Granted, "ses-a"),
            new PastWait("b", "u-b", "desktop", 1, Nine.AddMinutes(10), null, null, null),
        ]);
    }

    /// <summary>
    /// One seat: ann 9:00-9:30; bob waits from 9:10 and is granted at 9:31 (his session until 10:00); carl waits
    /// from 9:20 and times out at 9:50; dana waits from 9:45 and is granted at 10:01 (until 10:30).
    /// </summary>
    [Fact]
    public void AWaitIsDemandFromItsJoin_ReplayedFirstComeFirstServed()
    {
        Holding[] sessions = [Session("ann", 0, 30), Session("bob", 31, 60), Session("dana", 61, 90)];
        PastWait[] waits = [Granted("w-bob", 10, 31, "bob"), GaveUp("w-carl", 20, 50), Granted("w-dana", 45, 61, "dana")];

        // One seat: bob gets ann's at 9:30 (20 minutes), carl gives up behind him (30 minutes: a refusal), dana gets bob's at 9:59.
        var one = Replay.WhatIf(sessions, [], waits, 1, threshold: TimeSpan.FromMinutes(15));
        one.ShouldBe(new WhatIfResult(1, Attempts: 4, Refusals: 1, OverageMinutes: one.OverageMinutes, OverageSeatMinutes: one.OverageSeatMinutes)
        {
            Waits = new WaitReplay(3, Served: 2, Longest: TimeSpan.FromMinutes(30), OverThreshold: 2),
        });
        // Two: bob at once, carl at 9:30 (10 minutes, then the median session, 29 minutes), dana at once (bob left at 9:39).
        Replay.WhatIf(sessions, [], waits, 2, threshold: TimeSpan.FromMinutes(15)).Waits.ShouldBe(new WaitReplay(3, 3, TimeSpan.FromMinutes(10), 0));
        Replay.WhatIf(sessions, [], waits, 2).Refusals.ShouldBe(0);
        Replay.WhatIf(sessions, [], waits, 3).Waits.Longest.ShouldBe(TimeSpan.Zero);

        Replay.RightSize(sessions, [], waits, maxRefusals: 0).RecommendedSeats.ShouldBe(2);
        Replay.RightSize(sessions, [], waits, maxRefusals: 1).RecommendedSeats.ShouldBe(1);
        Replay.RightSize(sessions, [], waits, maxRefusals: 1, maxWait: TimeSpan.FromMinutes(10)).RecommendedSeats.ShouldBe(2);
        var strict = Replay.RightSize(sessions, [], waits, maxRefusals: 0, maxWait: TimeSpan.FromMinutes(5));
        strict.RecommendedSeats.ShouldBe(3);
        strict.PeakDemand.ShouldBe(3);
        strict.AtRecommended.Waits.ShouldBe(new WaitReplay(3, 3, TimeSpan.Zero, 0));
        // Without the waits, the history knows no demand beyond one seat.
        Replay.RightSize(sessions, [], maxRefusals: 0).RecommendedSeats.ShouldBe(1);
    }

    [Fact]
    public void TheLineIsStrict_AHeavyHeadIsNotPassed_AndACheckoutThatDidNotWaitIsRefusedWhileAnyoneWaits()
    {
        // Three seats. ann holds one 9:00-10:00, bob one 9:00-9:20. The integration (weight 2) waits from 9:05;
        // at 9:10 one seat is free, but not two: eve (checking out without waiting) is refused, fred waits behind it.
        Holding[] sessions = [Session("ann", 0, 60), Session("bob", 0, 20), Session("sync", 20, 50, seats: 2), Session("eve", 10, 11), Session("fred", 30, 40)];
        PastWait[] waits = [Granted("w-sync", 5, 20, "sync", seats: 2), Granted("w-fred", 12, 50, "fred")];

        var three = Replay.WhatIf(sessions, [], waits, 3);

        three.Refusals.ShouldBe(1);
        // sync gets both seats when bob leaves at 9:20 (15 minutes); fred waits for one of them until 9:50 (38 minutes), not for ann's.
        three.Waits.ShouldBe(new WaitReplay(2, 2, TimeSpan.FromMinutes(38), 0));
    }

    [Fact]
    public void AnOpenWait_WaitsUntilThePeriodsEnd_AndIsNoRefusal()
    {
        Holding[] sessions = [Session("ann", 0, 120)];
        PastWait[] waits = [new("w-bob", "u-bob", "desktop", 1, Nine.AddMinutes(30), null, null, null)];

        var one = Replay.WhatIf(sessions, [], waits, 1, until: Nine.AddMinutes(90));

        one.Refusals.ShouldBe(0);
        one.Waits.ShouldBe(new WaitReplay(1, 0, TimeSpan.FromMinutes(60), 0));
        Replay.WhatIf(sessions, [], waits, 2, until: Nine.AddMinutes(90)).Waits.Served.ShouldBe(1);
    }

    [Fact]
    public void OverRandomHistories_ThePeakOfDemandLetsNobodyWait_AndTheRecommendationMeetsItsTargets()
    {
        var random = new Random(17);
        for (var run = 0; run < 300; run++)
        {
            var sessions = new List<Holding>();
            var waits = new List<PastWait>();
            var count = random.Next(0, 25);
            for (var i = 0; i < count; i++)
            {
                var start = random.Next(0, 300);
                var length = random.Next(0, 90);
                if (random.Next(3) > 0)
                {
                    sessions.Add(Session("s" + i, start, start + length, seats: random.Next(4) == 0 ? 2 : 1));
                    continue;
                }
                var waited = random.Next(0, 40);
                waits.Add(random.Next(3) switch
                {
                    0 => GaveUp("w" + i, start, start + waited, random.Next(2) == 0 ? WaitEventKind.Left : WaitEventKind.TimedOut),
                    1 => new PastWait("w" + i, "u-w" + i, "desktop", 1, Nine.AddMinutes(start), null, null, null),
                    _ => Granted("w" + i, start, start + waited, "g" + i),
                });
                if (waits[^1].Granted)
                    sessions.Add(Session("g" + i, start + waited, start + waited + length));
            }
            var until = Nine.AddMinutes(400);
            var maxWait = TimeSpan.FromMinutes(random.Next(0, 30));

            var sized = Replay.RightSize(sessions, [], waits, maxRefusals: 0, maxWait, until);
            var peak = Replay.WhatIf(sessions, [], waits, sized.PeakDemand, until, maxWait);

            peak.Refusals.ShouldBe(0, $"run {run}");
            peak.Waits.Longest.ShouldBe(TimeSpan.Zero, $"run {run}");
            peak.Waits.Served.ShouldBe(waits.Count, $"run {run}");
            sized.RecommendedSeats.ShouldBeLessThanOrEqualTo(sized.PeakDemand);
            sized.AtRecommended.Refusals.ShouldBe(0, $"run {run}");
            sized.AtRecommended.Waits.Longest.ShouldBeLessThanOrEqualTo(maxWait, $"run {run}");
            sized.AtRecommended.Waits.OverThreshold.ShouldBe(0, $"run {run}");
            // Without waits the replay is what it always was.
            var plain = sessions.Where(s => !s.SessionId.StartsWith('g')).ToList();
            Replay.WhatIf(plain, [], [], 1).ShouldBe(Replay.WhatIf(plain, [], 1));
        }
    }
}
