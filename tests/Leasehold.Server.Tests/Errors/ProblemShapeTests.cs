using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Errors;

/// <summary>
/// An error is problem+json whatever the request accepts: a refused key on the events stream (which
/// asks for text/event-stream), on the CSV export, or from a browser, and malformed JSON from a
/// client that wants CSV, each get their status with a body naming the code, never an empty 500.
/// </summary>
public sealed class ProblemShapeTests : HostedTests
{
    [Theory]
    [InlineData("GET", "/v1/licenses", "text/html", null, 401, "unauthorized")]
    [InlineData("GET", "/v1/sessions/ses_nope/events", "text/event-stream", null, 401, "unauthorized")]
    [InlineData("GET", "/v1/usage/events.csv", "text/csv", null, 401, "unauthorized")]
    [InlineData("GET", "/v1/usage/events.csv", "text/csv", "client", 403, "forbidden")]
    [InlineData("GET", "/v1/nothing-here", "text/html", "operator", 404, "not_found")]
    [InlineData("POST", "/v1/tenants", "text/csv", "operator", 400, "invalid_request")]
    public async Task AnyAccept_GetsProblemJson(string method, string path, string accept, string? key, int status, string code)
    {
        var tenant = await Host.CreateTenantAsync();
        using var client = Host.Client(key switch { "operator" => TestHost.OperatorKey, "client" => await Host.CreateKeyAsync(tenant, "client"), _ => null });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        if (method == "POST")
            request.Content = new StringContent("{bad", System.Text.Encoding.UTF8, "application/json");

        using var answer = await client.SendAsync(request);

        ((int)answer.StatusCode).ShouldBe(status);
        answer.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        problem.Str("code").ShouldBe(code);
        problem.GetProperty("status").GetInt32().ShouldBe(status);
    }

    /// <summary>Found by the route fuzzing (Security/RouteFuzzTests): an unknown charset was a 500 with a logged stack trace, before any key was checked.</summary>
    [Theory]
    [InlineData("application/json; charset=nope", null)]
    [InlineData("application/json; charset=\"utf-8\"", "operator")]
    [InlineData("application/json; charset=x-unknown", "operator")]
    public async Task ABodyInACharsetTheServerDoesNotKnow_Is415_NotA500_AndChangesNothing(string contentType, string? key)
    {
        var before = (await Host.Operator.GetJsonAsync("/v1/tenants")).ToString();
        using var client = Host.Client(key is null ? null : TestHost.OperatorKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants")
        {
            Content = new ByteArrayContent("""{"name":"Charset Inc","timeZone":"UTC"}"""u8.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType).ShouldBeTrue();

        using var answer = await client.SendAsync(request);

        ((int)answer.StatusCode).ShouldBe(415, await answer.Content.ReadAsStringAsync());
        answer.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        problem.Str("code").ShouldBe("unsupported_media_type");
        problem.Str("field").ShouldBe("Content-Type");
        (await Host.Operator.GetJsonAsync("/v1/tenants")).ToString().ShouldBe(before);
    }
}
