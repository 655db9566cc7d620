using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client;

/// <summary>
/// The lease's heartbeats' outcomes (the client's <see cref="HeartbeatScheduler"/> sends them), its push loop, and how it ends.
/// Nothing here ever throws.
/// </summary>
public sealed partial class Lease
{
    /// <summary>The advised heartbeat interval (at least a second).</summary>
    internal TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(1, Session.HeartbeatIntervalSeconds));

    /// <summary>Cancelled when the lease stops (its end, or the application's sign-off): no heartbeat of it goes out after.</summary>
    internal CancellationToken StopToken => _stop.Token;

    /// <summary>The session's token, for the item of a batched heartbeat; null for a session without one.</summary>
    internal string? Token => _token;

    /// <summary>The header of a single heartbeat: the session's token.</summary>
    internal IReadOnlyDictionary<string, string>? Holder => _holder;

    /// <summary>The client's heartbeat scheduler's bookkeeping for this lease, touched only under its lock.</summary>
    internal HeartbeatScheduler.Slot Beat { get; } = new();

    // The heartbeats' state between one answer and the next: only the outcome of the one heartbeat of the lease in flight touches it.
    private DateTimeOffset? _offlineSince;
    private int _failures;

    /// <summary>What the next heartbeat reports: whether the user did anything since the last one (and clears it), or always true with <see cref="LeaseholdClientOptions.AlwaysActive"/>.</summary>
    internal bool TakeActivity() => _api.Options.AlwaysActive || Interlocked.Exchange(ref _active, 0) == 1;

    /// <summary>The server answered the lease's heartbeat with its session. The pause before the next heartbeat; null when the lease heartbeats no more.</summary>
    internal TimeSpan? Heartbeated(SessionInfo session)
    {
        if (_stop.IsCancellationRequested)
            return null; // disposed or ended meanwhile: nothing more to tell
        _failures = 0;
        if (_offlineSince is not null)
        {
            _offlineSince = null;
            SetOnline(true, null);
        }
        Update(session);
        if (!session.IsActive)
        {
            Finish(LeaseEnd.FromServer(session.EndReason, null, session.EndedAt));
            return null;
        }
        return Backoff.Jittered(Interval);
    }

    /// <summary>
    /// The lease's heartbeat failed with <paramref name="error"/> (its own request's, or its item's in a batch, or the whole batch's):
    /// a 410 ends the lease with the server's reason, any other refusal as <see cref="LeaseEndReason.Rejected"/>; no answer, a timeout
    /// and the transient statuses are retried with backoff until the offline grace runs out. The pause before the next attempt; null when the lease heartbeats no more.
    /// </summary>
    /// <param name="error">What failed.</param>
    /// <param name="active">What the failed heartbeat reported: not delivered, so the next one carries it.</param>
    internal TimeSpan? HeartbeatFailed(Exception error, bool active)
    {
        if (_stop.IsCancellationRequested)
            return null; // disposed or ended meanwhile (a cancelled request lands here too)
        var options = _api.Options;
        var clock = options.TimeProvider;
        switch (error)
        {
            case SessionEndedException ended:
                Finish(ended.End);
                return null;
            case LeaseholdException { IsTransient: false } refused:
                // Not transient and not 410: the server no longer knows the session (404) or the key (401/403).
                Finish(new LeaseEnd(LeaseEndReason.Rejected, refused.Code, refused.Detail ?? refused.Message, clock.GetUtcNow()));
                return null;
        }
        if (active)
            ReportActivity(); // not delivered: the next heartbeat carries it
        var now = clock.GetUtcNow();
        if (_offlineSince is null)
        {
            _offlineSince = now;
            SetOnline(false, now);
        }
        var left = _offlineSince.Value + options.OfflineGrace - now;
        if (left <= TimeSpan.Zero)
        {
            Finish(new LeaseEnd(LeaseEndReason.OfflineGraceExpired, "offline_grace_expired",
                $"The license server could not be reached for {options.OfflineGrace.TotalMinutes:0.#} minutes.", now));
            return null;
        }
        var cap = Interval < options.MaxBackoff ? Interval : options.MaxBackoff;
        var wait = Backoff.After(++_failures, options.InitialBackoff, cap);
        return wait > left ? left : wait;
    }

    /// <summary>The scheduler has let the lease go: no heartbeat of it is in flight nor will be.</summary>
    internal void HeartbeatsStopped() => _heartbeats.TrySetResult(true);

    private async Task PushLoopAsync()
    {
        var options = _api.Options;
        var ct = _stop.Token;
        var failures = 0;
        TimeSpan? retry = null; // the server's last `retry:`, which holds across connections until it sends another
        while (!ct.IsCancellationRequested)
        {
            Exception? error = null;
            ServerSentEventReader? reader = null;
            try
            {
                using var response = await _api.OpenStreamAsync($"v1/sessions/{Uri.EscapeDataString(SessionId)}/events", ct, _holder).ConfigureAwait(false);
                reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
                using var _ = ct.Register(response.Dispose); // a pending read ends when the lease stops (.NET Framework's streams ignore the token)
                failures = 0;
                // `session` events and keep-alives need nothing; an `id` is not sent back as Last-Event-ID, since the server does not resume from one.
                await foreach (var e in reader.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    if (e.EventType == "ended")
                    {
                        Finish(EndFromEvent(e.Data));
                        return;
                    }
                }
            }
            catch (SessionEndedException e)
            {
                Finish(e.End);
                return;
            }
            catch (LeaseholdException e) when (!e.IsTransient)
            {
                return; // no push channel for this session or key (an older server, say): heartbeats tell the end
            }
            catch (Exception e)
            {
                error = e;
            }
            if (ct.IsCancellationRequested)
                return;
            if (options.Logger is { } log)
                Log.LogStreamClosed(log, error, SessionId);
            retry = reader?.Retry ?? retry;
            var cap = Interval < options.MaxBackoff ? Interval : options.MaxBackoff;
            var wait = Backoff.After(++failures, options.InitialBackoff, cap);
            if (retry is { } asked && asked > wait)
                wait = asked < Interval ? asked : Interval; // as the server asked, but never past a heartbeat interval (nor a timer's range)
            try
            {
                await Backoff.DelayAsync(options.TimeProvider, wait, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static LeaseEnd EndFromEvent(string data)
    {
        using var json = JsonDocument.Parse(data);
        var root = json.RootElement;
        string? Str(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var endedAt = root.TryGetProperty("endedAt", out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : (DateTimeOffset?)null;
        return LeaseEnd.FromServer(Str("reason"), Str("message"), endedAt);
    }

    private void Update(SessionInfo session)
    {
        var before = Warnings;
        Volatile.Write(ref _session, session);
        var after = Warnings;
        if (!before.SequenceEqual(after))
            Raise(() => WarningsChanged?.Invoke(this, new LeaseWarningsEventArgs(after)));
    }

    private void SetOnline(bool online, DateTimeOffset? since)
    {
        IsOnline = online;
        if (_api.Options.Logger is { } log)
        {
            if (online)
                Log.LogOnline(log, SessionId);
            else
                Log.LogOffline(log, SessionId, "unavailable", since!.Value);
        }
        var graceEnds = since + _api.Options.OfflineGrace;
        Raise(() => ConnectivityChanged?.Invoke(this, new LeaseConnectivityEventArgs(online, since, graceEnds)));
    }

    /// <summary>
    /// Records the end once (the first to notice wins) and stops the loops; then, in this order, raises
    /// <see cref="SessionEnded"/> (not for the application's own sign-off), cancels <see cref="EndedToken"/> and
    /// completes <see cref="Ended"/>, so whoever awaits the end runs after the handlers. The own sign-off
    /// completes at once, on the caller's thread, before <see cref="DisposeAsync"/> returns.
    /// </summary>
    private void Finish(LeaseEnd end)
    {
        if (Interlocked.CompareExchange(ref _endedWith, end, null) is not null)
            return;
        if (_api.Options.Logger is { } log)
            Log.LogEnded(log, SessionId, end.Code, end.Message);
        _stop.Cancel();
        if (end.Reason == LeaseEndReason.Released)
            Complete(end);
        else
            Raise(() => SessionEnded?.Invoke(this, new LeaseEndedEventArgs(end)), then: () => Complete(end));
    }

    /// <summary>The last step of an end: the token, then the task. What a token callback throws is logged.</summary>
    private void Complete(LeaseEnd end)
    {
        try
        {
            _ended.Cancel();
        }
        catch (Exception e)
        {
            if (_api.Options.Logger is { } l)
                Log.LogHandlerFailed(l, e, SessionId);
        }
        _end.TrySetResult(end);
    }

    /// <summary>
    /// Runs an event handler on the checkout's synchronization context (or the thread pool); what it throws
    /// is logged, never rethrown. <paramref name="then"/> runs right after it, in the same callback, whatever it did.
    /// </summary>
    private void Raise(Action handler, Action? then = null)
    {
        void Run(object? _)
        {
            try
            {
                handler();
            }
            catch (Exception e)
            {
                if (_api.Options.Logger is { } log)
                    Log.LogHandlerFailed(log, e, SessionId);
            }
            finally
            {
                then?.Invoke();
            }
        }
        if (_context is not null)
            _context.Post(Run, null);
        else
            ThreadPool.QueueUserWorkItem(Run);
    }
}
