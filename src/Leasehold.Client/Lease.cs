using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client;

/// <summary>
/// A checked-out seat. While it lives it heartbeats in the background at the interval the server
/// advises (with jitter; the client's leases that are due together go in one batched request) and
/// listens on the server's push channel; dispose it to sign off.
/// The application learns of any end it did not ask for at once, three ways: the
/// <see cref="SessionEnded"/> event, the <see cref="EndedToken"/> and the <see cref="Ended"/> task.
/// Events are raised on the synchronization context of the checkout (the UI thread of a desktop
/// application), else on the thread pool. Nothing in the background ever throws or blocks the caller.
/// </summary>
/// <remarks>
/// The order of an end is fixed: first <see cref="End"/> is set (and <see cref="IsActive"/> turns false),
/// then the <see cref="SessionEnded"/> handlers run (not for the application's own sign-off), and only
/// after they returned is <see cref="EndedToken"/> cancelled and the <see cref="Ended"/> task completed.
/// So code that awaits <see cref="Ended"/> or watches <see cref="EndedToken"/> runs after the handlers;
/// do not block the checkout's (UI) thread waiting for either, since the handlers run there first.
/// </remarks>
public sealed partial class Lease : IAsyncDisposable
{
    private readonly ApiConnection _api;
    private readonly SynchronizationContext? _context;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _ended = new();
    private readonly TaskCompletionSource<LeaseEnd> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>The end, set once by whoever notices it first (<see cref="Finish"/>), before the handlers run and the task completes.</summary>
    private LeaseEnd? _endedWith;
    /// <summary>Heartbeats do not judge the limit again: a soft-limit overage said at checkout stays for the lease's life.</summary>
    private const string OverLimitCode = "over_limit";
    private readonly LeaseWarning[] _admissionWarnings;
    /// <summary>The session's token and the header that carries it: sent on every call on the session, never shown to the application.</summary>
    private readonly IReadOnlyDictionary<string, string>? _holder;
    /// <summary>The same token, for the item of a batched heartbeat (which carries it in the body, not a header).</summary>
    private readonly string? _token;
    private SessionInfo _session;
    private int _active;
    private int _disposed;
    /// <summary>Completed when the client's heartbeat scheduler has let the lease go (stopped, and no heartbeat of it in flight).</summary>
    private readonly TaskCompletionSource<bool> _heartbeats = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _push = Task.CompletedTask;

    private Lease(ApiConnection api, SessionInfo session, string? sessionToken, SynchronizationContext? context)
    {
        _api = api;
        _holder = ApiConnection.SessionHeaders(sessionToken);
        _token = sessionToken;
        _session = session;
        _context = context;
        SessionId = session.Id;
        TookOver = session.TookOver;
        HandedOnState = session.State;
        _admissionWarnings = [.. (session.Warnings ?? []).Where(w => w.Code == OverLimitCode)];
    }

    /// <summary>A lease for a session the server just gave: its heartbeats go with the client's <paramref name="heartbeats"/>, its push loop starts.</summary>
    internal static Lease Start(ApiConnection api, HeartbeatScheduler heartbeats, SessionInfo session, string? sessionToken, SynchronizationContext? context)
    {
        var lease = new Lease(api, session, sessionToken, context);
        heartbeats.Add(lease);
        if (api.Options.UsePushChannel)
            lease._push = Task.Run(lease.PushLoopAsync);
        return lease;
    }

    /// <summary>The session's id (<c>ses_...</c>), as admins see it in the list of who holds seats (<c>leasehold sessions list</c>) and stop it by.</summary>
    public string SessionId { get; }

    /// <summary>
    /// The session as the server last answered: the checkout's answer, then each heartbeat's (expiry,
    /// last heartbeat and activity, seats in use, warnings, ...). It is not updated by the push channel
    /// nor by the end: read <see cref="End"/> for how and when the session ended.
    /// </summary>
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

    /// <summary>Whether the last request reached the server; <see cref="ConnectivityChanged"/> tells when it changes.</summary>
    public bool IsOnline { get; private set; } = true;

