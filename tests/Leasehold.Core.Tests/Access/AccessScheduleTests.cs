using System.Diagnostics;
using Leasehold.Core.Access;
using NodaTime;

namespace Leasehold.Core.Tests.Access;

public class AccessScheduleTests
{
    private const string Berlin = "Europe/Berlin";
    private const string NewYork = "America/New_York";
    private const string Sydney = "Australia/Sydney";

    private static readonly IsoDayOfWeek[] Everyday =
    [
        IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday,
        IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday,
    ];

    /// <summary>An instant written with the offset the zone really has then, e.g. Local("2026-03-30T07:00+02:00").</summary>
    private static DateTimeOffset At(string isoWithOffset) => DateTimeOffset.Parse(isoWithOffset, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset Utc(string iso) => At(iso + "Z");

    private static LocalTime T(int hour, int minute = 0) => new(hour, minute);

    private static LocalDateTime L(string iso) => NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm").Parse(iso).Value;

    private static AccessPlan Weekly(params WeeklyWindow[] windows) => new(AccessPlanKind.Weekly, windows, []);

    private static WeeklyWindow Window(IsoDayOfWeek day, LocalTime from, LocalTime to) => new([day], from, to);

    private static AccessPlan AlwaysWith(params MaintenanceWindow[] maintenance) => new(AccessPlanKind.Always, [], maintenance);

    private static AccessState Open(DateTimeOffset? closesAt) => new(true, null, closesAt);

    private static AccessState Closed(DateTimeOffset? opensAt) => new(false, opensAt, null);

    // --- business hours at the boundaries (2026-03-16 is a Monday; Berlin is on CET, +01:00) ---

    [Fact]
    public void BusinessHours_OpensAt0700()
    {
        AccessSchedule.Evaluate(AccessPlan.BusinessHours, Berlin, At("2026-03-16T07:00+01:00"))
            .ShouldBe(Open(At("2026-03-16T19:00+01:00")));
    }

    [Fact]
    public void BusinessHours_OneMinuteBefore0700_IsClosedAndOpensAt0700()
    {
        AccessSchedule.Evaluate(AccessPlan.BusinessHours, Berlin, At("2026-03-16T06:59+01:00"))
            .ShouldBe(Closed(At("2026-03-16T07:00+01:00")));
    }

    [Fact]
    public void BusinessHours_At1900_IsClosedUntilTheNextMorning()
    {
        AccessSchedule.Evaluate(AccessPlan.BusinessHours, Berlin, At("2026-03-16T19:00+01:00"))
            .ShouldBe(Closed(At("2026-03-17T07:00+01:00")));
    }

    [Fact]
    public void BusinessHours_Saturday1859_IsOpenAndClosesAt1900()
    {
        AccessSchedule.Evaluate(AccessPlan.BusinessHours, Berlin, At("2026-03-21T18:59+01:00"))
            .ShouldBe(Open(At("2026-03-21T19:00+01:00")));
    }

    [Fact]
    public void BusinessHours_Sunday_IsClosedUntilMonday0700()
    {
        AccessSchedule.Evaluate(AccessPlan.BusinessHours, Berlin, At("2026-03-22T12:00+01:00"))
            .ShouldBe(Closed(At("2026-03-23T07:00+01:00")));
    }

    [Fact]
    public void BusinessHours_AfterSaturday1900_TheMessageSaysMonday0700Local()
    {
        var state = AccessSchedule.Evaluate(AccessPlan.BusinessHours, Berlin, At("2026-03-21T19:00+01:00"));

        state.IsOpen.ShouldBeFalse();
        AccessSchedule.DescribeLocal(state.OpensAt!.Value, Berlin).ShouldBe("Monday 07:00 (Europe/Berlin)");
        AccessSchedule.ToLocalOffset(state.OpensAt.Value, Berlin).ShouldBe(At("2026-03-23T07:00+01:00"));
        AccessSchedule.ToLocalOffset(state.OpensAt.Value, Berlin).Offset.ShouldBe(TimeSpan.FromHours(1));
    }

    [Fact]
    public void Results_AreUtcInstants()
    {
        var state = AccessSchedule.Evaluate(AccessPlan.BusinessHours, NewYork, Utc("2026-03-16T15:00"));

        state.ClosesAt!.Value.Offset.ShouldBe(TimeSpan.Zero);
        state.ClosesAt.Value.ShouldBe(Utc("2026-03-16T23:00"));
    }

    [Fact]
    public void DescribeLocal_UsesTheTenantsWallClock()
    {
        AccessSchedule.DescribeLocal(Utc("2026-07-01T05:00"), NewYork).ShouldBe("Wednesday 01:00 (America/New_York)");
        AccessSchedule.DescribeLocal(Utc("2026-07-01T05:00"), Sydney).ShouldBe("Wednesday 15:00 (Australia/Sydney)");
    }

    [Fact]
    public void UnknownTimeZone_IsAnArgumentError()
    {
        Should.Throw<ArgumentException>(() => AccessSchedule.Evaluate(AccessPlan.BusinessHours, "Mars/Olympus_Mons", Utc("2026-03-16T12:00")));
    }

    // --- DST: the UTC instants move with the clocks ---

    [Theory]
    // Europe/Berlin springs forward Sunday 2026-03-29 02:00 CET -> 03:00 CEST.
    [InlineData(Berlin, "2026-03-28T18:00", "2026-03-30T05:00")] // Sat 19:00 CET -> Mon 07:00 CEST
    [InlineData(Berlin, "2026-03-21T18:00", "2026-03-23T06:00")] // the week before: Mon 07:00 CET
    // Europe/Berlin falls back Sunday 2026-10-25 03:00 CEST -> 02:00 CET.
    [InlineData(Berlin, "2026-10-24T17:00", "2026-10-26T06:00")] // Sat 19:00 CEST -> Mon 07:00 CET
    // America/New_York springs forward Sunday 2026-03-08 02:00 EST -> 03:00 EDT.
    [InlineData(NewYork, "2026-03-08T00:00", "2026-03-09T11:00")] // Sat 19:00 EST -> Mon 07:00 EDT
    // Australia/Sydney ends DST Sunday 2026-04-05 03:00 AEDT -> 02:00 AEST.
    [InlineData(Sydney, "2026-04-04T08:00", "2026-04-05T21:00")] // Sat 19:00 AEDT -> Mon 07:00 AEST
    public void BusinessHours_AfterSaturdayClose_OpensMonday0700LocalAtTheRightUtcInstant(string zone, string saturdayCloseUtc, string mondayOpenUtc)
    {
        var state = AccessSchedule.Evaluate(AccessPlan.BusinessHours, zone, Utc(saturdayCloseUtc));

        state.ShouldBe(Closed(Utc(mondayOpenUtc)));
        AccessSchedule.DescribeLocal(state.OpensAt!.Value, zone).ShouldBe($"Monday 07:00 ({zone})");
    }

    [Theory]
    [InlineData(Berlin, "2026-03-28T17:59", "2026-03-28T18:00")]
    [InlineData(Berlin, "2026-10-24T16:59", "2026-10-24T17:00")]
    [InlineData(NewYork, "2026-03-07T23:59", "2026-03-08T00:00")]
    [InlineData(Sydney, "2026-04-04T07:59", "2026-04-04T08:00")]
    public void BusinessHours_SaturdayBeforeTheChange_ClosesAt1900Local(string zone, string atUtc, string closesUtc)
    {
        AccessSchedule.Evaluate(AccessPlan.BusinessHours, zone, Utc(atUtc)).ShouldBe(Open(Utc(closesUtc)));
    }

    [Theory]
    [InlineData(Berlin, "2026-03-30T05:00", "2026-03-30T17:00")]
    [InlineData(Berlin, "2026-10-26T06:00", "2026-10-26T18:00")]
    [InlineData(NewYork, "2026-03-09T11:00", "2026-03-09T23:00")]
    [InlineData(Sydney, "2026-04-05T21:00", "2026-04-06T09:00")]
    public void BusinessHours_MondayAfterTheChange_IsOpenTwelveHours(string zone, string opensUtc, string closesUtc)
    {
        AccessSchedule.Evaluate(AccessPlan.BusinessHours, zone, Utc(opensUtc)).ShouldBe(Open(Utc(closesUtc)));
        AccessSchedule.Evaluate(AccessPlan.BusinessHours, zone, Utc(opensUtc).AddTicks(-1)).IsOpen.ShouldBeFalse();
    }

    [Theory]
    // Sunday 00:00-06:00 on the change day: 5 real hours when clocks go forward, 7 when they go back.
    [InlineData(Berlin, "2026-03-28T23:00", "2026-03-29T04:00")]
    [InlineData(Berlin, "2026-10-24T22:00", "2026-10-25T05:00")]
    [InlineData(NewYork, "2026-03-08T05:00", "2026-03-08T10:00")]
    [InlineData(Sydney, "2026-04-04T13:00", "2026-04-04T20:00")]
    public void WindowAcrossTheChange_OpensAndClosesAtTheRightUtcInstants(string zone, string opensUtc, string closesUtc)
    {
        var plan = Weekly(Window(IsoDayOfWeek.Sunday, T(0), T(6)));

        AccessSchedule.Evaluate(plan, zone, Utc(opensUtc).AddMinutes(-1)).ShouldBe(Closed(Utc(opensUtc)));
        AccessSchedule.Evaluate(plan, zone, Utc(opensUtc)).ShouldBe(Open(Utc(closesUtc)));
        AccessSchedule.Evaluate(plan, zone, Utc(closesUtc)).IsOpen.ShouldBeFalse();
    }

    [Fact]
    public void WindowOnTheChangeDayAfterTheChange_ClosesAtTheRightInstant()
    {
        var plan = Weekly(Window(IsoDayOfWeek.Sunday, T(9), T(17)));

        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-29T12:00")).ShouldBe(Open(Utc("2026-03-29T15:00"))); // 17:00 CEST
        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-10-25T12:00")).ShouldBe(Open(Utc("2026-10-25T16:00"))); // 17:00 CET
        AccessSchedule.Evaluate(plan, NewYork, Utc("2026-03-08T15:00")).ShouldBe(Open(Utc("2026-03-08T21:00"))); // 17:00 EDT
        AccessSchedule.Evaluate(plan, Sydney, Utc("2026-04-05T01:00")).ShouldBe(Open(Utc("2026-04-05T07:00"))); // 17:00 AEST
    }

    [Fact]
    public void WindowStartingInsideTheSpringGap_OpensWhenTheGapEnds()
    {
        // 02:30 does not exist in Berlin on 2026-03-29; the wall clock passes it at 03:00 CEST (01:00Z).
        var plan = Weekly(Window(IsoDayOfWeek.Sunday, T(2, 30), T(5)));

        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-29T00:30")).ShouldBe(Closed(Utc("2026-03-29T01:00")));
        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-29T01:00")).ShouldBe(Open(Utc("2026-03-29T03:00")));
    }

    [Fact]
    public void OvernightWindowEndingInsideTheSpringGap_ClosesWhenTheGapEnds()
    {
        var plan = Weekly(Window(IsoDayOfWeek.Saturday, T(22), T(2, 30)));

        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-28T21:00")).ShouldBe(Open(Utc("2026-03-29T01:00")));
    }

    [Fact]
    public void WindowWhollyInsideTheSpringGap_DoesNotOpenThatDay()
    {
        var plan = Weekly(Window(IsoDayOfWeek.Sunday, T(2, 10), T(2, 50)));

        // Berlin on 2026-03-29 skips 02:00-03:00, so the next opening is the following Sunday at 02:10 CEST.
        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-28T12:00")).ShouldBe(Closed(Utc("2026-04-05T00:10")));
    }

    [Fact]
    public void WindowEndingAtAnAmbiguousTime_EndsAtTheEarlierInstant()
    {
        // 02:30 happens twice in Berlin on 2026-10-25: 00:30Z (CEST) and 01:30Z (CET). The earlier one counts.
        var plan = Weekly(Window(IsoDayOfWeek.Saturday, T(22), T(2, 30)));

        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-10-24T21:00")).ShouldBe(Open(Utc("2026-10-25T00:30")));
        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-10-25T01:15")).IsOpen.ShouldBeFalse();
    }

    [Fact]
    public void WindowsMeetingInsideTheSpringGap_StillMerge()
    {
        // Sat 22:00-02:30 then Sun 02:45-06:00: both ends fall in the skipped hour, so there is no break that night.
        var plan = Weekly(Window(IsoDayOfWeek.Saturday, T(22), T(2, 30)), Window(IsoDayOfWeek.Sunday, T(2, 45), T(6)));

        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-28T21:00")).ShouldBe(Open(Utc("2026-03-29T04:00")));
        // A normal week has the 15-minute break.
        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-21T21:00")).ShouldBe(Open(Utc("2026-03-22T01:30")));
    }

    // --- overnight windows and merging ---

    [Fact]
    public void OvernightWindow_RunsIntoTheNextDay()
    {
        var plan = Weekly(Window(IsoDayOfWeek.Friday, T(22), T(2)));

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-20T21:00+01:00")).ShouldBe(Closed(At("2026-03-20T22:00+01:00")));
        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-20T23:00+01:00")).ShouldBe(Open(At("2026-03-21T02:00+01:00")));
        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-21T01:59+01:00")).ShouldBe(Open(At("2026-03-21T02:00+01:00")));
        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-21T02:00+01:00")).ShouldBe(Closed(At("2026-03-27T22:00+01:00")));
    }

    [Fact]
    public void OvernightWindow_FollowedByTheNextDaysWindow_Merges()
    {
        var plan = Weekly(Window(IsoDayOfWeek.Friday, T(22), T(2)), Window(IsoDayOfWeek.Saturday, T(2), T(10)));

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-20T23:00+01:00")).ShouldBe(Open(At("2026-03-21T10:00+01:00")));
        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-21T02:00+01:00")).ShouldBe(Open(At("2026-03-21T10:00+01:00")));
    }

    [Fact]
    public void AdjacentWindowsOnOneDay_Merge()
    {
        var plan = Weekly(Window(IsoDayOfWeek.Monday, T(7), T(19)), Window(IsoDayOfWeek.Monday, T(19), T(22)));

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-16T18:00+01:00")).ShouldBe(Open(At("2026-03-16T22:00+01:00")));
        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-16T19:00+01:00")).ShouldBe(Open(At("2026-03-16T22:00+01:00")));
    }

    [Fact]
    public void OverlappingWindows_Merge()
    {
        var plan = Weekly(Window(IsoDayOfWeek.Monday, T(7), T(12)), Window(IsoDayOfWeek.Monday, T(9), T(15)));

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-16T08:00+01:00")).ShouldBe(Open(At("2026-03-16T15:00+01:00")));
    }

    [Fact]
    public void WindowEndingAt2400_MergesWithTheNextDaysMidnightWindow()
    {
        // "24:00" is LocalTime.Midnight as To.
        var plan = Weekly(Window(IsoDayOfWeek.Monday, T(20), LocalTime.Midnight), Window(IsoDayOfWeek.Tuesday, T(0), T(6)));

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-16T21:00+01:00")).ShouldBe(Open(At("2026-03-17T06:00+01:00")));
    }

    [Fact]
    public void WholeDayWindowsEveryDay_AreAlwaysOpen()
    {
        var plan = Weekly(new WeeklyWindow(Everyday, LocalTime.Midnight, LocalTime.Midnight));

        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-29T01:00")).ShouldBe(Open(null));
    }

    [Fact]
    public void OvernightWindowsCoveringTheWholeWeek_AreAlwaysOpen()
    {
        var plan = Weekly(new WeeklyWindow(Everyday, T(12), T(12, 30)), new WeeklyWindow(Everyday, T(12, 30), T(12)));

        AccessSchedule.Evaluate(plan, Sydney, Utc("2026-04-04T16:30")).ShouldBe(Open(null));
    }

    [Fact]
    public void WeeklyPlanWithoutValidWindows_NeverOpens()
    {
        AccessSchedule.Evaluate(Weekly(), Berlin, Utc("2026-03-16T12:00")).ShouldBe(Closed(null));
        AccessSchedule.Evaluate(Weekly(Window(IsoDayOfWeek.Monday, T(9), T(9))), Berlin, Utc("2026-03-16T12:00")).ShouldBe(Closed(null));
    }

    // --- always, and maintenance ---

    [Fact]
    public void Always_WithoutMaintenance_NeverCloses()
    {
        AccessSchedule.Evaluate(AccessPlan.Always, Berlin, Utc("2026-03-29T01:30")).ShouldBe(Open(null));
    }

    [Fact]
    public void Always_BeforeMaintenance_ClosesWhenItStarts()
    {
        var plan = AlwaysWith(new MaintenanceWindow(L("2026-03-01T02:00"), L("2026-03-01T04:00")));

        AccessSchedule.Evaluate(plan, Berlin, At("2026-02-27T12:00+01:00")).ShouldBe(Open(At("2026-03-01T02:00+01:00")));
    }

    [Fact]
    public void Always_InsideMaintenance_OpensWhenItEnds()
    {
        var plan = AlwaysWith(new MaintenanceWindow(L("2026-03-01T02:00"), L("2026-03-01T04:00")));

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-01T02:00+01:00")).ShouldBe(Closed(At("2026-03-01T04:00+01:00")));
        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-01T03:59+01:00")).ShouldBe(Closed(At("2026-03-01T04:00+01:00")));
    }

    [Fact]
    public void Always_AfterMaintenance_NeverCloses()
    {
        var plan = AlwaysWith(new MaintenanceWindow(L("2026-03-01T02:00"), L("2026-03-01T04:00")));

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-01T04:00+01:00")).ShouldBe(Open(null));
    }

    [Fact]
    public void Always_TouchingMaintenanceWindows_OpenAfterTheLast()
    {
        var plan = AlwaysWith(
            new MaintenanceWindow(L("2026-03-01T04:00"), L("2026-03-01T06:00")),
            new MaintenanceWindow(L("2026-03-01T02:00"), L("2026-03-01T04:00")));

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-01T03:00+01:00")).ShouldBe(Closed(At("2026-03-01T06:00+01:00")));
        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-01T01:00+01:00")).ShouldBe(Open(At("2026-03-01T02:00+01:00")));
    }

    [Fact]
    public void MaintenanceAcrossTheSpringGap_UsesTheWallClock()
    {
        // 02:15 does not exist on 2026-03-29 in Berlin: maintenance starts when the clock jumps to 03:00 CEST (01:00Z)
        // and ends at 03:30 CEST (01:30Z).
        var plan = AlwaysWith(new MaintenanceWindow(L("2026-03-29T02:15"), L("2026-03-29T03:30")));

        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-29T00:30")).ShouldBe(Open(Utc("2026-03-29T01:00")));
        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-29T01:00")).ShouldBe(Closed(Utc("2026-03-29T01:30")));
        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-29T01:30")).ShouldBe(Open(null));
    }

    [Fact]
    public void MaintenanceWhollyInsideTheSpringGap_NeverHappens()
    {
        var plan = AlwaysWith(new MaintenanceWindow(L("2026-03-29T02:10"), L("2026-03-29T02:50")));

        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-29T00:30")).ShouldBe(Open(null));
        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-03-29T01:00")).ShouldBe(Open(null));
    }

    [Fact]
    public void MaintenanceInTheRepeatedHour_TakesTheEarlierInstants()
    {
        var plan = AlwaysWith(new MaintenanceWindow(L("2026-10-25T02:00"), L("2026-10-25T02:30")));

        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-10-24T23:00")).ShouldBe(Open(Utc("2026-10-25T00:00")));
        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-10-25T00:10")).ShouldBe(Closed(Utc("2026-10-25T00:30")));
        AccessSchedule.Evaluate(plan, Berlin, Utc("2026-10-25T01:10")).ShouldBe(Open(null)); // 02:10 CET, the second time round
    }

    [Fact]
    public void WeeklyWithMaintenance_InsideAWindow_ClosesAtTheMaintenanceStart()
    {
        var plan = AccessPlan.BusinessHours with { Maintenance = [new MaintenanceWindow(L("2026-03-16T12:00"), L("2026-03-16T13:00"))] };

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-16T09:00+01:00")).ShouldBe(Open(At("2026-03-16T12:00+01:00")));
        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-16T12:30+01:00")).ShouldBe(Closed(At("2026-03-16T13:00+01:00")));
        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-16T13:00+01:00")).ShouldBe(Open(At("2026-03-16T19:00+01:00")));
    }

    [Fact]
    public void WeeklyWithMaintenance_CoveringTheMorning_OpensAfterIt()
    {
        var plan = AccessPlan.BusinessHours with { Maintenance = [new MaintenanceWindow(L("2026-03-23T06:00"), L("2026-03-23T09:00"))] };

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-21T19:00+01:00")).ShouldBe(Closed(At("2026-03-23T09:00+01:00")));
    }

    [Fact]
    public void WeeklyWithMaintenance_EndingOutsideTheWindows_OpensAtTheNextWindow()
    {
        // Maintenance from Monday 12:00 to Monday 20:00: afterwards business hours are over, so Tuesday 07:00.
        var plan = AccessPlan.BusinessHours with { Maintenance = [new MaintenanceWindow(L("2026-03-16T12:00"), L("2026-03-16T20:00"))] };

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-16T13:00+01:00")).ShouldBe(Closed(At("2026-03-17T07:00+01:00")));
    }

    [Fact]
    public void WeeklyWithMaintenance_StartingAfterTheWindowCloses_DoesNotChangeTheClose()
    {
        var plan = AccessPlan.BusinessHours with { Maintenance = [new MaintenanceWindow(L("2026-03-16T20:00"), L("2026-03-16T21:00"))] };

        AccessSchedule.Evaluate(plan, Berlin, At("2026-03-16T09:00+01:00")).ShouldBe(Open(At("2026-03-16T19:00+01:00")));
    }

    [Fact]
    public void LongMaintenance_BeyondTheWeeklyHorizon_StillFindsTheNextOpening()
    {
        var plan = AccessPlan.BusinessHours with { Maintenance = [new MaintenanceWindow(L("2026-01-01T00:00"), L("2026-06-03T12:00"))] };

        AccessSchedule.Evaluate(plan, Berlin, At("2026-02-01T12:00+01:00")).ShouldBe(Closed(At("2026-06-03T12:00+02:00")));
    }

    [Fact]
    public void ManyMaintenanceWindows_EvaluateQuickly()
    {
        // Every business day's hours are eaten by maintenance for 100 days: the next opening is after the last one.
        var start = new LocalDate(2026, 3, 16);
        var maintenance = Enumerable.Range(0, 100)
            .Select(i => new MaintenanceWindow(start.PlusDays(i) + T(6), start.PlusDays(i) + T(20)))
            .ToList();
        var plan = AccessPlan.BusinessHours with { Maintenance = maintenance };

        var watch = Stopwatch.StartNew();
        var state = AccessSchedule.Evaluate(plan, Berlin, At("2026-03-16T08:00+01:00"));
        watch.Stop();

        state.ShouldBe(Closed(At("2026-06-24T07:00+02:00"))); // 2026-06-24 is a Wednesday, the first day free of maintenance
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void ToLocalOffset_KeepsTheInstantAndUsesTheZonesOffset()
    {
        var summer = AccessSchedule.ToLocalOffset(Utc("2026-03-30T05:00"), Berlin);
        var winter = AccessSchedule.ToLocalOffset(Utc("2026-03-23T06:00"), Berlin);

        summer.ShouldBe(Utc("2026-03-30T05:00"));
        summer.Offset.ShouldBe(TimeSpan.FromHours(2));
        summer.Hour.ShouldBe(7);
        winter.Offset.ShouldBe(TimeSpan.FromHours(1));
        winter.Hour.ShouldBe(7);
    }

    [Fact]
    public void NearTheEndOfTheCalendar_EvaluationDoesNotThrow()
    {
        var plan = Weekly(Window(IsoDayOfWeek.Friday, T(22), T(2)));

        Should.NotThrow(() => AccessSchedule.Evaluate(plan, "Etc/UTC", Utc("9999-12-30T12:00")));
        AccessSchedule.Evaluate(AccessPlan.BusinessHours, "Etc/UTC", Utc("9999-12-01T12:00")).IsOpen.ShouldBeTrue();
    }
}
