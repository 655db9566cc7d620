using NodaTime;

namespace Leasehold.Core.Usage;

/// <summary>The unit of a report's buckets.</summary>
public enum BucketSize
{
    Hour,
    Day,
}

/// <summary>
/// Hours and days of the tenant's calendar, as instants. A day runs from one local midnight (or the
/// first instant of the day, where a DST change skips midnight) to the next, so it lasts 23, 24 or
/// 25 hours. An hour runs from one local full hour to the next: when clocks go back, the repeated
/// hour is two buckets (told apart by their UTC offsets); when they go forward, the skipped hour is none.
/// </summary>
public static class TimeBuckets
{
    private static readonly Duration Quarter = Duration.FromMinutes(15);

    /// <summary>The bucket boundaries covering <c>[from, to)</c>: the first at or before <paramref name="from"/>, the last at or after <paramref name="to"/>.</summary>
    public static List<DateTimeOffset> Covering(BucketSize size, string timeZone, DateTimeOffset from, DateTimeOffset to)
    {
        var zone = DateTimeZoneProviders.Tzdb[timeZone];
        var boundaries = new List<DateTimeOffset> { StartOf(size, zone, Instant.FromDateTimeOffset(from)) };
        while (boundaries[^1] < to)
            boundaries.Add(Next(size, zone, Instant.FromDateTimeOffset(boundaries[^1])));
        return boundaries;
    }

    /// <summary>The start of the bucket <paramref name="at"/> falls in.</summary>
    public static DateTimeOffset StartOf(BucketSize size, string timeZone, DateTimeOffset at) =>
        StartOf(size, DateTimeZoneProviders.Tzdb[timeZone], Instant.FromDateTimeOffset(at));

    /// <summary><paramref name="at"/> as the tenant's local time, with its UTC offset.</summary>
    public static DateTimeOffset ToLocal(DateTimeOffset at, string timeZone) =>
        Instant.FromDateTimeOffset(at).InZone(DateTimeZoneProviders.Tzdb[timeZone]).ToDateTimeOffset();

    private static DateTimeOffset StartOf(BucketSize size, DateTimeZone zone, Instant at)
    {
        var local = at.InZone(zone);
        if (size == BucketSize.Day)
            return zone.AtStartOfDay(local.Date).ToDateTimeOffset();
        // Every UTC offset in the tz database since 1970 is a whole number of quarter hours: the
        // local full hour is at most 3 quarters back (45 minutes), and its instant is where local minutes read 0.
        var instant = Instant.FromUnixTimeTicks(at.ToUnixTimeTicks() / Quarter.BclCompatibleTicks * Quarter.BclCompatibleTicks);
        while (instant.InZone(zone).Minute != 0)
            instant -= Quarter;
        return instant.InZone(zone).ToDateTimeOffset();
    }

    private static DateTimeOffset Next(BucketSize size, DateTimeZone zone, Instant start)
    {
        if (size == BucketSize.Day)
            return zone.AtStartOfDay(start.InZone(zone).Date.PlusDays(1)).ToDateTimeOffset();
        var instant = start + Quarter;
        while (instant.InZone(zone).Minute != 0)
            instant += Quarter;
        return instant.InZone(zone).ToDateTimeOffset();
    }
}
