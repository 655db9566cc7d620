namespace Leasehold.Server.Sessions.Signals;

/// <summary>
/// Who is watching a tenant's seats change: the console's live active-users page. A checkout and
/// every session end (<see cref="SessionSignals.Deliver"/>, also ends on other PostgreSQL nodes)
/// touch the tenant; each watcher is woken once per burst and resets when it has told its page.
/// With nobody watching, a touch costs one read of a counter. The same pulse, keyed by license id,
/// wakes the streams of waiting-line entries (<see cref="SessionSignals.WatchLine"/>).
/// </summary>
internal sealed class SeatActivity
{
    private readonly Lock _gate = new();
    private readonly List<Watcher> _watchers = [];
    private int _count;

    /// <summary>Watches one tenant (or one key: a license, for a line), or every one (<paramref name="tenantId"/> null, the vendor's view).</summary>
    public Watcher Watch(string? tenantId)
    {
        var watcher = new Watcher(this, tenantId);
        lock (_gate)
        {
            _watchers.Add(watcher);
            _count = _watchers.Count;
        }
        return watcher;
    }

    /// <summary>Something about <paramref name="tenantId"/>'s seats changed: a session started or ended.</summary>
    public void Touch(string tenantId)
    {
        if (Volatile.Read(ref _count) == 0)
            return;
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                if (watcher.TenantId is null || watcher.TenantId == tenantId)
                    watcher.Signal();
            }
        }
    }

    private void Remove(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
            _count = _watchers.Count;
        }
    }

    /// <summary>One page's watch; <see cref="Changed"/> completes at the next touch after <see cref="Reset"/>.</summary>
    internal sealed class Watcher(SeatActivity hub, string? tenantId) : IDisposable
    {
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? TenantId { get; } = tenantId;

        public Task Changed => Volatile.Read(ref _changed).Task;

        internal void Signal() => Volatile.Read(ref _changed).TrySetResult();

        /// <summary>Starts waiting for the next change (a touch after this call wakes <see cref="Changed"/> again).</summary>
        public void Reset()
        {
            if (Changed.IsCompleted)
                Volatile.Write(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        public void Dispose() => hub.Remove(this);
    }
}
