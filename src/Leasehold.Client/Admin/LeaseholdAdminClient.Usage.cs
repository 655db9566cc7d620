using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client.Admin;

/// <summary>The usage API: history (paged, or CSV streamed), and reports on one license.</summary>
public sealed partial class LeaseholdAdminClient
{
    /// <summary>One page of the usage history, oldest first.</summary>
    /// <param name="limit">Events per page, 1-1000 (the server's default: 100).</param>
    public Task<UsageEventPage> ListUsageEventsAsync(UsageQuery query, string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        Send<UsageEventPage>(HttpMethod.Get, "v1/usage/events" + Query([.. query.Parameters(), ("cursor", cursor), ("limit", Number(limit))]), null, ct);

    /// <summary>Every matching event as CSV (with a header row), copied to <paramref name="destination"/> as the server streams it.</summary>
    public Task ExportUsageCsvAsync(UsageQuery query, Stream destination, CancellationToken ct = default) =>
        _api.DownloadAsync("v1/usage/events.csv" + Query(query.Parameters()), destination, ct);

    /// <summary>Peak seats and sessions, utilisation and refusals per <paramref name="bucket"/> (<c>day</c> or <c>hour</c>).</summary>
    public Task<ConcurrencyReport> GetConcurrencyAsync(string licenseId, string? from = null, string? to = null, string? bucket = null,
        CancellationToken ct = default) =>
        Send<ConcurrencyReport>(HttpMethod.Get, $"v1/usage/licenses/{Escape(licenseId)}/concurrency" + Query(("from", from), ("to", to), ("bucket", bucket)), null, ct);

    /// <summary>How many seats the license really needs: the fewest with at most <paramref name="maxRefusals"/> refusals, and the idlest holders.</summary>
    public Task<RightSizeReport> GetRightSizeAsync(string licenseId, int? maxRefusals = null, string? from = null, string? to = null,
        CancellationToken ct = default) =>
        Send<RightSizeReport>(HttpMethod.Get,
            $"v1/usage/licenses/{Escape(licenseId)}/right-size" + Query(("maxRefusals", Number(maxRefusals)), ("from", from), ("to", to)), null, ct);

    /// <summary>Any other report of one license (<c>holders</c>, <c>denials</c>, <c>limit-warnings</c>, <c>what-if</c>, <c>idle-holders</c>) as JSON.</summary>
    public Task<JsonElement> GetUsageReportAsync(string licenseId, string report, IReadOnlyDictionary<string, string?>? parameters = null,
        CancellationToken ct = default) =>
        Send<JsonElement>(HttpMethod.Get, $"v1/usage/licenses/{Escape(licenseId)}/{Escape(report)}"
            + Query([.. (parameters ?? new Dictionary<string, string?>()).Select(p => (p.Key, p.Value))]), null, ct);

    private static string? Number(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
