using System.Net.Http.Headers;

namespace Leasehold.Cli.Output;

/// <summary>
/// Tells a Leasehold server's answers from anyone else's before the SDK reads them. A Leasehold server
/// answers every error as problem+json and every result as JSON (CSV and server-sent events where asked);
/// a web server, proxy or other API at a wrong <c>--url</c> answers HTML, plain text, or JSON without a
/// problem <c>code</c>. Such an answer becomes one message that says the URL is not a Leasehold server,
/// instead of "no such id" hints for a 404 or a foreign page printed as the error.
/// </summary>
internal sealed class LeaseholdAnswers(Uri server) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (IsLeaseholdShaped(response))
            return response;
        var status = (int)response.StatusCode;
        var type = response.Content.Headers.ContentType?.MediaType;
        response.Dispose();
        throw NotLeasehold(server, $"{status} {type ?? "without a content type"}", request);
    }

    /// <summary>
    /// JSON (problem+json for errors), or for a result nothing, CSV or an event stream. A 502, 503 or 504
    /// passes whatever it holds: a proxy before a Leasehold server that is down says so in HTML, and the
    /// server is then unavailable rather than foreign.
    /// </summary>
    internal static bool IsLeaseholdShaped(HttpResponseMessage response)
    {
        var type = response.Content.Headers.ContentType?.MediaType;
        if ((int)response.StatusCode is 502 or 503 or 504)
            return true;
        if (!response.IsSuccessStatusCode)
            return IsJson(type);
        return type is null or "text/csv" or "text/event-stream" || IsJson(type);
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The one message for an answer that did not come from Leasehold; <paramref name="answered"/> says what came instead.</summary>
    public static CliException NotLeasehold(Uri? server, string answered, HttpRequestMessage? request = null) =>
        new(ExitCodes.Usage,
            $"{server} is not a Leasehold server (it answered {answered}"
                + (request?.RequestUri is { } uri ? $" to {request.Method} {uri.AbsolutePath}" : "") + ").",
            $"Check the server URL (--url, LEASEHOLD_URL or the config file): the address the server listens on, e.g. http://host:5000, "
                + $"without /v1; `curl {server}healthz` answers {{\"status\":\"ok\"}} from a Leasehold server.");

    /// <summary>An HttpClient for the SDK whose answers are checked; requests are timed by the SDK, one by one.</summary>
    public static HttpClient Client(Uri server) => new(new LeaseholdAnswers(server)) { Timeout = Timeout.InfiniteTimeSpan };
}
