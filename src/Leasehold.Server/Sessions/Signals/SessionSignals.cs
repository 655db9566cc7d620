using System.Collections.Concurrent;

namespace Leasehold.Server.Sessions.Signals;

/// <summary>
/// The in-process hub of the push channel: event streams wait here for the end of their session,
/// and <see cref="Deliver"/> wakes them. Waiters are kept only while a stream is open, so a session
/// nobody listens to costs nothing.
/// </summary>
internal sealed class SessionSignals(SeatActivity activity, Telemetry.LeaseholdMetrics metrics) : ISessionEndPublisher
{
    private readonly ConcurrentDictionary<string, Listeners> _bySession = new(StringComparer.Ordinal);

    /// <summary>The streams of waiting-line entries, by license id (the same pulse the console's pages use, keyed by license instead of tenant).</summary>
    private readonly SeatActivity lineWatchers = new();
    private readonly ConcurrentDictionary<string, long> _lineVersions = new(StringComparer.Ordinal);

    /// <summary>Local delivery: on a single node, publishing is delivering. Ends published here are this node's: they are counted (metrics).</summary>
    public void Publish(IReadOnlyList<SessionEnd> ends)
    {
        metrics.Ended(ends);
        Deliver(ends);
    }

    /// <summary>Wakes every listener of these sessions (ends published here or received from another node).</summary>
    public void Deliver(IReadOnlyList<SessionEnd> ends)
    {
        foreach (var end in ends)
        {
            if (_bySession.TryGetValue(end.SessionId, out var listeners))
                listeners.Signal(end);
            activity.Touch(end.TenantId);
        }
    }

    /// <summary>Local delivery of changed waiting lines (this node's writes).</summary>
    public void PublishLines(IReadOnlyList<LineChange> lines) => DeliverLines(lines);

    /// <summary>Wakes every stream following an entry of these lines (changes written here or on another node), and the console's pages.</summary>
    public void DeliverLines(IReadOnlyList<LineChange> lines)
    {
        foreach (var line in lines)
        {
            // The version first: a stream woken by this change reads at least this version (LineSnapshots).
            _lineVersions.AddOrUpdate(line.LicenseId, 1, static (_, v) => v + 1);
            lineWatchers.Touch(line.LicenseId);
            activity.Touch(line.TenantId);
        }
    }

    /// <summary>How many changes of the license's line this node has been told of (0: none yet).</summary>
    public long LineVersion(string licenseId) => _lineVersions.GetValueOrDefault(licenseId);

    /// <summary>Watches one license's waiting line (an entry's stream); watch before reading the entry so no change slips through in between.</summary>
    public SeatActivity.Watcher WatchLine(string licenseId) => lineWatchers.Watch(licenseId);

    /// <summary>Listens for the end of one session; subscribe before reading the session so no end slips through in between.</summary>
    public Subscription Subscribe(string sessionId)
    {
        while (true)
        {
            var listeners = _bySession.GetOrAdd(sessionId, _ => new Listeners());
            var subscription = listeners.TryAdd(this, sessionId);
            if (subscription is not null)
                return subscription;
            _bySession.TryRemove(new KeyValuePair<string, Listeners>(sessionId, listeners)); // it emptied meanwhile: start over
        }
    }

    /// <summary>Open subscriptions (for tests and metrics).</summary>
    public int Count => _bySession.Values.Sum(l => l.Count);

    private void Unsubscribe(string sessionId, Listeners listeners, Subscription subscription)
    {
        if (listeners.Remove(subscription))
            _bySession.TryRemove(new KeyValuePair<string, Listeners>(sessionId, listeners));
    }

    /// <summary>One stream's wait for its session's end; dispose it when the stream closes.</summary>
    internal sealed class Subscription : IDisposable
    {
        private readonly TaskCompletionSource<SessionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Action<Subscription> _dispose;

        internal Subscription(Action<Subscription> dispose) => _dispose = dispose;

        /// <summary>Completes when the session ends.</summary>
        public Task<SessionEnd> Ended => _ended.Task;

        internal void Signal(SessionEnd end) => _ended.TrySetResult(end);

        public void Dispose() => _dispose(this);
    }

    private sealed class Listeners
    {
        private readonly List<Subscription> _items = [];
        private bool _closed;

        public int Count
        {
            get { lock (_items) return _items.Count; }
        }

        public Subscription? TryAdd(SessionSignals hub, string sessionId)
        {
            lock (_items)
            {
                if (_closed)
                    return null;
                var subscription = new Subscription(s => hub.Unsubscribe(sessionId, this, s));
                _items.Add(subscription);
                return subscription;
            }
        }

        /// <summary>Removes one; true when that left none (the entry is then closed for good).</summary>
        public bool Remove(Subscription subscription)
        {
            lock (_items)
            {
                _items.Remove(subscription);
                _closed = _items.Count == 0;
                return _closed;
            }
        }

        public void Signal(SessionEnd end)
        {
            Subscription[] all;
            lock (_items)
                all = [.. _items];
            foreach (var subscription in all)
                subscription.Signal(end);
        }
    }
}
