using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leasehold.Client.Http;

/// <summary>
/// One server and one key: sends a request with a timeout, reads JSON answers and turns every
/// error into a <see cref="LeaseholdException"/> (problem+json read for its code, detail and field;
/// no answer at all becomes status 0, <c>unavailable</c>). Every await is ConfigureAwait(false), so
/// no call ever needs the caller's (UI) thread.
/// </summary>
internal sealed class ApiConnection(HttpClient http, LeaseholdClientOptions options, bool ownsHttp) : IDisposable
{
    /// <summary>A connection with an HttpClient of its own (infinite timeout: requests are timed one by one, streams live long).</summary>
    public static ApiConnection Create(LeaseholdClientOptions options) =>
        Checked(options, new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, ownsHttp: true);

    /// <summary>A connection over the application's HttpClient, which it does not dispose.</summary>
    public static ApiConnection Over(HttpClient http, LeaseholdClientOptions options) => Checked(options, http, ownsHttp: false);

    private static ApiConnection Checked(LeaseholdClientOptions options, HttpClient http, bool ownsHttp)
    {
        options.Validate();
        return new ApiConnection(http, options, ownsHttp);
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Uri _base = options.ServerUrl!.AbsoluteUri.EndsWith("/", StringComparison.Ordinal)
        ? options.ServerUrl
        : new Uri(options.ServerUrl.AbsoluteUri + "/");

    public LeaseholdClientOptions Options { get; } = options;

    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var text = await SendForTextAsync(method, path, body, ct, headers).ConfigureAwait(false);
        return text.Length == 0 ? default! : JsonSerializer.Deserialize<T>(text, Json)!;
    }

    /// <summary>Sends and returns the answer's text (empty for 204); throws <see cref="LeaseholdException"/> for anything but 2xx.</summary>
    public async Task<string> SendForTextAsync(HttpMethod method, string path, object? body, CancellationToken ct,
        IReadOnlyDictionary<string, string>? headers = null) =>
        (await SendForAnswerAsync(method, path, body, ct, headers).ConfigureAwait(false)).Text;

    /// <summary>Sends and returns the answer's status and text, for calls whose 2xx statuses differ in meaning (201 a session, 202 a place in line).</summary>
    public async Task<(int Status, string Text)> SendForAnswerAsync(HttpMethod method, string path, object? body, CancellationToken ct,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.RequestTimeout);
        try
        {
            using var request = Request(method, path, body, headers);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var text = await ReadTextAsync(response.Content, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw Failure((int)response.StatusCode, text);
            return ((int)response.StatusCode, text);
        }
        catch (Exception e) when (Unreachable(e, ct))
        {
            throw new LeaseholdException(0, LeaseholdException.UnavailableCode,
                $"The server at {Options.ServerUrl} did not answer ({e.Message}).", inner: e);
        }
    }

    /// <summary>Opens a long-lived stream (server-sent events); the caller disposes the answer.</summary>
    public Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken ct, IReadOnlyDictionary<string, string>? headers = null) =>
        OpenAsync(path, "text/event-stream", ct, headers);

    /// <summary>The header a session's holder proves itself with, and its value (none for a session without a token).</summary>
    public static IReadOnlyDictionary<string, string>? SessionHeaders(string? sessionToken) =>
        sessionToken is null ? null : new Dictionary<string, string> { [SessionTokenHeader] = sessionToken };

    public const string SessionTokenHeader = "Leasehold-Session-Token";

    private async Task<HttpResponseMessage> OpenAsync(string path, string? accept, CancellationToken ct, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.RequestTimeout); // for the headers only: the stream itself lives on
        try
        {
            using var request = Request(HttpMethod.Get, path, null, headers);
            if (accept is not null)
                request.Headers.Accept.ParseAdd(accept);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return response;
            using (response)
                throw Failure((int)response.StatusCode, await ReadTextAsync(response.Content, timeout.Token).ConfigureAwait(false));
        }
        catch (Exception e) when (Unreachable(e, ct))
        {
            throw new LeaseholdException(0, LeaseholdException.UnavailableCode, $"The server at {Options.ServerUrl} did not answer ({e.Message}).", inner: e);
        }
    }

    /// <summary>Streams a GET's body into <paramref name="destination"/> (CSV exports); the timeout covers the headers only.</summary>
    public async Task DownloadAsync(string path, Stream destination, CancellationToken ct)
    {
        using var response = await OpenAsync(path, null, ct).ConfigureAwait(false);
#if NET
        using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
#else
        using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
        await body.CopyToAsync(destination, 81920, ct).ConfigureAwait(false);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, object? body, IReadOnlyDictionary<string, string>? headers)
    {
        var request = new HttpRequestMessage(method, new Uri(_base, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.ApiKey);
        if (body is JsonElement raw)
            request.Content = new StringContent(raw.GetRawText(), Encoding.UTF8, "application/json");
        else if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
        foreach (var header in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return request;
    }

    private static Task<string> ReadTextAsync(HttpContent content, CancellationToken ct) =>
#if NET
        content.ReadAsStringAsync(ct);
#else
        content.ReadAsStringAsync(); // no token on netstandard2.0; error bodies are small and bounded by the server
#endif

    /// <summary>No answer: the connection failed, or our own timeout fired (not the caller's cancellation).</summary>
    private static bool Unreachable(Exception e, CancellationToken ct) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested);

    /// <summary>An error answer as an exception: problem+json read for code, detail, field and traceId.</summary>
    internal static LeaseholdException Failure(int status, string text)
    {
        JsonElement? problem = null;
        try
        {
            if (text.Length > 0)
                problem = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
        }
        var p = problem is { ValueKind: JsonValueKind.Object } o ? o : (JsonElement?)null;
        var code = Str(p, "code") ?? $"http_{status}";
        var detail = Str(p, "detail") ?? Str(p, "title") ?? (text.Length is > 0 and < 500 ? text : null);
        var traceId = Str(p, "traceId");
        return status switch
        {
            410 => new SessionEndedException(status, detail, traceId, p,
                LeaseEnd.FromServer(Str(p, "reason"), detail, p is { } g && g.TryGetProperty("endedAt", out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : null),
                code == "wait_ended" ? code : "session_ended"),
            409 when code != "plan_limit_reached" && code != "connection_exists" => new SeatDeniedException(status, code, detail, traceId, p),
            _ => new LeaseholdException(status, code, detail, Str(p, "field"), traceId, p),
        };
    }

    private static string? Str(JsonElement? element, string name) =>
        element is { } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose()
    {
        if (ownsHttp)
            http.Dispose();
    }
}
