using System.Runtime.ExceptionServices;
using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client.Waiting;

/// <summary>
/// One checkout waiting in line (docs/sdk.md, "Waiting for a seat"), from the <c>202</c> until it holds its session or gives up.
/// Two loops bring news: the entry's events stream (<c>GET /v1/waits/{id}/events</c>: <c>waiting</c>, <c>offered</c>, <c>ended</c>)
/// and its heartbeats (<c>POST /v1/waits/{id}/heartbeat</c>, which keep it in line and are the poll when the stream is down).
/// They only record what they heard and wake <see cref="WaitAsync"/>, which alone acts: takes the offered seat
/// (<c>POST /v1/waits/{id}/session</c>), throws the end, or leaves (<c>DELETE /v1/waits/{id}</c>) on cancellation and
/// when the wait ran out by the client's own clock.
/// </summary>
internal sealed class WaitingCheckout
{
    /// <summary>How long past the wait's end the client waits for the server to say it timed out before it leaves by itself.</summary>
    internal static readonly TimeSpan GuardMargin = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the entry is polled while its events stream is down (or off): often enough not to miss a held seat with the
    /// shortest hold a policy allows for long (<c>offerSeconds</c> 5-3600; the default is 60), never more often than heartbeats.
    /// </summary>
    internal static readonly TimeSpan PollWithoutPush = TimeSpan.FromSeconds(5);

    private readonly ApiConnection _api;
    private readonly IProgress<QueuePosition>? _progress;
    private readonly IReadOnlyDictionary<string, string>? _holder;
    private readonly string _path;
    private readonly TimeSpan _interval;
    private readonly DateTimeOffset _waitUntil;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly object _gate = new();
    private QueuePosition? _reported;
    private bool _quiet;
    private volatile bool _streaming;
    private int _offered;
    private WaitEnding? _ending;
    private Exception? _failure;

    private WaitingCheckout(ApiConnection api, WaitInfo joined, IProgress<QueuePosition>? progress)
    {
        _api = api;
        _progress = progress;
        Id = joined.Id;
        _holder = ApiConnection.SessionHeaders(joined.WaitToken);
        _path = $"v1/waits/{Uri.EscapeDataString(joined.Id)}";
        _interval = TimeSpan.FromSeconds(Math.Max(1, joined.HeartbeatIntervalSeconds));
        _waitUntil = joined.WaitUntil;
        // Optimistic: the stream counts as up until a connection to it fails, so a wait does not poll while it opens.
        _streaming = api.Options.UsePushChannel;
    }

    /// <summary>The place in line (<c>wait_...</c>).</summary>
    public string Id { get; }

    /// <summary>Follows the place <paramref name="joined"/> until the seat is taken (its session and token) or the wait ends (thrown).</summary>
    public static Task<(SessionInfo Session, string? Token)> FollowAsync(ApiConnection api, WaitInfo joined, IProgress<QueuePosition>? progress,
        CancellationToken ct) =>
        new WaitingCheckout(api, joined, progress).WaitAsync(joined, ct);

