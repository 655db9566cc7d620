using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client;

/// <summary>
/// One client's heartbeats: a single background loop for all its live leases (instead of one loop per lease), which
/// sends the leases that are due together in one <c>POST /v1/sessions/heartbeats</c> (up to <see cref="MaxBatch"/> a
/// request), and a lease due alone in its own <c>POST /v1/sessions/{id}/heartbeat</c>, as before. Each lease keeps its
/// own interval, activity, backoff, offline grace and end: the scheduler only decides when and in which request its
/// heartbeat goes, and hands the lease its own answer (<see cref="Lease.Heartbeated"/>, <see cref="Lease.HeartbeatFailed"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Who goes together.</b> A round starts when the earliest lease is due; every other lease not already in flight whose
/// heartbeat is due within a quarter of its own pause (the jittered interval, or its backoff) rides along, a little early.
/// A lease's next heartbeat, after an answer or at checkout, also joins a round already planned between half its pause
/// and its pause (and then rides along no sooner than that half). So leases checked out or answered together stay in one
/// request per round, each still heart-beating at least every interval and never sooner than half its jittered pause.
/// </para>
/// <para>
/// <b>Older servers.</b> A server without the batch route answers it 404 (or 405: the path looks like a session's);
/// the scheduler then sends single heartbeats for the rest of the client's life, starting with the round refused.
/// A batch the server refuses as a request (400, 413, 415, 501) is handled the same way: single heartbeats need no
/// agreement on the batch's shape.
/// </para>
/// </remarks>
internal sealed class HeartbeatScheduler(ApiConnection api)
{
    /// <summary>The most sessions one batched heartbeat carries (the server's limit).</summary>
    public const int MaxBatch = 1000;

    /// <summary>The batched heartbeats' route.</summary>
    public const string BatchPath = "v1/sessions/heartbeats";

    private readonly object _gate = new();
    private readonly List<Lease> _leases = [];

    /// <summary>
    /// The planned heartbeat times (UTC ticks) of the leases not in flight, each with how many leases it holds: where a
    /// lease's next heartbeat finds a round to join in O(log n), not by looking at every lease (thousands of leases in one
    /// process made planning each answer of a round cost the square of their number).
    /// </summary>
    private readonly SortedSet<long> _plannedTimes = [];
    private readonly Dictionary<long, int> _plannedLeases = [];
    private TaskCompletionSource<bool> _wake = NewWake();
    private bool _running;
    private volatile bool _singlesOnly;

    /// <summary>The scheduler's bookkeeping of one lease (guarded by its lock).</summary>
    internal sealed class Slot
    {
        /// <summary>When its next heartbeat is due, by the client's clock.</summary>
        public DateTimeOffset Due;

        /// <summary>How early it may go to ride along with a round: a quarter of its pause (less when it joined a planned round).</summary>
        public TimeSpan Slack;

        /// <summary>Its heartbeat is out (alone or in a batch): it joins no round until the answer is handled.</summary>
        public bool InFlight;

        /// <summary>Its <see cref="Due"/> is among the planned times (<see cref="HeartbeatScheduler._plannedTimes"/>).</summary>
        public bool Planned;
    }

    private static TaskCompletionSource<bool> NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Takes a new lease: its first heartbeat is due one (jittered) interval from now, or with a round planned a little sooner.</summary>
    public void Add(Lease lease)
    {
        lock (_gate)
        {
            Plan(lease, Backoff.Jittered(lease.Interval), regular: true);
            _leases.Add(lease);
            if (_running)
                _wake.TrySetResult(true);
            else
            {
                _running = true;
                _ = Task.Run(RunAsync);
            }
        }
        // Outside the lock: an already cancelled token runs the callback at once. A stopped lease leaves at the loop's next turn.
        lease.StopToken.Register(Wake);
    }

    private void Wake()
    {
        lock (_gate)
            _wake.TrySetResult(true); // its continuations run on the thread pool, never inside this lock
    }

    /// <summary>Sets when the lease's next heartbeat is due (under the lock). A regular pause may join a round planned between half of it and all of it.</summary>
    private void Plan(Lease lease, TimeSpan pause, bool regular)
    {
        var now = api.Options.TimeProvider.GetUtcNow();
        var due = now + pause;
        var slack = TimeSpan.FromTicks(pause.Ticks / 4);
        Unplan(lease);
        if (regular)
        {
            // Never sooner than half the pause, whether it joins a round planned (the latest one in time) or rides along with one.
            var earliest = now + TimeSpan.FromTicks(pause.Ticks / 2);
            var join = _plannedTimes.GetViewBetween(earliest.UtcTicks, due.UtcTicks).Max; // 0: none (no heartbeat is planned in year 1)
            if (join != 0)
                due = new DateTimeOffset(join, TimeSpan.Zero);
            if (due - slack < earliest)
                slack = due - earliest;
        }
        lease.Beat.Due = due;
        lease.Beat.Slack = slack;
        lease.Beat.InFlight = false;
        lease.Beat.Planned = true;
        var at = due.UtcTicks;
        if (_plannedLeases.TryGetValue(at, out var count))
            _plannedLeases[at] = count + 1;
        else
        {
            _plannedLeases[at] = 1;
            _plannedTimes.Add(at);
        }
    }

