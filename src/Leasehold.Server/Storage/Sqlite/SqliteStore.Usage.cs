using System.Runtime.CompilerServices;
using Leasehold.Core.Queue;
using Leasehold.Core.Usage;

namespace Leasehold.Server.Storage.Sqlite;

/// <summary>
/// Usage history on SQLite: reads on a pooled connection, the rollup on the writer (<see cref="UsageSql"/> holds the SQL).
/// </summary>
internal sealed partial class SqliteStore
{
    public async IAsyncEnumerable<StoredUsageEvent> ReadUsageEventsAsync(UsageFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        await foreach (var stored in UsageSql.EventsAsync(db, filter, ct))
            yield return stored;
    }

    public Task<IReadOnlyList<UsageEvent>> ReadLicenseHistoryAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<UsageEvent>>(async db =>
            await UsageSql.HistoryAsync(db, null, licenseId, tenantScope, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds()), ct);

    public Task<IReadOnlyList<WaitEvent>> ReadWaitEventsAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<WaitEvent>>(async db => await UsageSql.WaitEventsAsync(db, licenseId, tenantScope, from, to), ct);

    public Task<DateTimeOffset?> UsageRolledUntilAsync(string licenseId, string? tenantScope, CancellationToken ct) =>
        ReadAsync(async db => Ms.ToTime(await UsageSql.RolledUntilAsync(db, null, licenseId, tenantScope)), ct);

    public Task<IReadOnlyList<BucketStats>> ReadUsageHoursAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        ReadAsync(db => UsageSql.HoursAsync(db, licenseId, tenantScope, from, to), ct);

    public Task<IReadOnlyList<OutcomeTotal>> CountOutcomesAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        ReadAsync(db => UsageSql.CountOutcomesAsync(db, licenseId, tenantScope, from, to), ct);

    public Task<DateTimeOffset?> OldestUsageEventAsync(string licenseId, CancellationToken ct) =>
        ReadAsync(db => UsageSql.OldestAsync(db, licenseId), ct);

    public Task RollUpUsageAsync(string tenantId, string licenseId, DateTimeOffset from, DateTimeOffset until,
        Func<IReadOnlyList<UsageEvent>, UsageRollup> summarize, CancellationToken ct) =>
        WriteAsync((db, tx) => UsageSql.RollUpAsync(db, tx, tenantId, licenseId, from, until, summarize), ct);
}
