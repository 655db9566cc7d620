using Leasehold.Core.Usage;

namespace Leasehold.Core.Tests.Usage;

public sealed class TimeBucketsTests
{
    [Fact]
    public void Days_FollowTheTenantsCalendar_AcrossDstChanges()
    {
        var from = new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);
        var days = TimeBuckets.Covering(BucketSize.Day, "Europe/Berlin", from, from.AddDays(2));

        days[0].ShouldBe(new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.FromHours(1)));
        (days[2] - days[1]).ShouldBe(TimeSpan.FromHours(23), "29 March 2026: clocks go forward");
        days.ShouldAllBe(d => d.Hour == 0 && d.Minute == 0);
    }

    [Fact]
    public void Hours_RepeatTheHourClocksGoBack_AsTwoBuckets()
    {
        var day = new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.FromHours(2));
        var hours = TimeBuckets.Covering(BucketSize.Hour, "Europe/Berlin", day, day.AddHours(25));

        hours.Count.ShouldBe(26);
        hours.Count(h => h.Hour == 2).ShouldBe(2);
        hours.Where(h => h.Hour == 2).Select(h => h.Offset).ShouldBe([TimeSpan.FromHours(2), TimeSpan.FromHours(1)]);
        TimeBuckets.Covering(BucketSize.Day, "Europe/Berlin", day, day.AddHours(1)).Select(d => d.ToUniversalTime())
            .ShouldBe([day.ToUniversalTime(), new DateTimeOffset(2026, 10, 26, 0, 0, 0, TimeSpan.FromHours(1)).ToUniversalTime()]);
    }

    [Fact]
    public void Hours_OfAHalfHourZone_StartAtItsLocalFullHour()
    {
        var at = new DateTimeOffset(2026, 3, 2, 10, 10, 0, TimeSpan.Zero);

        TimeBuckets.StartOf(BucketSize.Hour, "Asia/Kolkata", at).ShouldBe(new DateTimeOffset(2026, 3, 2, 15, 0, 0, TimeSpan.FromHours(5.5)));
        TimeBuckets.StartOf(BucketSize.Hour, "Asia/Kathmandu", at).ShouldBe(new DateTimeOffset(2026, 3, 2, 15, 0, 0, TimeSpan.FromMinutes(345)));
        TimeBuckets.StartOf(BucketSize.Day, "America/New_York", at).ShouldBe(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(-5)));
    }
}

public sealed class ReportTimeTests
{
    [Theory]
    [InlineData("2026-03-03T10:00:00Z", "2026-03-03T10:00:00+00:00")]
    [InlineData("2026-03-03T10:00:00+02:00", "2026-03-03T08:00:00+00:00")]
    [InlineData("2026-03-03T10:00", "2026-03-03T09:00:00+00:00")]
    [InlineData("2026-03-03T10:00:30", "2026-03-03T09:00:30+00:00")]
    [InlineData("2026-03-03", "2026-03-02T23:00:00+00:00")]
    [InlineData("2026-07-03", "2026-07-02T22:00:00+00:00")]
    [InlineData("2026-03-29T02:30", "2026-03-29T01:30:00+00:00")]
    public void Parse_ReadsInstantsAsWritten_AndLocalTimesInTheTenantsZone(string text, string expected) =>
        ReportTime.Parse(text, "Europe/Berlin").ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-13-01")]
    [InlineData("2026-03-03 10:00")]
    [InlineData("")]
    public void Parse_RefusesAnythingElse(string text) => ReportTime.Parse(text, "Europe/Berlin").ShouldBeNull();

    [Theory]
    [InlineData("2026-03-03T08:55:00Z", "Europe/Berlin", "2026-03-03 09:55 (UTC+01:00, Europe/Berlin)")]
    [InlineData("2026-10-25T00:30:00Z", "Europe/Berlin", "2026-10-25 02:30 (UTC+02:00, Europe/Berlin)")]
    [InlineData("2026-10-25T01:30:00Z", "Europe/Berlin", "2026-10-25 02:30 (UTC+01:00, Europe/Berlin)")] // the repeated hour, told apart
    [InlineData("2026-03-03T08:55:00Z", "UTC", "2026-03-03 08:55 (UTC+00:00, UTC)")]
    public void Describe_WritesTheTenantsLocalTime_WithOffsetAndZone(string at, string timeZone, string expected) =>
        ReportTime.Describe(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), timeZone).ShouldBe(expected);
}
