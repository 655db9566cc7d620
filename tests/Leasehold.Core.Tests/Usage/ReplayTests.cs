using Leasehold.Core.Usage;

namespace Leasehold.Core.Tests.Usage;

/// <summary>The what-if replay and the right-size search on small histories built by hand.</summary>
public sealed class ReplayTests
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static Holding Session(string user, double fromMinutes, double toMinutes, int seats = 1, string? key = null) =>
        new("ses-" + user + fromMinutes, user, "pc", "desktop", key ?? "s:" + user + fromMinutes, seats,
            Nine.AddMinutes(fromMinutes), Nine.AddMinutes(toMinutes));

    [Fact]
    public void WhatIf_FewerSeats_RefusesTheLateComerAndCountsTheOverage()
    {
        // Three seats were bought and used at once for 15 minutes.
        Holding[] history = [Session("ann", 0, 60), Session("bob", 15, 60), Session("cat", 30, 45)];

        var two = Replay.WhatIf(history, [], 2);
        var three = Replay.WhatIf(history, [], 3);

        two.ShouldBe(new WhatIfResult(2, Attempts: 3, Refusals: 1, OverageMinutes: 15, OverageSeatMinutes: 15));
        three.ShouldBe(new WhatIfResult(3, 3, 0, 0, 0));
        Replay.WhatIf(history, [], 1).ShouldBe(new WhatIfResult(1, 3, 2, 45, 60));
    }

    [Fact]
    public void WhatIf_MoreSeats_AdmitsPastRefusals_ForTheMedianSessionLength()
    {
        // One seat: ann held it 9:00-10:00, bob was refused at 9:30 and 9:40.
        Holding[] history = [Session("ann", 0, 60)];
        Refusal[] refused = [new(Nine.AddMinutes(30), "bob", "desktop", "s:bob1", 1), new(Nine.AddMinutes(40), "bob", "desktop", "s:bob2", 1)];

        Replay.AssumedLength(history).ShouldBe(TimeSpan.FromMinutes(60));
        // Demand: 1 seat until 9:30, 2 until 9:40, 3 until 10:00, 2 until 10:30, 1 until 10:40.
        Replay.WhatIf(history, refused, 1).ShouldBe(new WhatIfResult(1, 3, 2, OverageMinutes: 60, OverageSeatMinutes: 80));
        // With two seats the 9:30 refusal gets in and holds its seat until 10:30, so the 9:40 one is still refused.
        Replay.WhatIf(history, refused, 2).ShouldBe(new WhatIfResult(2, 3, 1, 20, 20));
        Replay.WhatIf(history, refused, 3).Refusals.ShouldBe(0);
    }

    [Fact]
    public void RightSize_IsTheSmallestCountWithinTheTarget()
    {
        Holding[] history = [Session("ann", 0, 60), Session("bob", 15, 60), Session("cat", 30, 45), Session("dan", 50, 70)];

        Replay.RightSize(history, [], maxRefusals: 0).RecommendedSeats.ShouldBe(3);
        // Two seats refuse cat (9:30) and dan (9:50): both arrive while ann and bob hold them.
        Replay.RightSize(history, [], maxRefusals: 1).RecommendedSeats.ShouldBe(3);
        Replay.RightSize(history, [], maxRefusals: 2).RecommendedSeats.ShouldBe(2);
        Replay.RightSize(history, [], maxRefusals: 3).RecommendedSeats.ShouldBe(1);
        Replay.RightSize(history, [], maxRefusals: 0).PeakDemand.ShouldBe(3);
        Replay.RightSize([], [], 0).RecommendedSeats.ShouldBe(0);
    }

    [Fact]
    public void WhatIf_SessionsSharingASeatKey_NeedOneSeat_AndWeightsCountInFull()
    {
        Holding[] sameUser = [Session("ann", 0, 60, key: "u:ANN"), Session("ann", 10, 50, key: "u:ANN")];
        Replay.WhatIf(sameUser, [], 1).Refusals.ShouldBe(0);

        Holding[] integration = [Session("sync", 0, 60, seats: 3), Session("ann", 10, 20)];
        Replay.WhatIf(integration, [], 3).ShouldBe(new WhatIfResult(3, 2, 1, 10, 10));
        Replay.RightSize(integration, [], 0).RecommendedSeats.ShouldBe(4);
    }

    [Fact]
    public void WhatIf_MatchesANaiveReplay_AndRightSizeIsTheFirstCountWithinTheTarget_OverRandomHistories()
    {
        var random = new Random(16);
        for (var run = 0; run < 500; run++)
        {
            var history = Enumerable.Range(0, random.Next(0, 30)).Select(i =>
            {
                var start = random.Next(0, 300);
                return new Holding("s" + i, "u" + random.Next(6), "pc", "desktop", random.Next(4) == 0 ? "u:U" + random.Next(3) : "s:" + i, 1,
                    Nine.AddMinutes(start), Nine.AddMinutes(start + random.Next(0, 120)));
            }).ToList();
            var refused = Enumerable.Range(0, random.Next(0, 6))
                .Select(i => new Refusal(Nine.AddMinutes(random.Next(0, 300)), "r" + i, "web", "s:r" + i, 1)).ToList();
            var assumed = Replay.AssumedLength(history);
            var attempts = history.Concat(refused.Select((r, i) => new Holding("refusal-" + i, r.User, null, r.Client, r.SeatKey, r.Seats, r.At, r.At + assumed)))
                .OrderBy(a => a.Start).ToList();
            var peak = Replay.RightSize(history, refused, int.MaxValue).PeakDemand;

            var counts = Enumerable.Range(0, peak + 1).Select(n => Replay.WhatIf(history, refused, n).Refusals).ToList();

            counts.ShouldBe(Enumerable.Range(0, peak + 1).Select(n => NaiveRefusals(attempts, n)).ToList(), $"run {run}");
            counts[^1].ShouldBe(0, $"run {run}: the peak of demand admits everyone");
            for (var target = 0; target <= 3; target++)
                Replay.RightSize(history, refused, target).RecommendedSeats.ShouldBe(counts.FindIndex(c => c <= target), $"run {run}, target {target}");
        }
    }

    /// <summary>First come, first served, rescanning everyone live at each attempt.</summary>
    private static int NaiveRefusals(List<Holding> attempts, int seats)
    {
        var live = new List<Holding>();
        var refused = 0;
        foreach (var a in attempts)
        {
            live.RemoveAll(h => h.End <= a.Start);
            var inUse = live.GroupBy(h => h.SeatKey).Sum(g => g.Max(h => h.Seats));
            var held = live.Where(h => h.SeatKey == a.SeatKey).Select(h => h.Seats).DefaultIfEmpty(0).Max();
            if (Math.Max(0, a.Seats - held) > 0 && inUse + a.Seats - held > seats)
                refused++;
            else
                live.Add(a);
        }
        return refused;
    }

    [Fact]
    public void IdleHolders_RankUsersBySeatTimeHeldWhileIdle()
    {
        UsageEvent End(string user, double activeUntil, double endedAt, int seats = 1, string reason = "idle") =>
            new("t", "l", "s-" + user + endedAt, Nine.AddMinutes(endedAt), UsageKind.Ended, reason, user, "pc", "desktop", seats)
            {
                LastActivityAt = Nine.AddMinutes(activeUntil),
            };

        var ranked = IdleHolders.Rank(
            [End("ann", 0, 60), End("bob", 50, 60, reason: "released"), End("bob", 0, 20, reason: "expired"), End("cat", 0, 10, seats: 4),
             End("dan", 0, 500, seats: 0)], top: 2);

        ranked.Select(r => r.User).ShouldBe(["ann", "cat"]);
        ranked[0].ShouldBe(new IdleHolder("ann", 1, TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(60)));
        ranked[1].IdleSeatTime.ShouldBe(TimeSpan.FromMinutes(40));
        ranked[1].IdleTime.ShouldBe(TimeSpan.FromMinutes(10));
    }
}
