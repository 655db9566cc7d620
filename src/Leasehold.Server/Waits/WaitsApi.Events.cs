using System.ComponentModel;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Queue;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Sessions;
using Leasehold.Server.Sessions.Signals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using FromHeaderAttribute = Microsoft.AspNetCore.Mvc.FromHeaderAttribute;

namespace Leasehold.Server.Waits;

/// <summary>
/// <c>GET /v1/waits/{id}/events</c>: the entry's push channel, server-sent events like a session's. It opens with
/// <c>waiting</c> (or <c>offered</c>), sends <c>waiting</c> again whenever the position or estimate changes, <c>offered</c>
/// the moment a seat is held for it, and <c>ended</c> last (then closes). Every committed change to the license's line, on this
/// node or another (PostgreSQL NOTIFY), wakes the stream, which finds its entry in one read of the line that all the license's
/// streams share (<see cref="LineSnapshots"/>); a comment line every 15 s keeps
/// proxies from closing it, and the key that opened it is checked again each time, as on a session's stream.
/// </summary>
internal static partial class WaitsApi
{
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> StreamEvents(
        string id, [FromHeader(Name = SessionTokens.Header), Description(TokenDescription)] string? waitToken,
        Caller caller, [AsParameters] WaitServices services, SessionSignals signals, LineSnapshots lines,
        IOptions<JsonOptions> jsonOptions, IHostApplicationLifetime lifetime, ApiKeyDirectory keys, HttpContext http, CancellationToken ct)
    {
        var view = await services.Waits.GetWaitAsync(id, caller.TenantScope, ct);
        if (view is null)
            return Problems.NotFound("waiting-line entry");
        if (!SessionTokens.MayActOnWait(caller, view.Entry, waitToken))
            return Problems.SessionTokenInvalid(SessionTokens.Header, waitToken is not null);
        var clock = services.Clock;
        if (WaitResponse.AsOf(view.Entry, clock.Now()) is { IsOpen: false } over)
            return Problems.WaitGone(over);

        var licenseId = view.Entry.LicenseId;
        using var watcher = signals.WatchLine(licenseId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        var response = SessionsApi.StartEventStream(http);
        var json = jsonOptions.Value.SerializerOptions;
        object? last = null;
        try
        {
            while (true)
            {
                // Reset before the read: a change committed after it wakes the next wait.
                watcher.Reset();
                var line = await lines.ReadAsync(licenseId, signals.LineVersion(licenseId)).WaitAsync(stop.Token);
                var now = clock.Now();
                // Not in the line any more, or due by the shared read (which a heartbeat since may have put off): the place itself.
                if (!line.TryGetValue(id, out view) || view.Entry.NextEnd.At <= now)
                    view = await services.Waits.GetWaitAsync(id, caller.TenantScope, stop.Token);
                if (view is null)
                    break;
                var entry = WaitResponse.AsOf(view.Entry, now);
                var (name, data) = entry.State switch
                {
                    WaitState.Waiting => ("waiting", (object)new WaitingEvent(entry.Id, view.Position,
                        view.EstimatedWait is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null, entry.WaitUntil)),
                    WaitState.Offered => ("offered", new OfferedEvent(entry.Id, entry.OfferExpiresAt!.Value, entry.Request.SessionId, $"/v1/waits/{entry.Id}/session")),
                    _ => ("ended", new WaitEndedEvent(entry.Id, Codes.Of(entry.EndReason!.Value), entry.EndedAt!.Value, entry.SessionId,
                        EndMessages.For(entry.EndReason!.Value))),
                };
                if (!Equals(data, last))
                {
                    await SessionsApi.WriteEventAsync(response, name, JsonSerializer.Serialize(data, data.GetType(), json), stop.Token);
                    last = data;
                }
                if (name == "ended")
                    break;

                // Wake at the next change of the line, at the entry's own next end (its reaper may be on another node), or to keep alive.
                var untilEnd = entry.NextEnd.At - now;
                var delay = untilEnd < SessionsApi.KeepAlive ? (untilEnd > TimeSpan.Zero ? untilEnd : TimeSpan.FromMilliseconds(50)) : SessionsApi.KeepAlive;
                var wake = await Task.WhenAny(watcher.Changed, Task.Delay(delay, clock, stop.Token));
                if (!await SessionsApi.KeyStandsAsync(keys, http, stop.Token))
                    break;
                stop.Token.ThrowIfCancellationRequested();
                if (wake != watcher.Changed && delay == SessionsApi.KeepAlive)
                    await SessionsApi.WriteKeepAliveAsync(response, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or the server is stopping: the stream just closes.
        }
        return TypedResults.Empty;
    }
}