    /// <summary>Takes the lease's planned time out of the planned times (it is sent, or stopped), under the lock.</summary>
    private void Unplan(Lease lease)
    {
        if (!lease.Beat.Planned)
            return;
        lease.Beat.Planned = false;
        var at = lease.Beat.Due.UtcTicks;
        if (_plannedLeases[at] > 1)
            _plannedLeases[at]--;
        else
        {
            _plannedLeases.Remove(at);
            _plannedTimes.Remove(at);
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            try
            {
                await ScheduleAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception e)
            {
                // Never expected; never thrown into the application either: said, and the loop goes on after a breath.
                if (api.Options.Logger is { } log)
                    Log.LogSchedulerFailed(log, e);
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The loop: lets stopped leases go, sends the round that is due, else waits for the earliest or a change. Returns when no lease is left.</summary>
    private async Task ScheduleAsync()
    {
        var clock = api.Options.TimeProvider;
        while (true)
        {
            List<Lease>? round = null;
            TimeSpan? pause = null;
            Task woken;
            List<Lease>? gone = null;
            lock (_gate)
            {
                for (var i = _leases.Count - 1; i >= 0; i--)
                {
                    var lease = _leases[i];
                    if (lease.StopToken.IsCancellationRequested && !lease.Beat.InFlight)
                    {
                        Unplan(lease);
                        _leases.RemoveAt(i);
                        (gone ??= []).Add(lease);
                    }
                }
                if (_leases.Count == 0)
                {
                    _running = false;
                    foreach (var lease in gone ?? [])
                        lease.HeartbeatsStopped();
                    return;
                }
                var now = clock.GetUtcNow();
                DateTimeOffset? earliest = null;
                foreach (var lease in _leases)
                {
                    if (!lease.Beat.InFlight && (earliest is null || lease.Beat.Due < earliest))
                        earliest = lease.Beat.Due;
                }
                if (earliest is { } first && first <= now)
                {
                    round = [];
                    foreach (var lease in _leases)
                    {
                        if (!lease.Beat.InFlight && !lease.StopToken.IsCancellationRequested && lease.Beat.Due - lease.Beat.Slack <= now)
                        {
                            Unplan(lease);
                            lease.Beat.InFlight = true;
                            round.Add(lease);
                        }
                    }
                }
                else if (earliest is { } next)
                    pause = next - now;
                if (_wake.Task.IsCompleted)
                    _wake = NewWake();
                woken = _wake.Task;
            }
            foreach (var lease in gone ?? [])
                lease.HeartbeatsStopped();
            if (round is not null)
            {
                Send(round);
                continue;
            }
            // Until the earliest is due, or something changed: a lease came, stopped, or was answered (every lease in flight: only that).
            using var timer = new CancellationTokenSource();
            var waits = pause is { } p ? new[] { woken, Backoff.DelayAsync(clock, p, timer.Token) } : [woken];
            await Task.WhenAny(waits).ConfigureAwait(false);
            timer.Cancel();
        }
    }

    /// <summary>Sends a round: in requests of unique sessions (an application may hold two leases of one session) of up to <see cref="MaxBatch"/>; one alone goes alone.</summary>
    private void Send(List<Lease> round)
    {
        if (_singlesOnly || round.Count == 1)
        {
            foreach (var lease in round)
                _ = SingleAsync(lease, lease.TakeActivity());
            return;
        }
        var requests = new List<(List<Lease> Leases, HashSet<string> Ids)>();
        foreach (var lease in round)
        {
            var into = requests.FirstOrDefault(r => r.Leases.Count < MaxBatch && !r.Ids.Contains(lease.SessionId));
            if (into.Leases is null)
            {
                into = ([], new HashSet<string>(StringComparer.Ordinal));
                requests.Add(into);
            }
            into.Leases.Add(lease);
            into.Ids.Add(lease.SessionId);
        }
        foreach (var request in requests)
        {
            if (request.Leases.Count == 1)
                _ = SingleAsync(request.Leases[0], request.Leases[0].TakeActivity());
            else
                _ = BatchAsync(request.Leases);
        }
    }

    /// <summary><c>POST /v1/sessions/{id}/heartbeat</c> with the session's token in its header; cancelled when the lease stops.</summary>
    private async Task SingleAsync(Lease lease, bool active)
    {
        TimeSpan? next;
        var regular = false;
        try
        {
            var session = await api.SendAsync<SessionInfo>(HttpMethod.Post, $"v1/sessions/{Uri.EscapeDataString(lease.SessionId)}/heartbeat",
                new { active }, lease.StopToken, lease.Holder).ConfigureAwait(false);
            next = lease.Heartbeated(session);
            regular = true;
        }
        catch (Exception e)
        {
            next = lease.HeartbeatFailed(e, active);
        }
        Answered(lease, next, regular);
    }

    /// <summary>
    /// <c>POST /v1/sessions/heartbeats</c> with each session's id, activity and token; cancelled only when every lease in it has stopped.
    /// Each lease gets its item as its single heartbeat's answer: the session, or the error its single heartbeat would have answered.
    /// </summary>
    private async Task BatchAsync(List<Lease> leases)
    {
        var actives = leases.Select(l => l.TakeActivity()).ToArray();
        var body = new
        {
            sessions = leases.Select((l, i) => new { id = l.SessionId, active = actives[i], sessionToken = l.Token }).ToArray(),
        };
        string text;
        using (var allStopped = new CancellationTokenSource())
        {
            var running = leases.Count;
            var stops = leases.Select(l => l.StopToken.Register(() =>
            {
                if (Interlocked.Decrement(ref running) == 0)
                    allStopped.Cancel();
            })).ToList();
            try
            {
                text = await api.SendForTextAsync(HttpMethod.Post, BatchPath, body, allStopped.Token).ConfigureAwait(false);
            }
            catch (LeaseholdException e) when (e.Status is 400 or 404 or 405 or 413 or 415 or 501)
            {
                SinglesFromNowOn(e.Status, leases, actives);
                return;
            }
            catch (Exception e)
            {
                // The whole request failed (no answer, 429, 5xx, a revoked key): each lease as if its own heartbeat had.
                Answered([.. leases.Select((l, i) => (l, l.HeartbeatFailed(e, actives[i]), false))]);
                return;
            }
            finally
            {
                foreach (var stop in stops)
                    stop.Dispose(); // before the source is disposed: a lease stopping later must not touch it
            }
        }

        Dictionary<string, JsonElement> items;
        try
        {
            using var answer = JsonDocument.Parse(text);
            items = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var item in answer.RootElement.GetProperty("items").EnumerateArray())
            {
                if (item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && !items.ContainsKey(id.GetString()!))
                    items[id.GetString()!] = item.Clone();
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            SinglesFromNowOn(200, leases, actives); // an answer this SDK cannot read: single heartbeats need no agreement on it
            return;
        }
        var answered = new List<(Lease, TimeSpan?, bool)>(leases.Count);
        for (var i = 0; i < leases.Count; i++)
        {
            var lease = leases[i];
            if (!items.TryGetValue(lease.SessionId, out var item))
            {
                _ = SingleAsync(lease, actives[i]); // no answer for it: its own heartbeat tells
                continue;
            }
            SessionInfo? session = null;
            LeaseholdException? refused = null;
            try
            {
                if (item.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number)
                    refused = ApiConnection.Failure(status.GetInt32(), item.GetRawText()); // the problem its single heartbeat would have answered
                else
                    session = item.Deserialize<SessionInfo>(ApiConnection.Json);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
            }
            if (refused is not null)
                answered.Add((lease, lease.HeartbeatFailed(refused, actives[i]), false));
            else if (session is not null)
                answered.Add((lease, lease.Heartbeated(session), true));
            else
                _ = SingleAsync(lease, actives[i]); // an item this SDK cannot read: its own heartbeat tells
        }
        Answered(answered);
    }

    /// <summary>The server has no batched heartbeats (or refused the request as one): single heartbeats from now on, starting with these.</summary>
    private void SinglesFromNowOn(int status, List<Lease> leases, bool[] actives)
    {
        if (!_singlesOnly && api.Options.Logger is { } log)
            Log.LogNoBatchedHeartbeats(log, status);
        _singlesOnly = true;
        for (var i = 0; i < leases.Count; i++)
            _ = SingleAsync(leases[i], actives[i]);
    }

    /// <summary>A lease's heartbeat was handled: plan its next one (none once it stopped: the loop lets it go) and wake the loop.</summary>
    private void Answered(Lease lease, TimeSpan? next, bool regular) => Answered([(lease, next, regular)]);

    /// <summary>The leases of a batch were handled: each planned in turn (so they meet again), then the loop woken once.</summary>
    private void Answered(List<(Lease Lease, TimeSpan? Next, bool Regular)> answered)
    {
        lock (_gate)
        {
            foreach (var (lease, next, regular) in answered)
            {
                if (next is { } pause)
                    Plan(lease, pause, regular);
                else
                    lease.Beat.InFlight = false; // stopped (its end, or the application's sign-off)
            }
            _wake.TrySetResult(true);
        }
    }
}
