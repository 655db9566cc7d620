using System.Runtime.CompilerServices;
using Dapper;
using Leasehold.Core.Queue;
using Leasehold.Core.Usage;

namespace Leasehold.Server.Storage.Postgres;

/// <summary>
/// Usage history on PostgreSQL (<see cref="UsageSql"/> holds the SQL). The rollup first takes the
/// license's row lock, so the retention jobs of several nodes never roll up one license at once, and
/// never beside a decision that records an event on it.
/// </summary>
internal sealed partial class PostgresStore
{
    public async IAsyncEnumerable<StoredUsageEvent> ReadUsageEventsAsync(UsageFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        await foreach (var stored in UsageSql.EventsAsync(db, filter, ct))
            yield return stored;
    }

    public async Task<IReadOnlyList<UsageEvent>> ReadLicenseHistoryAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return await UsageSql.HistoryAsync(db, null, licenseId, tenantScope, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
    }

    public async Task<IReadOnlyList<WaitEvent>> ReadWaitEventsAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return await UsageSql.WaitEventsAsync(db, licenseId, tenantScope, from, to);
    }

    public async Task<DateTimeOffset?> UsageRolledUntilAsync(string licenseId, string? tenantScope, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return Ms.ToTime(await UsageSql.RolledUntilAsync(db, null, licenseId, tenantScope));
    }

    public async Task<IReadOnlyList<BucketStats>> ReadUsageHoursAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return await UsageSql.HoursAsync(db, licenseId, tenantScope, from, to);
    }

    public async Task<IReadOnlyList<OutcomeTotal>> CountOutcomesAsync(string licenseId, string? tenantScope, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return await UsageSql.CountOutcomesAsync(db, licenseId, tenantScope, from, to);
    }

    public async Task<DateTimeOffset?> OldestUsageEventAsync(string licenseId, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return await UsageSql.OldestAsync(db, licenseId);
    }

    public Task RollUpUsageAsync(string tenantId, string licenseId, DateTimeOffset from, DateTimeOffset until,
        Func<IReadOnlyList<UsageEvent>, UsageRollup> summarize, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            await db.ExecuteAsync("SELECT 1 FROM licenses WHERE id = @licenseId FOR UPDATE", new { licenseId }, tx);
            return await UsageSql.RollUpAsync(db, tx, tenantId, licenseId, from, until, summarize);
        }, ct);
}
