using Leasehold.Core.Installations;
using Leasehold.Core.Queue;
using Leasehold.Core.Usage;

namespace Leasehold.Core.Sessions;

/// <summary>The state changes of one decision. Storage writes all of them in one transaction, or none.</summary>
/// <param name="Sessions">Sessions to insert or overwrite, whole.</param>
/// <param name="Events">Usage events to append.</param>
public sealed record Changes(IReadOnlyList<Session> Sessions, IReadOnlyList<UsageEvent> Events)
{
    public static Changes None { get; } = new([], []);

    /// <summary>Saved session state to hand from a taken-over session to the one that took it over.</summary>
    public IReadOnlyList<Handoff> Handoffs { get; init; } = [];

    /// <summary>Installations to insert or overwrite, whole; their files not stored yet are added (a file once issued never changes).</summary>
    public IReadOnlyList<Installation> Installations { get; init; } = [];

    /// <summary>Cool-downs to insert or overwrite, whole (begun by a stop, lifted by an admin).</summary>
    public IReadOnlyList<CoolDown> CoolDowns { get; init; } = [];

    /// <summary>Connections that get their user with this decision (the first sign-in on a connection that names none).</summary>
    public IReadOnlyList<ConnectionClaim> Claims { get; init; } = [];

    /// <summary>Waiting-line entries to insert or overwrite, whole (joined, offered, heart-beaten, ended).</summary>
    public IReadOnlyList<WaitEntry> Waits { get; init; } = [];

    /// <summary>What happened to waiting-line entries, to append with the usage history.</summary>
    public IReadOnlyList<WaitEvent> WaitEvents { get; init; } = [];

    public bool IsEmpty => Sessions.Count == 0 && Events.Count == 0 && Handoffs.Count == 0 && Installations.Count == 0
        && CoolDowns.Count == 0 && Claims.Count == 0 && Waits.Count == 0 && WaitEvents.Count == 0;
}

/// <summary>
/// <paramref name="User"/> becomes the user of connection <paramref name="ConnectionId"/>; storage writes it only
/// if the connection still has none (the first claim wins).
/// </summary>
public sealed record ConnectionClaim(string ConnectionId, string User, DateTimeOffset At);

/// <summary>Copy the state <paramref name="FromSessionId"/> saved to <paramref name="ToSessionId"/>.</summary>
public sealed record Handoff(string FromSessionId, string ToSessionId);
