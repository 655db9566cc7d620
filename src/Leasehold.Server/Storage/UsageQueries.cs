using Leasehold.Core.Usage;

namespace Leasehold.Server.Storage;

/// <summary>Which usage events to read: every filter left null matches all. Ordered by time, then id.</summary>
internal sealed record UsageFilter(string? TenantScope)
{
    public string? TenantId { get; init; }
    public string? LicenseId { get; init; }
    public string? User { get; init; }
    public string? Client { get; init; }
    public UsageKind? Kind { get; init; }
    public string? Code { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>Only events after this one in the order (a page's cursor).</summary>
    public UsagePosition? After { get; init; }

    public int? Limit { get; init; }
}

/// <summary>A place in the order of usage events: its time (Unix ms) and id.</summary>
internal sealed record UsagePosition(long At, long Id);

/// <summary>A usage event as stored, with its id.</summary>
internal sealed record StoredUsageEvent(long Id, UsageEvent Event)
{
    public UsagePosition Position => new(Event.At.ToUnixTimeMilliseconds(), Id);
}

/// <summary>How many events of one outcome and client type a period had, and the first and last of them.</summary>
internal sealed record OutcomeTotal(UsageKind Kind, string Code, string Client, int Events, DateTimeOffset First, DateTimeOffset Last);

/// <summary>What the retention job writes for a span of hours whose raw events it deletes.</summary>
internal sealed record UsageRollup(IReadOnlyList<BucketStats> Hours, IReadOnlyList<OutcomeCount> Counts);
