using System.Globalization;
using Leasehold.Core;
using Leasehold.Core.Policies;
using Leasehold.Core.Usage;

namespace Leasehold.Server.Usage;

/// <summary>
/// Reads the query string of a usage call into typed values, collecting a <see cref="FieldError"/>
/// naming each bad parameter. Times are read by <see cref="ReportTime"/> in the tenant's time zone.
/// </summary>
internal sealed class UsageParams(string timeZone, DateTimeOffset now)
{
    /// <summary>The longest period a report may span.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(800);

    /// <summary>
    /// The earliest and latest times a report reads: nothing is recorded before 1970 (times are stored
    /// as Unix milliseconds), and a year inside the calendar's end leaves room for the local days and
    /// hours (a report's buckets) around any time asked for. Times beyond were 500s at the calendar's edges.
    /// </summary>
    private static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch, Latest = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public List<FieldError> Errors { get; } = [];

    public DateTimeOffset? Time(string? text, string field)
    {
        if (text is null)
            return null;
        if (ReportTime.Parse(text, timeZone) is { } at)
        {
            if (at >= Earliest && at <= Latest)
                return at;
            Errors.Add(new(field, $"Must be between {Earliest.UtcDateTime:yyyy-MM-dd} and {Latest.UtcDateTime:yyyy-MM-dd}."));
            return null;
        }
        Errors.Add(new(field, "Must be a time such as 2026-03-03T10:00:00Z, a local time such as 2026-03-03T10:00, or a date such as 2026-03-03 (local times in the tenant's time zone)."));
        return null;
    }

    /// <summary>A period <c>[from, to)</c>: <c>to</c> defaults to now (inclusive), <c>from</c> to <paramref name="defaultLength"/> before it.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Period(string? from, string? to, TimeSpan defaultLength, TimeSpan? max = null)
    {
        var end = Time(to, "to") ?? now.AddMilliseconds(1); // through now: an event of this very millisecond counts
        // A 'to' in the first days of 1970 has no default 'from' that long before it: the period starts at the earliest time a report reads.
        var start = Time(from, "from") ?? (end - Earliest < defaultLength ? Earliest : end - defaultLength);
        if (Errors.Count == 0 && start >= end)
            Errors.Add(new("from", "Must be before 'to'."));
        else if (Errors.Count == 0 && end - start > (max ?? MaxPeriod))
            Errors.Add(new("from", $"The period may span at most {(max ?? MaxPeriod).TotalDays:0} days."));
        return (start, end);
    }

    public int Int(string? text, string field, int min, int max, int fallback)
    {
        if (text is null)
            return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        Errors.Add(new(field, $"Must be a whole number from {min} to {max}."));
        return fallback;
    }

    public T Choice<T>(string? text, string field, T fallback) where T : struct, Enum
    {
        if (text is null)
            return fallback;
        if (!text.Any(char.IsDigit) && Enum.TryParse<T>(text, ignoreCase: true, out var value))
            return value;
        Errors.Add(new(field, $"Must be one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}."));
        return fallback;
    }
}
