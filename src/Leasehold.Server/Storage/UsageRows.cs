using Leasehold.Core.Queue;
using Leasehold.Core.Usage;

namespace Leasehold.Server.Storage;

// Usage rows as their tables and queries give them (times in Unix milliseconds), shared by every provider.

internal sealed class OutcomeRow
{
    public string Kind { get; set; } = "";
    public string Code { get; set; } = "";
    public string Client { get; set; } = "";
    public long Events { get; set; }
    public long FirstAt { get; set; }
    public long LastAt { get; set; }
}

internal sealed class UsageHourRow
{
    public long HourStart { get; set; }
    public long HourEnd { get; set; }
    public long PeakSeats { get; set; }
    public long PeakSessions { get; set; }
    public long SeatMs { get; set; }
    public long Denials { get; set; }
    public long FailedChecks { get; set; }
    public long OverLimit { get; set; }

    public static object From(BucketStats h, string tenantId, string licenseId) => new
    {
        tenantId, licenseId,
        HourStart = h.Start.ToUnixTimeMilliseconds(), HourEnd = h.End.ToUnixTimeMilliseconds(),
        h.PeakSeats, h.PeakSessions, SeatMs = h.SeatMilliseconds, h.Denials, h.FailedChecks, h.OverLimit,
    };

    public BucketStats ToStats() => new(DateTimeOffset.FromUnixTimeMilliseconds(HourStart), DateTimeOffset.FromUnixTimeMilliseconds(HourEnd),
        (int)PeakSeats, (int)PeakSessions, SeatMs)
    {
        Denials = (int)Denials,
        FailedChecks = (int)FailedChecks,
        OverLimit = (int)OverLimit,
    };
}

/// <summary>A step of a waiting-line entry's life as <c>wait_events</c> stores it (written by <see cref="WaitSql"/>).</summary>
internal sealed class WaitEventRow
{
    private static readonly Dictionary<string, WaitEventKind> Kinds =
        Enum.GetValues<WaitEventKind>().ToDictionary(WaitSql.KindCode, StringComparer.Ordinal);

    public string TenantId { get; set; } = "";
    public string LicenseId { get; set; } = "";
    public string EntryId { get; set; } = "";
    public long At { get; set; }
    public string Kind { get; set; } = "";
    public string UserName { get; set; } = "";
    public string Device { get; set; } = "";
    public string Client { get; set; } = "";
    public long Seats { get; set; }
    public long WaitedMs { get; set; }
    public long? Position { get; set; }
    public string? SessionId { get; set; }

    /// <summary>The event, or null for a kind this server does not know (written by a newer one): reports skip it.</summary>
    public WaitEvent? ToEvent() => Kinds.TryGetValue(Kind, out var kind)
        ? new WaitEvent(TenantId, LicenseId, EntryId, DateTimeOffset.FromUnixTimeMilliseconds(At), kind, UserName, Device, Client, (int)Seats,
            TimeSpan.FromMilliseconds(WaitedMs)) { Position = (int?)Position, SessionId = SessionId }
        : null;
}
