using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client;

/// <summary>The lease's two background loops (heartbeats, push channel) and how it ends. Neither loop ever throws.</summary>
public sealed partial class Lease
{
    private TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(1, Session.HeartbeatIntervalSeconds));

    private async Task HeartbeatLoopAsync()
    {
        var options = _api.Options;
        var clock = options.TimeProvider;
        var ct = _stop.Token;
        DateTimeOffset? offlineSince = null;
        var failures = 0;
        var wait = Backoff.Jittered(Interval);
        while (true)
        {
            try
            {
                await Backoff.DelayAsync(clock, wait, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var active = options.AlwaysActive || Interlocked.Exchange(ref _active, 0) == 1;
            try
            {
                var session = await _api.SendAsync<SessionInfo>(HttpMethod.Post, $"v1/sessions/{Uri.EscapeDataString(SessionId)}/heartbeat",
                    new { active }, ct, _holder).ConfigureAwait(false);
                failures = 0;
                if (offlineSince is not null)
                {
                    offlineSince = null;
                    SetOnline(true, null);
                }
                Update(session);
                if (!session.IsActive)
                {
                    Finish(LeaseEnd.FromServer(session.EndReason, null, session.EndedAt));
                    return;
                }
                wait = Backoff.Jittered(Interval);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (SessionEndedException e)
            {
                Finish(e.End);
                return;
            }
            catch (Exception e) when (e is not LeaseholdException { IsTransient: false })
            {
                if (active)
                    ReportActivity(); // not delivered: the next heartbeat carries it
                var now = clock.GetUtcNow();
                if (offlineSince is null)
                {
                    offlineSince = now;
                    SetOnline(false, now);
                }
                var left = offlineSince.Value + options.OfflineGrace - now;
                if (left <= TimeSpan.Zero)
                {
                    Finish(new LeaseEnd(LeaseEndReason.OfflineGraceExpired, "offline_grace_expired",
                        $"The license server could not be reached for {options.OfflineGrace.TotalMinutes:0.#} minutes.", now));
                    return;
                }
                var cap = Interval < options.MaxBackoff ? Interval : options.MaxBackoff;
                wait = Backoff.After(++failures, options.InitialBackoff, cap);
                if (wait > left)
                    wait = left;
            }
            catch (LeaseholdException e)
            {
                // Not transient and not 410: the server no longer knows the session (404) or the key (401/403).
                Finish(new LeaseEnd(LeaseEndReason.Rejected, e.Code, e.Detail ?? e.Message, clock.GetUtcNow()));
                return;
            }
        }
    }

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
