using Leasehold.Core.Licenses;
using Leasehold.Core.Installations;
using Leasehold.Core.Policies;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;

namespace Leasehold.Server.Storage.Sqlite;

/// <summary>
/// The live sessions of the licenses the writer has touched, kept in memory so a checkout or a
/// heartbeat does not read every holder from the file again. The database stays the truth: an
/// entry is loaded from it on first use, every session the writer writes is applied here in the
/// same step, and the whole cache is dropped whenever a write is rolled back. Only the single
/// writer touches it, so it needs no locks.
/// </summary>
internal sealed class LiveLedgers
{
    private readonly Dictionary<string, Entry> _byLicense = new(StringComparer.Ordinal);

    /// <summary>Every entry's live sessions by id (each entry's <see cref="Entry.Live"/> is a set of it).</summary>
    private readonly HolderIndex _sessions = new();

    internal sealed class Entry(License license, string timeZone, IReadOnlyList<Installation> installations, HolderIndex sessions)
    {
        public License License { get; set; } = license;
        public string TimeZone { get; } = timeZone;

        /// <summary>The license's installations, with the files they have not moved past.</summary>
        public IReadOnlyList<Installation> Installations { get; set; } = installations;
        /// <summary>The license's live sessions, their seats counted as they come and go (the decision's holders, handed over without a copy).</summary>
        public HolderSet Live { get; } = new(sessions, license.TenantId, license.Id);

        /// <summary>The license's cool-downs not lifted, by stopped session (those over are dropped as cool-downs are written).</summary>
        public Dictionary<string, CoolDown> CoolDowns { get; } = new(StringComparer.Ordinal);

        /// <summary>The license's waiting line: its open entries, by id (empty for most licenses: then nothing about the line costs anything).</summary>
        public Dictionary<string, WaitEntry> Line { get; } = new(StringComparer.Ordinal);
    }

    public Entry? Find(string licenseId) => _byLicense.GetValueOrDefault(licenseId);

    public Session? FindLive(string sessionId, out Entry? entry)
    {
        entry = EntryOf(sessionId);
        return entry?.Live.Find(sessionId);
    }

    /// <summary>The license of a live session of a loaded license (without making the session's state), if it is one.</summary>
    public License? LicenseOfLive(string sessionId) => EntryOf(sessionId)?.License;

    private Entry? EntryOf(string sessionId) =>
        _sessions.OwnerOf(sessionId) is { LicenseId: { } licenseId } owner && _byLicense.GetValueOrDefault(licenseId) is { } entry && entry.Live == owner
            ? entry
            : null;

    public Entry Add(License license, string timeZone, IReadOnlyList<Installation> installations, IEnumerable<Session> live, IEnumerable<CoolDown> coolDowns,
        IEnumerable<WaitEntry> line)
    {
        var entry = new Entry(license, timeZone, installations, _sessions);
        foreach (var wait in line)
            entry.Line[wait.Id] = wait;
        foreach (var coolDown in coolDowns)
            entry.CoolDowns[coolDown.SessionId] = coolDown;
        _byLicense[license.Id] = entry;
        foreach (var session in live)
            entry.Live.Set(Kept(session));
        return entry;
    }

    /// <summary>Records written sessions: live ones replace their old state, ended ones leave.</summary>
    public void Apply(IReadOnlyList<Session> written)
    {
        foreach (var session in written)
        {
            if (!_byLicense.TryGetValue(session.LicenseId, out var entry))
                continue;
            if (session.IsActive)
                entry.Live.Set(Kept(session));
            else
                entry.Live.Remove(session.Id);
        }
    }

    /// <summary>Forgets a session ended outside <see cref="Apply"/> (the reaper's set-based end).</summary>
    public void Remove(string sessionId)
    {
        _sessions.OwnerOf(sessionId)?.Remove(sessionId);
    }

    /// <summary>Records written installations: each replaces its old state in its license's entry.</summary>
    public void Apply(IReadOnlyList<Installation> written)
    {
        foreach (var installation in written)
        {
            if (_byLicense.TryGetValue(installation.LicenseId, out var entry))
                entry.Installations = [.. entry.Installations.Where(i => i.Id != installation.Id), installation];
        }
    }

    /// <summary>Records written cool-downs (begun or lifted), and forgets those no longer in force at <paramref name="now"/>.</summary>
    public void Apply(IReadOnlyList<CoolDown> written, DateTimeOffset now)
    {
        foreach (var coolDown in written)
        {
            if (!_byLicense.TryGetValue(coolDown.LicenseId, out var entry))
                continue;
            entry.CoolDowns[coolDown.SessionId] = coolDown;
            foreach (var over in entry.CoolDowns.Values.Where(c => !c.InForce(now)).Select(c => c.SessionId).ToList())
                entry.CoolDowns.Remove(over);
        }
    }

    /// <summary>Records written waiting-line entries: open ones replace their old state, ended ones leave the line.</summary>
    public void Apply(IReadOnlyList<WaitEntry> written)
    {
        foreach (var wait in written)
        {
            if (!_byLicense.TryGetValue(wait.LicenseId, out var entry))
                continue;
            if (wait.IsOpen)
                entry.Line[wait.Id] = wait;
            else
                entry.Line.Remove(wait.Id);
        }
    }

    public void Update(License license)
    {
        if (_byLicense.TryGetValue(license.Id, out var entry))
            entry.License = license;
    }

    /// <summary>
    /// The session as the ledger keeps it: without its idempotency key, which only the checkout's insert
    /// writes and a retry reads from the database (the SDK sends a key with every checkout: 32 characters
    /// per live session that no decision reads).
    /// </summary>
    private static Session Kept(Session session) => session.IdempotencyKey is null ? session : session with { IdempotencyKey = null };

    public void Clear()
    {
        _byLicense.Clear();
        _sessions.Clear();
    }
}
