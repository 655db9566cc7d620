using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client;

/// <summary>
/// A checked-out seat. While it lives it heartbeats in the background at the interval the server
/// advises (with jitter) and listens on the server's push channel; dispose it to sign off.
/// The application learns of any end it did not ask for at once, three ways: the
/// <see cref="SessionEnded"/> event, the <see cref="EndedToken"/> and the <see cref="Ended"/> task.
/// Events are raised on the synchronization context of the checkout (the UI thread of a desktop
/// application), else on the thread pool. Nothing in the background ever throws or blocks the caller.
/// </summary>
public sealed partial class Lease : IAsyncDisposable
{
    private readonly ApiConnection _api;
    private readonly SynchronizationContext? _context;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _ended = new();
    private readonly TaskCompletionSource<LeaseEnd> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Heartbeats do not judge the limit again: a soft-limit overage said at checkout stays for the lease's life.</summary>
    private const string OverLimitCode = "over_limit";
    private readonly LeaseWarning[] _admissionWarnings;
    /// <summary>The session's token and the header that carries it: sent on every call on the session, never shown to the application.</summary>
    private readonly IReadOnlyDictionary<string, string>? _holder;
    private SessionInfo _session;
    private int _active;
    private int _disposed;
    private Task _heartbeats = Task.CompletedTask;
    private Task _push = Task.CompletedTask;

    private Lease(ApiConnection api, SessionInfo session, string? sessionToken, SynchronizationContext? context)
    {
        _api = api;
        _holder = ApiConnection.SessionHeaders(sessionToken);
        _session = session;
        _context = context;
        SessionId = session.Id;
        TookOver = session.TookOver;
        HandedOnState = session.State;
        _admissionWarnings = [.. (session.Warnings ?? []).Where(w => w.Code == OverLimitCode)];
    }

    internal static Lease Start(ApiConnection api, SessionInfo session, string? sessionToken, SynchronizationContext? context)
    {
        var lease = new Lease(api, session, sessionToken, context);
        lease._heartbeats = Task.Run(lease.HeartbeatLoopAsync);
        if (api.Options.UsePushChannel)
            lease._push = Task.Run(lease.PushLoopAsync);
        return lease;
    }

    public string SessionId { get; }

    /// <summary>The session as the server last answered (expiry, seats, warnings, ...).</summary>
    public SessionInfo Session => Volatile.Read(ref _session);

    /// <summary>
    /// What to show on the home screen now: the soft-limit overage of the checkout (<c>over_limit</c>,
    /// kept for the lease's life) and what the last answer said (license ending, access window closed, ...).
    /// </summary>
    public IReadOnlyList<LeaseWarning> Warnings =>
        [.. _admissionWarnings, .. (Session.Warnings ?? []).Where(w => _admissionWarnings.All(a => a.Code != w.Code))];

    /// <summary>The session this checkout took over on a shared connection, if it did.</summary>
    public TakeoverInfo? TookOver { get; }

    /// <summary>After a takeover: the state the taken-over session had saved (which screens were open, ...).</summary>
    public JsonElement? HandedOnState { get; }

    /// <summary>Whether the last request reached the server.</summary>
    public bool IsOnline { get; private set; } = true;

    /// <summary>How the session ended; null while it lives.</summary>
    public LeaseEnd? End => _end.Task.IsCompleted ? _end.Task.Result : null;

    public bool IsActive => End is null;

    /// <summary>Cancelled the moment the session ends, whatever the cause (also on disposal): tie the user's work to it.</summary>
    public CancellationToken EndedToken => _ended.Token;

    /// <summary>Completes with the end, whatever the cause (also on disposal).</summary>
    public Task<LeaseEnd> Ended => _end.Task;

    /// <summary>The session ended for a reason other than the application's own sign-off: stopped, taken over, idle, expired, offline too long, ...</summary>
    public event EventHandler<LeaseEndedEventArgs>? SessionEnded;

    /// <summary>The warnings to show on the home screen changed.</summary>
    public event EventHandler<LeaseWarningsEventArgs>? WarningsChanged;

    /// <summary>The lease lost the server, or reached it again.</summary>
    public event EventHandler<LeaseConnectivityEventArgs>? ConnectivityChanged;

    /// <summary>The user did something: the next heartbeat reports activity (keeps the session from ending as idle). Cheap; call it freely.</summary>
    public void ReportActivity() => Volatile.Write(ref _active, 1);

    /// <summary>Saves the session's state (any JSON, up to 64 KiB): a user who takes the session over receives it.</summary>
    /// <exception cref="SessionEndedException">The session has ended (the lease ends too).</exception>
    public async Task SaveStateAsync<T>(T state, CancellationToken ct = default)
    {
        var document = JsonSerializer.SerializeToElement(state, ApiConnection.Json);
        try
        {
            await Backoff.RetryAsync(_api.Options,
                attempt => _api.SendForTextAsync(HttpMethod.Put, $"v1/sessions/{Uri.EscapeDataString(SessionId)}/state", document, attempt, _holder), ct)
                .ConfigureAwait(false);
        }
        catch (SessionEndedException e)
        {
            Finish(e.End);
            throw;
        }
    }

    /// <summary>Signs off: frees the seat at once. Never throws; if the server cannot be reached the seat frees itself after the TTL.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        var wasActive = IsActive;
        _stop.Cancel();
        await Quietly(_heartbeats).ConfigureAwait(false);
        await Quietly(_push).ConfigureAwait(false);
        if (wasActive && IsActive)
            Finish(await SignOffAsync().ConfigureAwait(false));
        _stop.Dispose();
    }

    private async Task<LeaseEnd> SignOffAsync()
    {
        var released = new LeaseEnd(LeaseEndReason.Released, "released", "You signed off.", _api.Options.TimeProvider.GetUtcNow());
        try
        {
            await _api.SendForTextAsync(HttpMethod.Delete, $"v1/sessions/{Uri.EscapeDataString(SessionId)}", null, CancellationToken.None, _holder)
                .ConfigureAwait(false);
            return released;
        }
        catch (SessionEndedException e)
        {
            return e.End;
        }
        catch (Exception e)
        {
            if (_api.Options.Logger is { } log)
                Log.LogSignOffFailed(log, e, SessionId);
            return released;
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loops catch everything themselves; this is only a belt to their braces.
        }
    }
}
