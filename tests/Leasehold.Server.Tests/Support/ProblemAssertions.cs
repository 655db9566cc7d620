using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Leasehold.Server.Tests.Support;

/// <summary>An answer read without judging it: status, media type, the raw text and (when it is JSON) the parsed body.</summary>
public sealed record Reply(HttpMethod Method, string Url, HttpStatusCode Status, string? MediaType, string Text, JsonElement Body,
    HttpResponseHeaders Headers)
{
    public int StatusCode => (int)Status;

    public override string ToString() => $"{Method} {Url} answered {StatusCode} ({MediaType}): {Text}";
}

/// <summary>
/// Sends requests exactly as written (raw JSON text, odd headers, no body) and checks that an error
/// answer is RFC 9457 problem+json with the stable <c>code</c>, the <c>field</c> at fault and a <c>traceId</c>.
/// </summary>
public static class ProblemAssertions
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>
    /// Sends <paramref name="body"/> as is when it is a string (so it may be malformed), as JSON otherwise, and nothing when null.
    /// </summary>
    public static async Task<Reply> SendRawAsync(this HttpClient client, HttpMethod method, string url, object? body = null,
        IDictionary<string, string>? headers = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is string raw)
            request.Content = new StringContent(raw, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType));
        else if (body is not null)
            request.Content = JsonContent.Create(body);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value).ShouldBeTrue($"header {name} could not be added");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var json = text.Length > 0 && mediaType is not null && mediaType.Contains("json", StringComparison.Ordinal)
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return new Reply(method, url, response.StatusCode, mediaType, text, json, response.Headers);
    }

    /// <summary>Sends, then asserts the answer is the given problem; returns its body.</summary>
    public static async Task<JsonElement> ShouldFailAsync(this HttpClient client, HttpMethod method, string url, object? body,
        HttpStatusCode status, string code, string? field = null, IDictionary<string, string>? headers = null)
    {
        var reply = await client.SendRawAsync(method, url, body, headers);
        reply.ShouldBeProblem(status, code, field);
        return reply.Body;
    }

    /// <summary>
    /// The answer is problem+json with this status and <c>code</c>, a <c>traceId</c>, and (when
    /// <paramref name="field"/> is given) the <c>field</c> naming the culprit.
    /// </summary>
    public static void ShouldBeProblem(this Reply reply, HttpStatusCode status, string code, string? field = null)
    {
        reply.StatusCode.ShouldBe((int)status, reply.ToString());
        reply.MediaType.ShouldBe(ProblemJson, reply.ToString());
        reply.Body.ValueKind.ShouldBe(JsonValueKind.Object, reply.ToString());
        reply.Body.Int("status").ShouldBe((int)status, reply.ToString());
        reply.Body.Str("code").ShouldBe(code, reply.ToString());
        reply.Body.Str("title").ShouldNotBeNullOrWhiteSpace(reply.ToString());
        reply.Body.Str("traceId").ShouldNotBeNullOrWhiteSpace(reply.ToString());
        if (field is not null)
            reply.Body.FieldOf().ShouldBe(field, reply.ToString());
    }

    /// <summary>The problem's <c>field</c>, or null when it has none (absent or JSON null).</summary>
    public static string? FieldOf(this JsonElement problem) =>
        problem.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String ? field.GetString() : null;

    /// <summary>
    /// Two 404s that must be indistinguishable (an id of another tenant and an id that never
    /// existed): same status, title, detail, code and field; only the traceId differs.
    /// </summary>
    public static void ShouldLookTheSameAs(this Reply actual, Reply unknown)
    {
        actual.StatusCode.ShouldBe(unknown.StatusCode, $"{actual} vs {unknown}");
        foreach (var property in new[] { "type", "title", "detail", "code", "field" })
        {
            Describe(actual.Body, property).ShouldBe(Describe(unknown.Body, property),
                $"'{property}' tells an id of another tenant from an unknown one: {actual} vs {unknown}");
        }
    }

    /// <summary>
    /// Everything the operator can see, as one text: tenants, licenses with their seats in use,
    /// API keys with their revocation, and every live session with its heartbeat times. Equal
    /// snapshots before and after a refused request show that it changed nothing.
    /// </summary>
    public static async Task<string> SnapshotAsync(this TestHost host)
    {
        var parts = new StringBuilder();
        foreach (var url in new[] { "/v1/tenants", "/v1/licenses", "/v1/api-keys", "/v1/sessions" })
        {
            var reply = await host.Operator.SendRawAsync(HttpMethod.Get, url);
            reply.StatusCode.ShouldBe(200, reply.ToString());
            parts.Append(url).Append(": ").AppendLine(reply.Text);
        }
        return parts.ToString();
    }

    /// <summary>Asserts the server state the operator sees is still <paramref name="before"/>.</summary>
    public static async Task ShouldBeUnchangedSinceAsync(this TestHost host, string before, string why)
    {
        var after = await host.SnapshotAsync();
        after.ShouldBe(before, $"the refused request changed the server's state: {why}");
    }

    private static string Describe(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ToString()
            : "(none)";
}
