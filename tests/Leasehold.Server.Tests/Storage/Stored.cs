using Leasehold.Core.Usage;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Storage;

/// <summary>What a server stored, read past its API: for tests that check the record itself.</summary>
internal static class Stored
{
    /// <summary>Every usage event of a license, in the order they were recorded (by id).</summary>
    public static async Task<IReadOnlyList<UsageEvent>> UsageEventsAsync(this TestHost host, string licenseId)
    {
        var events = new List<StoredUsageEvent>();
        await foreach (var e in host.Service<IUsageStore>().ReadUsageEventsAsync(new UsageFilter(null) { LicenseId = licenseId }, CancellationToken.None))
            events.Add(e);
        return [.. events.OrderBy(e => e.Id).Select(e => e.Event)];
    }
}
