using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client.Admin;

/// <summary>The usage API: history (paged, or CSV streamed), and reports on one license.</summary>
public sealed partial class LeaseholdAdminClient
{
    /// <summary>One page of the usage history, oldest first.</summary>
    /// <param name="query">The filters (all optional).</param>
    /// <param name="cursor">The <see cref="UsageEventPage.NextCursor"/> of the previous page (null: the first).</param>
    /// <param name="limit">Events per page, 1-1000 (the server's default: 100).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault (an unknown kind, a bad time or cursor).</exception>
    public Task<UsageEventPage> ListUsageEventsAsync(UsageQuery query, string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        Send<UsageEventPage>(HttpMethod.Get, "v1/usage/events" + Query([.. query.Parameters(), ("cursor", cursor), ("limit", Number(limit))]), null, ct);

    /// <summary>Every matching event as CSV (with a header row), copied to <paramref name="destination"/> as the server streams it.</summary>
    /// <param name="query">The filters (all optional).</param>
    /// <param name="destination">Where to write the CSV (UTF-8); not closed.</param>
    /// <param name="ct">Cancels the export; what was copied stays in <paramref name="destination"/>.</param>
    /// <exception cref="LeaseholdException">The server refused (400 with the field at fault) or did not answer within <see cref="LeaseholdClientOptions.RequestTimeout"/> (the timeout covers the headers only).</exception>
    public Task ExportUsageCsvAsync(UsageQuery query, Stream destination, CancellationToken ct = default) =>
        _api.DownloadAsync("v1/usage/events.csv" + Query(query.Parameters()), destination, ct);

    /// <summary>Peak seats and sessions, utilisation, refusals and waits per <paramref name="bucket"/> (<c>day</c> or <c>hour</c>).</summary>
    /// <param name="licenseId">The license.</param>
    /// <param name="from">The period's start: an instant or a local date/time in the tenant's zone; null: the server's default period.</param>
    /// <param name="to">The period's end (exclusive), likewise.</param>
    /// <param name="bucket"><c>day</c> (default) or <c>hour</c>, of the tenant's calendar.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault; 404 <c>not_found</c> for an unknown license.</exception>
    public Task<ConcurrencyReport> GetConcurrencyAsync(string licenseId, string? from = null, string? to = null, string? bucket = null,
        CancellationToken ct = default) =>
        Send<ConcurrencyReport>(HttpMethod.Get, $"v1/usage/licenses/{Escape(licenseId)}/concurrency" + Query(("from", from), ("to", to), ("bucket", bucket)), null, ct);

    /// <summary>How many seats the license really needs: the fewest with at most <paramref name="maxRefusals"/> refusals, and the idlest holders.</summary>
    /// <param name="licenseId">The license.</param>
    /// <param name="maxRefusals">The refusals to accept over the period; null: 0.</param>
    /// <param name="from">The period's start: an instant or a local date/time in the tenant's zone; null: the server's default period.</param>
    /// <param name="to">The period's end (exclusive), likewise.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault; 404 <c>not_found</c> for an unknown license.</exception>
    public Task<RightSizeReport> GetRightSizeAsync(string licenseId, int? maxRefusals = null, string? from = null, string? to = null,
        CancellationToken ct = default) =>
        GetRightSizeAsync(licenseId, maxRefusals, maxWaitMinutes: null, from, to, ct);

    /// <summary>
    /// How many seats the license really needs: the fewest with at most <paramref name="maxRefusals"/> refusals and, when
    /// <paramref name="maxWaitMinutes"/> is given, no wait in the waiting line longer than it (the history's waits replayed).
    /// </summary>
    /// <param name="licenseId">The license.</param>
    /// <param name="maxRefusals">The refusals to accept over the period; null: 0.</param>
    /// <param name="maxWaitMinutes">The longest wait to accept, 0-1440 minutes; null: waits may be as long as the replay makes them.</param>
    /// <param name="from">The period's start: an instant or a local date/time in the tenant's zone; null: the server's default period.</param>
    /// <param name="to">The period's end (exclusive), likewise.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault; 404 <c>not_found</c> for an unknown license.</exception>
    public Task<RightSizeReport> GetRightSizeAsync(string licenseId, int? maxRefusals, int? maxWaitMinutes, string? from = null, string? to = null,
        CancellationToken ct = default) =>
        Send<RightSizeReport>(HttpMethod.Get, $"v1/usage/licenses/{Escape(licenseId)}/right-size"
            + Query(("maxRefusals", Number(maxRefusals)), ("maxWaitMinutes", Number(maxWaitMinutes)), ("from", from), ("to", to)), null, ct);

    /// <summary>Any other report of one license (<c>holders</c>, <c>denials</c>, <c>limit-warnings</c>, <c>what-if</c>, <c>idle-holders</c>) as JSON.</summary>
    /// <param name="licenseId">The license.</param>
    /// <param name="report">The report's name, the last part of its path in docs/api.md.</param>
    /// <param name="parameters">Its query parameters (e.g. <c>seats</c> for <c>what-if</c>, <c>from</c>, <c>to</c>); null values are left out.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault; 404 for an unknown license or report.</exception>
    public Task<JsonElement> GetUsageReportAsync(string licenseId, string report, IReadOnlyDictionary<string, string?>? parameters = null,
        CancellationToken ct = default) =>
        Send<JsonElement>(HttpMethod.Get, $"v1/usage/licenses/{Escape(licenseId)}/{Escape(report)}"
            + Query([.. (parameters ?? new Dictionary<string, string?>()).Select(p => (p.Key, p.Value))]), null, ct);

    private static string? Number(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
