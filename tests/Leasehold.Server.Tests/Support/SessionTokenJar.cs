using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Leasehold.Server.Tests.Support;

/// <summary>
/// What the SDK's lease does for an application, done for the tests' raw HTTP clients: remembers the
/// <c>sessionToken</c> of every checkout answer it sees and sends it in <c>Leasehold-Session-Token</c>
/// on later calls on that session (heartbeat, sign-off, saved state, events), unless the request
/// names a token itself. Shared by every client of the test process (session ids are unique), so a
/// session checked out on one host of a deployment is held on another too. A test that plays someone
/// else (another application's key) takes a client without it: <c>TestHost.Client(key, sendSessionTokens: false)</c>.
/// The same for places in the waiting line: a <c>POST /v1/waits</c> answer's <c>waitToken</c> is sent on calls on <c>/v1/waits/{id}</c>.
/// </summary>
public sealed class SessionTokenJar : DelegatingHandler
{
    public const string Header = "Leasehold-Session-Token";
    private const string Sessions = "/v1/sessions";
    private const string Waits = "/v1/waits";

    private static readonly ConcurrentDictionary<string, string> Tokens = new(StringComparer.Ordinal);

    public SessionTokenJar(HttpMessageHandler inner) : base(inner) { }

    /// <summary>The token a checkout answered for <paramref name="sessionId"/> (null if none was seen).</summary>
    public static string? TokenOf(string sessionId) => Tokens.GetValueOrDefault(sessionId);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var path = request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.AbsolutePath : request.RequestUri?.OriginalString.Split('?')[0];
        foreach (var prefix in (string[])[Sessions, Waits])
        {
            if (path is not null && path.StartsWith(prefix + "/", StringComparison.Ordinal) && !request.Headers.Contains(Header))
            {
                var id = path[(prefix.Length + 1)..].Split('/')[0];
                if (Tokens.TryGetValue(id, out var token))
                    request.Headers.TryAddWithoutValidation(Header, token);
            }
        }

        var response = await base.SendAsync(request, ct);
        if (request.Method == HttpMethod.Post && response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted
            && (path is Sessions or Sessions + "/" or Waits or Waits + "/"
                || (path?.StartsWith(Waits + "/", StringComparison.Ordinal) == true && path.EndsWith("/session", StringComparison.Ordinal))))
            await RememberAsync(response, ct);
        return response;
    }

    private static async Task RememberAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await response.Content.LoadIntoBufferAsync(ct);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        if (answer.RootElement.TryGetProperty("id", out var id) && answer.RootElement.TryGetProperty("sessionToken", out var token))
            Tokens[id.GetString()!] = token.GetString()!;
        if (answer.RootElement.TryGetProperty("id", out var waitId) && answer.RootElement.TryGetProperty("waitToken", out var waitToken))
            Tokens[waitId.GetString()!] = waitToken.GetString()!;
    }
}
