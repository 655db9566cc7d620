using Leasehold.Core.Queue;
using Leasehold.Core.Usage;

namespace Leasehold.Server.Storage;

/// <summary>The usage history and what reports read of it (the SQL: <see cref="UsageSql"/>, shared by both providers).</summary>
internal interface IUsageStore
{
    /// <summary>Usage events matching <paramref name="filter"/>, by time then id, read as they stream from the database (never all in memory).</summary>
    IAsyncEnumerable<StoredUsageEvent> ReadUsageEventsAsync(UsageFilter filter, CancellationToken ct);

    /// <summary>
    /// What a report on one license needs from raw events: every event in <c>[from, to)</c>, plus the
    /// admissions of sessions still open at <paramref name="from"/> (admitted before it, not ended by it); by time.
    /// </summary>
    Task<IReadOnlyList<UsageEvent>> ReadLicenseHistoryAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>The license's waiting-line events (joined, offered, granted, left, ...) in <c>[from, to)</c>, by time; never rolled up.</summary>
    Task<IReadOnlyList<WaitEvent>> ReadWaitEventsAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>Up to when the license's raw events were rolled up into hours (null: never); reports read rollups before it.</summary>
    Task<DateTimeOffset?> UsageRolledUntilAsync(string licenseId, string? tenantScope, CancellationToken ct);

    /// <summary>The rolled-up hours of the license starting in <c>[from, to)</c>.</summary>
    Task<IReadOnlyList<BucketStats>> ReadUsageHoursAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>Events per outcome and client type in <c>[from, to)</c>: raw events after the rollup mark, rolled-up counts before it.</summary>
    Task<IReadOnlyList<OutcomeTotal>> CountOutcomesAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>The time of the license's oldest raw event (null: none).</summary>
    Task<DateTimeOffset?> OldestUsageEventAsync(string licenseId, CancellationToken ct);

    /// <summary>
    /// In one transaction: reads the license's history of <c>[from, until)</c>, writes what
    /// <paramref name="summarize"/> makes of it, deletes the raw events before <paramref name="until"/>
    /// (keeping admissions of sessions not ended by then, which later reports still pair with their end)
    /// and moves the license's rollup mark to <paramref name="until"/>. Does nothing if the mark is already there.
    /// </summary>
    Task RollUpUsageAsync(string tenantId, string licenseId, DateTimeOffset from, DateTimeOffset until,
        Func<IReadOnlyList<UsageEvent>, UsageRollup> summarize, CancellationToken ct);
}