    private async Task<(SessionInfo Session, string? Token)> WaitAsync(WaitInfo joined, CancellationToken ct)
    {
        var clock = _api.Options.TimeProvider;
        // The client's own end of the wait: the length the server granted, from now, and a margin for the server to say so first.
        var giveUpAt = clock.GetUtcNow() + (joined.WaitUntil - joined.JoinedAt) + GuardMargin;
        Heard(joined);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // The loops never throw and end with the wait (stop), whichever way it ends; nothing awaits them.
        _ = Task.Run(() => HeartbeatLoopAsync(stop.Token), CancellationToken.None);
        if (_api.Options.UsePushChannel)
            _ = Task.Run(() => StreamLoopAsync(stop.Token), CancellationToken.None);
        var over = false;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (Volatile.Read(ref _ending) is { } ending)
                {
                    if (ending.Reason == WaitEnding.Granted)
                        return await TakeAsync(ct).ConfigureAwait(false) ?? throw Ended(ending); // granted already: the take answers the session again
                    over = true;
                    throw Ended(ending);
                }
                if (Volatile.Read(ref _failure) is { } failure)
                    ExceptionDispatchInfo.Capture(failure).Throw();
                if (Interlocked.Exchange(ref _offered, 0) == 1 && await TakeAsync(ct).ConfigureAwait(false) is { } taken)
                {
                    over = true;
                    return taken;
                }

                var left = giveUpAt - clock.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    stop.Cancel();
                    await LeaveAsync().ConfigureAwait(false);
                    over = true;
                    throw Ended(new WaitEnding(RefusalCodes.TimedOut,
                        "No seat freed up within the time you could wait; try again later.", clock.GetUtcNow()));
                }
                using var round = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var woken = _wake.WaitAsync(round.Token);
                await Task.WhenAny(woken, Backoff.DelayAsync(clock, left, round.Token)).ConfigureAwait(false);
                round.Cancel(); // the wake not taken stays counted for the next round (a cancelled wait takes none)
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            stop.Cancel();
            await LeaveAsync().ConfigureAwait(false);
            throw;
        }
        catch when (!over && Volatile.Read(ref _ending) is null)
        {
            // Refused while taking, or the server no longer knows the key: the place (and a seat held for it) goes to the next.
            stop.Cancel();
            await LeaveAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            stop.Cancel();
            lock (_gate)
                _quiet = true;
        }
    }

    /// <summary>
    /// Takes the seat held for the place: its session and token, as a checkout's answer; null when none is held for it after all
    /// (409 <c>offer_not_held</c>: the loops tell what came of it). Cancellation does not cut the take short: the take completes,
    /// then the cancellation is thrown, and leaving (the caller's) finds the place granted and signs that session off.
    /// </summary>
    private async Task<(SessionInfo Session, string? Token)?> TakeAsync(CancellationToken ct)
    {
        Report(new QueuePosition(Id, 0, null, _waitUntil, QueuePosition.Offered));
        string text;
        try
        {
            text = await Backoff.RetryAsync(_api.Options,
                attempt => _api.SendForTextAsync(HttpMethod.Post, $"{_path}/session", null, attempt, _holder), CancellationToken.None).ConfigureAwait(false);
        }
        catch (SeatDeniedException e) when (e.Code == "offer_not_held")
        {
            return null;
        }
        catch (SessionEndedException e)
        {
            Volatile.Write(ref _ending, EndingOf(e));
            throw Ended(EndingOf(e));
        }
        // Cancelled meanwhile: leaving (the caller's) finds the place granted and signs that session off.
        ct.ThrowIfCancellationRequested();
        return LeaseholdClient.ReadSession(text);
    }

    /// <summary>
    /// Leaves the line, best effort (<c>DELETE /v1/waits/{id}</c>): a seat held for the place passes on at once. If the place had
    /// been granted meanwhile (a take whose answer never came), that session is read again and signed off, so no seat stays behind.
    /// </summary>
    private async Task LeaveAsync()
    {
        try
        {
            await _api.SendForTextAsync(HttpMethod.Delete, _path, null, CancellationToken.None, _holder).ConfigureAwait(false);
        }
        catch (SessionEndedException e) when (EndingOf(e).Reason == WaitEnding.Granted)
        {
            try
            {
                var (session, token) = LeaseholdClient.ReadSession(
                    await _api.SendForTextAsync(HttpMethod.Post, $"{_path}/session", null, CancellationToken.None, _holder).ConfigureAwait(false));
                await SignOffQuietlyAsync(session.Id, token).ConfigureAwait(false);
            }
            catch (LeaseholdException failed)
            {
                LeaveFailed(failed);
            }
        }
        catch (SessionEndedException)
        {
            // It had ended otherwise already: nothing to leave.
        }
        catch (LeaseholdException e)
        {
            LeaveFailed(e); // the place ends by itself when its heartbeats stop (the client type's TTL)
        }
    }

    private async Task SignOffQuietlyAsync(string sessionId, string? token)
    {
        try
        {
            await _api.SendForTextAsync(HttpMethod.Delete, $"v1/sessions/{Uri.EscapeDataString(sessionId)}", null, CancellationToken.None,
                ApiConnection.SessionHeaders(token)).ConfigureAwait(false);
        }
        catch (LeaseholdException e)
        {
            if (_api.Options.Logger is { } log)
                Log.LogSignOffFailed(log, e, sessionId);
        }
    }

    private void LeaveFailed(Exception e)
    {
        if (_api.Options.Logger is { } log)
            Log.LogLeaveFailed(log, e, Id);
    }

    /// <summary>Keeps the place and polls it: every heartbeat interval while the stream is up, every <see cref="PollWithoutPush"/> while it is down.</summary>
    private async Task HeartbeatLoopAsync(CancellationToken stop)
    {
        var options = _api.Options;
        var clock = options.TimeProvider;
        var last = clock.GetUtcNow();
        var pause = Backoff.Jittered(_interval);
        var failures = 0;
        while (true)
        {
            // Sleep in steps no longer than the poll, so a stream that goes down turns the heartbeats into polls soon.
            var due = last + (_streaming || pause < PollWithoutPush ? pause : PollWithoutPush);
            var now = clock.GetUtcNow();
            if (now < due)
            {
                try
                {
                    await Backoff.DelayAsync(clock, due - now < PollWithoutPush ? due - now : PollWithoutPush, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            last = now;
            try
            {
                var info = await _api.SendAsync<WaitInfo>(HttpMethod.Post, $"{_path}/heartbeat", null, stop, _holder).ConfigureAwait(false);
                failures = 0;
                pause = Backoff.Jittered(_interval);
                Heard(info);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SessionEndedException e)
            {
                End(EndingOf(e));
                return;
            }
            catch (LeaseholdException e) when (!e.IsTransient)
            {
                // The server no longer knows the place or the key (404, 403): nothing to wait for.
                Volatile.Write(ref _failure, e);
                _wake.Release();
                return;
            }
            catch (Exception)
            {
                pause = Backoff.After(++failures, options.InitialBackoff, _interval < options.MaxBackoff ? _interval : options.MaxBackoff);
            }
        }
    }

    /// <summary>The push channel of the place: reconnects like a lease's, and hands each event to <see cref="WaitAsync"/>.</summary>
    private async Task StreamLoopAsync(CancellationToken stop)
    {
        var options = _api.Options;
        var failures = 0;
        TimeSpan? retry = null;
        while (!stop.IsCancellationRequested)
        {
            Exception? error = null;
            ServerSentEventReader? reader = null;
            try
            {
                using var response = await _api.OpenStreamAsync($"{_path}/events", stop, _holder).ConfigureAwait(false);
                #if NET
                reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(stop).ConfigureAwait(false));
#else
                reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
#endif
                using var _ = stop.Register(response.Dispose); // a pending read ends when the wait stops (.NET Framework's streams ignore the token)
                failures = 0;
                _streaming = true;
                await foreach (var e in reader.ReadAllAsync(stop).ConfigureAwait(false))
                {
                    switch (e.EventType)
                    {
                        case "waiting":
                            var waiting = JsonSerializer.Deserialize<WaitingEventData>(e.Data, ApiConnection.Json)!;
                            Report(new QueuePosition(Id, waiting.Position,
                                waiting.EstimatedWaitSeconds is { } s ? TimeSpan.FromSeconds(s) : null, waiting.WaitUntil, QueuePosition.Waiting));
                            break;
                        case "offered":
                            Offer();
                            break;
                        case "ended":
                            End(EndingOf(e.Data));
                            return;
                    }
                }
            }
            catch (SessionEndedException e)
            {
                End(EndingOf(e));
                return;
            }
            catch (LeaseholdException e) when (!e.IsTransient)
            {
                _streaming = false; // no stream for this place or key (an older server, say): the heartbeats poll
                return;
            }
            catch (Exception e)
            {
                error = e;
            }
            _streaming = false;
            if (stop.IsCancellationRequested)
                return;
            if (options.Logger is { } log)
                Log.LogWaitStreamClosed(log, error, Id);
            retry = reader?.Retry ?? retry;
            var cap = _interval < options.MaxBackoff ? _interval : options.MaxBackoff;
            var wait = Backoff.After(++failures, options.InitialBackoff, cap);
            if (retry is { } asked && asked > wait)
                wait = asked < _interval ? asked : _interval;
            try
            {
                await Backoff.DelayAsync(options.TimeProvider, wait, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>An answer about the place (the joining checkout's, a heartbeat's): where it stands, a seat held, or its end.</summary>
    private void Heard(WaitInfo info)
    {
        switch (info.Status)
        {
            case QueuePosition.Waiting:
                Report(new QueuePosition(info.Id, info.Position ?? 0,
                    info.EstimatedWaitSeconds is { } s ? TimeSpan.FromSeconds(s) : null, info.WaitUntil, QueuePosition.Waiting));
                break;
            case QueuePosition.Offered:
                Offer();
                break;
            default:
                End(new WaitEnding(info.EndReason ?? "ended", null, info.EndedAt));
                break;
        }
    }

    private void Offer()
    {
        Interlocked.Exchange(ref _offered, 1);
        _wake.Release();
    }

    private void End(WaitEnding ending)
    {
        Interlocked.CompareExchange(ref _ending, ending, null);
        _wake.Release();
    }

    /// <summary>Tells the application where it stands, once per change, never after the wait is over. What its handler throws is logged.</summary>
    private void Report(QueuePosition position)
    {
        lock (_gate)
        {
            if (_quiet || position == _reported)
                return;
            _reported = position;
            try
            {
                _progress?.Report(position);
            }
            catch (Exception e)
            {
                if (_api.Options.Logger is { } log)
                    Log.LogProgressFailed(log, e, Id);
            }
        }
    }

    private static WaitEnding EndingOf(SessionEndedException e) =>
        new(e.Problem is { } p && p.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : e.End.Code,
            e.Detail, e.End.EndedAt);

    private static WaitEnding EndingOf(string data)
    {
        using var json = JsonDocument.Parse(data);
        var root = json.RootElement;
        string? Str(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new WaitEnding(Str("reason") ?? "ended", Str("message"),
            root.TryGetProperty("endedAt", out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : null);
    }

    /// <summary>The end of the wait as the checkout's refusal: a <see cref="SeatDeniedException"/> (status 410) whose code is the reason.</summary>
    private SeatDeniedException Ended(WaitEnding ending)
    {
        var problem = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["code"] = ending.Reason,
            ["reason"] = ending.Reason,
            ["detail"] = ending.Message,
            ["message"] = ending.Message,
            ["waitId"] = Id,
            ["endedAt"] = ending.EndedAt,
        }, ApiConnection.Json);
        return new SeatDeniedException(410, ending.Reason, ending.Message, null, problem);
    }
}