    /// <summary>
    /// How the session ended (reason, code, message for the user, and <see cref="LeaseEnd.EndedAt"/>:
    /// when, by the server's clock where the server said so); null while it lives. Set the moment the
    /// end is known, before <see cref="SessionEnded"/> is raised.
    /// </summary>
    public LeaseEnd? End => Volatile.Read(ref _endedWith);

    /// <summary>True until the session ends, whatever the cause (<see cref="End"/> is null).</summary>
    public bool IsActive => End is null;

    /// <summary>
    /// Cancelled when the session ends, whatever the cause (also on disposal): tie the user's work to it.
    /// For an end the application did not ask for, it is cancelled after the <see cref="SessionEnded"/> handlers returned.
    /// </summary>
    public CancellationToken EndedToken => _ended.Token;

    /// <summary>
    /// Completes with the end, whatever the cause (also on disposal, before <see cref="DisposeAsync"/> returns).
    /// For an end the application did not ask for, it completes after the <see cref="SessionEnded"/> handlers returned.
    /// </summary>
    public Task<LeaseEnd> Ended => _end.Task;

    /// <summary>
    /// The session ended for a reason other than the application's own sign-off: stopped, taken over,
    /// idle, expired, offline too long, ... Raised once, on the checkout's synchronization context, with
    /// <see cref="End"/> already set and before <see cref="EndedToken"/> is cancelled and <see cref="Ended"/> completes.
    /// Not raised when the application disposes the lease.
    /// </summary>
    public event EventHandler<LeaseEndedEventArgs>? SessionEnded;

    /// <summary>The warnings to show on the home screen changed (a heartbeat's answer differed); the event carries the new <see cref="Warnings"/>.</summary>
    public event EventHandler<LeaseWarningsEventArgs>? WarningsChanged;

    /// <summary>The lease lost the server (a heartbeat failed), or reached it again; the event says until when the offline grace lasts.</summary>
    public event EventHandler<LeaseConnectivityEventArgs>? ConnectivityChanged;

    /// <summary>The user did something: the next heartbeat reports activity (keeps the session from ending as idle). Cheap; call it freely.</summary>
    public void ReportActivity() => Volatile.Write(ref _active, 1);

    /// <summary>
    /// Saves the session's state (any value serialisable to JSON, up to 64 KiB serialised): a user who
    /// takes the session over receives it (<see cref="HandedOnState"/>). Transient failures are retried
    /// for <see cref="LeaseholdClientOptions.RetryFor"/>; each save replaces the last.
    /// </summary>
    /// <typeparam name="T">The state's type, serialised with the web defaults of System.Text.Json (camelCase).</typeparam>
    /// <param name="state">What to save, e.g. <c>new { openScreens }</c>.</param>
    /// <param name="ct">Cancels the save (and its retries).</param>
    /// <exception cref="SessionEndedException">The session has ended (the lease ends too, with that reason).</exception>
    /// <exception cref="LeaseholdException">The server refused the state (400 <c>invalid_request</c> or 413 when too large), or stayed unreachable.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
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

    /// <summary>
    /// Signs off: one request (<c>DELETE /v1/sessions/{id}</c>) that frees the seat on the server before
    /// this returns, so another user can take it at once. It does not wait for the background loops: they
    /// are cancelled and wind down by themselves. Then <see cref="End"/> is <see cref="LeaseEndReason.Released"/>
    /// (or the server's reason, if the session had ended meanwhile), <see cref="EndedToken"/> is cancelled
    /// and <see cref="Ended"/> has completed; <see cref="SessionEnded"/> is not raised for it. Calling it
    /// again does nothing. Never throws: if the server cannot be reached (within
    /// <see cref="LeaseholdClientOptions.RequestTimeout"/>) the sign-off is logged and the seat frees itself
    /// when the client type's TTL passes without a heartbeat.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        // Stop the loops first, so no heartbeat goes out after the sign-off, but do not wait for them:
        // a cancelled loop holds no seat, and waiting for a closing events stream only kept the seat longer.
        _stop.Cancel();
        if (IsActive)
            Finish(await SignOffAsync().ConfigureAwait(false));
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

    /// <summary>The background loops, for tests that wait for them to wind down after a dispose (they never throw).</summary>
    internal Task Loops => Task.WhenAll(_heartbeats.Task, _push);
}
