using Leasehold.Server.Auth;
using Leasehold.Server.Sessions.Signals;
using Leasehold.Server.Storage;

namespace Leasehold.Server.WebConsole;

/// <summary>
/// <c>GET /console/sessions/live</c>: the active-users page's live channel, as server-sent events.
/// It sends <c>changed</c> when a session of the page's tenant starts or ends (a burst of them is
/// one event), and at least every <see cref="Refresh"/> (so idle times move, and checkouts made on
/// another PostgreSQL node show too); the page (wwwroot/console/live.js) then fetches itself again.
/// A revoked key ends the stream with <c>signed-out</c>.
/// </summary>
internal static class ConsoleLive
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(15);

    /// <summary>How long a burst of changes is gathered before the page is told once.</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(200);

    public static void MapConsoleLive(this WebApplication app) =>
        app.MapGet(ConsoleSetup.Root + "/sessions/live", StreamAsync).RequireAuthorization(ConsoleSetup.Policy).ExcludeFromDescription();

    private static async Task StreamAsync(HttpContext http, SeatActivity activity, IApiKeyStore keys, TimeProvider clock,
        IHostApplicationLifetime lifetime, string? tenant)
    {
        if (ConsoleScope.Resolve(Caller.From(http.User), tenant) is not { } scope)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        using var watcher = activity.Watch(scope.TenantScope);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await http.Response.WriteAsync("retry: 2000\n\n", stop.Token);
            await http.Response.Body.FlushAsync(stop.Token);
            while (true)
            {
                var woke = await Task.WhenAny(watcher.Changed, Task.Delay(Refresh, clock, stop.Token));
                if (woke == watcher.Changed)
                    await Task.Delay(Gather, clock, stop.Token);
                stop.Token.ThrowIfCancellationRequested();
                watcher.Reset();
                var signedIn = await keys.GetApiKeyAsync(scope.Caller.KeyId, stop.Token) is { RevokedAt: null };
                await http.Response.WriteAsync(signedIn ? "event: changed\ndata: {}\n\n" : "event: signed-out\ndata: {}\n\n", stop.Token);
                await http.Response.Body.FlushAsync(stop.Token);
                if (!signedIn)
                    return;
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed, or the server is stopping: the stream just ends (EventSource reconnects).
        }
    }
}
