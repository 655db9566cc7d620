using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Sessions.Signals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using FromHeaderAttribute = Microsoft.AspNetCore.Mvc.FromHeaderAttribute;
using Microsoft.Extensions.Options;

namespace Leasehold.Server.Sessions;

/// <summary>What the <c>ended</c> event of the push channel carries.</summary>
internal sealed record SessionEndedEvent(string SessionId, string Reason, DateTimeOffset EndedAt, string Message);

/// <summary>
/// <c>GET /v1/sessions/{id}/events</c>: the push channel, as server-sent events. The stream opens
/// with a <c>session</c> event (the session as it stands), sends a comment line every
/// <see cref="KeepAlive"/> so proxies keep it open, and ends with one <c>ended</c> event the moment
/// the server has committed the session's end, whatever ended it. Heartbeats stay the fallback.
/// The key that opened the stream is checked again at every keep-alive and before the end is sent:
/// once it is revoked, the stream closes with nothing more (a revoked key reads nothing new).
/// </summary>
internal static partial class SessionsApi
{
    public const string EventStreamContentType = "text/event-stream";
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> StreamEvents(
        string id, [FromHeader(Name = SessionTokens.Header), Description(SessionTokens.HeaderDescription)] string? sessionToken,
        Caller caller, [AsParameters] SessionServices services, SessionSignals signals,
        IOptions<JsonOptions> jsonOptions, IHostApplicationLifetime lifetime, ApiKeyDirectory keys, HttpContext http, CancellationToken ct)
    {
        using var subscription = signals.Subscribe(id); // before the read: an end committed in between is not missed
        var session = await services.Sessions.GetSessionAsync(id, caller.TenantScope, ct);
        if (session is null)
            return Problems.NotFound("session");
        if (!SessionTokens.MayAct(caller, session, sessionToken))
            return Problems.SessionTokenInvalid(SessionTokens.Header, sessionToken is not null);
        var clock = services.Clock;
        var now = clock.Now();
        var shown = SessionResponse.AsOf(session, now);
        if (!shown.IsActive)
            return Problems.Gone(shown);

        // A server shutting down closes its streams rather than wait for them; clients reconnect.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        var response = StartEventStream(http);
        var json = jsonOptions.Value.SerializerOptions;
        try
        {
            await WriteEventAsync(response, "session", JsonSerializer.Serialize(SessionResponse.From(session, now), json), stop.Token);
            while (true)
            {
                var wake = await Task.WhenAny(subscription.Ended, Task.Delay(KeepAlive, clock, stop.Token));
                if (!await KeyStandsAsync(keys, http, stop.Token))
                    break;
                if (wake == subscription.Ended)
                {
                    var end = await subscription.Ended;
                    var ended = new SessionEndedEvent(end.SessionId, Codes.Of(end.Reason), end.EndedAt, EndMessages.For(end.Reason));
                    await WriteEventAsync(response, "ended", JsonSerializer.Serialize(ended, json), stop.Token);
                    break;
                }
                stop.Token.ThrowIfCancellationRequested();
                await WriteKeepAliveAsync(response, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or the server is stopping: the stream just closes.
        }
        return TypedResults.Empty;
    }

    /// <summary>Whether the key the stream was opened with still stands (cached: a revoke on this node shows at once, on others within 30 s).</summary>
    internal static async Task<bool> KeyStandsAsync(ApiKeyDirectory keys, HttpContext http, CancellationToken ct)
    {
        string? header = http.Request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && await keys.FindActiveAsync(header["Bearer ".Length..].Trim(), ct) is not null;
    }

    /// <summary>Sets the headers of a server-sent events answer (no caching, no proxy buffering) and returns the response to write to.</summary>
    internal static HttpResponse StartEventStream(HttpContext http)
    {
        var response = http.Response;
        response.ContentType = EventStreamContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        return response;
    }

    /// <summary>A comment line that keeps proxies from closing a quiet stream.</summary>
    internal static async Task WriteKeepAliveAsync(HttpResponse response, CancellationToken ct)
    {
        await response.Body.WriteAsync(": keep-alive\n\n"u8.ToArray(), ct);
        await response.Body.FlushAsync(ct);
    }

    internal static async Task WriteEventAsync(HttpResponse response, string name, string data, CancellationToken ct)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {name}\ndata: {data}\n\n"), ct);
        await response.Body.FlushAsync(ct);
    }
}
