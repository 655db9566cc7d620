namespace Leasehold.Core.Usage;

/// <summary>One user's idle holding over a period.</summary>
/// <param name="IdleTime">Summed over the user's sessions: the time from its last reported user activity to its end.</param>
/// <param name="IdleSeatTime">The same, weighted by the seats each session held.</param>
public sealed record IdleHolder(string User, int Sessions, TimeSpan IdleTime, TimeSpan IdleSeatTime, TimeSpan LongestIdle);

/// <summary>
/// Who held seats longest while idle. A session is idle from its last reported user activity
/// (a checkout, or a heartbeat with <c>active: true</c>) until it ends, whatever ended it: a user who
/// walked away until the idle timeout, a closed browser held until the TTL ran out, a session an
/// admin stopped. Only ended sessions that held seats count (named users and checks hold none).
/// </summary>
public static class IdleHolders
{
    public static List<IdleHolder> Rank(IEnumerable<UsageEvent> ends, int top) =>
        [.. ends.Where(e => e.Kind == UsageKind.Ended && e.Seats > 0 && e.LastActivityAt is not null)
            .Select(e => (e.User, Idle: e.At - e.LastActivityAt!.Value, e.Seats))
            .Where(x => x.Idle > TimeSpan.Zero)
            .GroupBy(x => x.User, StringComparer.Ordinal)
            .Select(g => new IdleHolder(g.Key, g.Count(),
                TimeSpan.FromTicks(g.Sum(x => x.Idle.Ticks)),
                TimeSpan.FromTicks(g.Sum(x => x.Idle.Ticks * x.Seats)),
                g.Max(x => x.Idle)))
            .OrderByDescending(h => h.IdleSeatTime).ThenBy(h => h.User, StringComparer.Ordinal)
            .Take(top)];
}
