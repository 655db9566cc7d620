using Leasehold.Core.Usage;

namespace Leasehold.Core.Tests.Usage;

/// <summary>Which refusals fold into one event, and how every report counts an event that stands for several.</summary>
public sealed class RefusalCollapseTests
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static UsageEvent Event(UsageKind kind, string code, string user = "bob", string? device = "pc-2", string client = "desktop",
        DateTimeOffset? at = null, int count = 1) =>
        new("ten-1", "lic-1", null, at ?? Nine, kind, code, user, device, client, 1) { Count = count };

    [Theory]
    [InlineData(UsageKind.Denied, "no_seat_available", true)]
    [InlineData(UsageKind.Denied, "license_expired", true)]
    [InlineData(UsageKind.Checked, "no_seat_available", true)]
    [InlineData(UsageKind.Checked, "pass", false)]
    [InlineData(UsageKind.Admitted, "admitted", false)]
    [InlineData(UsageKind.Ended, "released", false)]
    public void Collapses_RefusalsAndFailedChecksOnly(UsageKind kind, string code, bool collapses) =>
        RefusalCollapse.Collapses(Event(kind, code)).ShouldBe(collapses);

    [Fact]
    public void Key_IsTheSameForTheSameRefusal_AndDiffersInAnyPart()
    {
        var key = RefusalCollapse.Key(Event(UsageKind.Denied, "no_seat_available"));

        RefusalCollapse.Key(Event(UsageKind.Denied, "no_seat_available", at: Nine.AddMinutes(59))).ShouldBe(key);
        UsageEvent[] others =
        [
            Event(UsageKind.Checked, "no_seat_available"), Event(UsageKind.Denied, "stopped_recently"), Event(UsageKind.Denied, "no_seat_available", client: "web"),
            Event(UsageKind.Denied, "no_seat_available", user: "BOB"), Event(UsageKind.Denied, "no_seat_available", device: "pc-3"),
            Event(UsageKind.Denied, "no_seat_available", device: null),
            // Parts are length-prefixed: moving characters between user and device is another refusal.
            Event(UsageKind.Denied, "no_seat_available", user: "bobpc", device: "-2"),
        ];
        others.Select(RefusalCollapse.Key).Distinct().Count().ShouldBe(others.Length);
        others.ShouldAllBe(e => RefusalCollapse.Key(e) != key);
    }

    [Fact]
    public void OverflowKey_IsNeverARealUsersKey_EvenOfAUserNamedStar()
    {
        var refusal = Event(UsageKind.Denied, "no_seat_available");
        var overflow = RefusalCollapse.Overflow(refusal);

        (overflow.User, overflow.Device, overflow.SessionId).ShouldBe(("*", "*", (string?)null));
        RefusalCollapse.OverflowKey(refusal).ShouldNotBe(RefusalCollapse.Key(overflow));
        RefusalCollapse.OverflowKey(Event(UsageKind.Denied, "no_seat_available", user: "carol")).ShouldBe(RefusalCollapse.OverflowKey(refusal));
        RefusalCollapse.OverflowKey(Event(UsageKind.Denied, "license_expired")).ShouldNotBe(RefusalCollapse.OverflowKey(refusal));
    }

    [Fact]
    public void Hour_IsTheClockHourOfTheFirstRefusal()
    {
        RefusalCollapse.Hour(Nine).ShouldBe(RefusalCollapse.Hour(Nine.AddMinutes(59).AddSeconds(59)));
        RefusalCollapse.Hour(Nine.AddHours(1)).ShouldBe(RefusalCollapse.Hour(Nine) + 1);
        RefusalCollapse.Hour(Nine.AddMilliseconds(-1)).ShouldBe(RefusalCollapse.Hour(Nine) - 1);
        RefusalCollapse.Hour(DateTimeOffset.UnixEpoch.AddMilliseconds(-1)).ShouldBe(-1);
    }

    [Fact]
    public void Counts_OfBucketsAndRollups_AddEachEventsCount()
    {
        DateTimeOffset[] hours = [Nine, Nine.AddHours(1)];
        UsageEvent[] events =
        [
            Event(UsageKind.Denied, "no_seat_available", count: 500) with { LastAt = Nine.AddMinutes(20) },
            Event(UsageKind.Denied, "no_seat_available", user: "carol", at: Nine.AddMinutes(5)),
            Event(UsageKind.Checked, "no_seat_available", count: 3),
        ];

        var bucket = Concurrency.WithCounts([new BucketStats(Nine, Nine.AddHours(1), 0, 0, 0)], events).ShouldHaveSingleItem();
        (bucket.Denials, bucket.FailedChecks).ShouldBe((501, 3));
        var denied = Rollup.Counts(events, hours).Single(c => c.Kind == UsageKind.Denied);
        (denied.Events, denied.First, denied.Last).ShouldBe((501, Nine, Nine.AddMinutes(20)));
    }

    [Fact]
    public void Replay_ACollapsedRefusal_CountsEveryRepeatWhenRefused_AndNoneWhenAdmitted()
    {
        // One seat: ann held it 9:00-10:00; bob was refused 40 times from 9:30.
        Holding[] history = [new("ses-ann", "ann", "pc", "desktop", "s:ann", 1, Nine, Nine.AddHours(1))];
        Refusal[] bob = [new(Nine.AddMinutes(30), "bob", "desktop", "s:bob", 1, Count: 40)];

        var one = Replay.WhatIf(history, bob, 1);
        (one.Attempts, one.Refusals).ShouldBe((41, 40));
        Replay.WhatIf(history, bob, 2).Refusals.ShouldBe(0);
        Replay.RightSize(history, bob, maxRefusals: 39).RecommendedSeats.ShouldBe(2);
        Replay.RightSize(history, bob, maxRefusals: 40).RecommendedSeats.ShouldBe(1);
    }
}
