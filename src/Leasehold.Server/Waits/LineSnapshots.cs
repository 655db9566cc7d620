using System.Collections.Concurrent;
using Leasehold.Server.Sessions.Signals;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Waits;

/// <summary>
/// One read of a license's line shared by all of its streams. A change of the line wakes every stream that follows a place
/// in it; each needs its place's position, and a read per stream (each counting the places ahead) would cost the square of
/// the line's length per change. Instead the first stream woken by a change reads the whole line once, in order
/// (<see cref="IWaitReads.ReadLineAsync"/>), and the others take their place from that read. A read is reused only by
/// streams woken by the same change or an earlier one (<see cref="SessionSignals.LineVersion"/> is raised before streams
/// are woken), so it always shows at least the change that woke them. A read that found the line empty is not kept.
/// </summary>
internal sealed class LineSnapshots(IWaitReads waits)
{
    private readonly ConcurrentDictionary<string, Snapshot> _latest = new(StringComparer.Ordinal);

    /// <summary>The license's open places by id, as read after change <paramref name="version"/> of its line (or later).</summary>
    public Task<IReadOnlyDictionary<string, WaitView>> ReadAsync(string licenseId, long version)
    {
        while (true)
        {
            if (_latest.TryGetValue(licenseId, out var latest) && latest.Version >= version && !latest.Read.Value.IsFaulted)
                return latest.Read.Value;
            var fresh = new Snapshot(version, new Lazy<Task<IReadOnlyDictionary<string, WaitView>>>(() => ReadOnceAsync(licenseId, version)));
            var stored = latest is null ? _latest.TryAdd(licenseId, fresh) : _latest.TryUpdate(licenseId, fresh, latest);
            if (stored)
                return fresh.Read.Value;
        }
    }

    private async Task<IReadOnlyDictionary<string, WaitView>> ReadOnceAsync(string licenseId, long version)
    {
        // Not one stream's cancellation: the read is shared; the store's own timeouts bound it.
        var line = await waits.ReadLineAsync(licenseId, CancellationToken.None);
        if (line.Count == 0 && _latest.TryGetValue(licenseId, out var kept) && kept.Version == version)
            _latest.TryRemove(new KeyValuePair<string, Snapshot>(licenseId, kept));
        return line.ToDictionary(v => v.Entry.Id, StringComparer.Ordinal);
    }

    private sealed record Snapshot(long Version, Lazy<Task<IReadOnlyDictionary<string, WaitView>>> Read);
}
