using Leasehold.Core.Usage;

namespace Leasehold.Core.Sessions;

/// <summary>The state changes of one decision. Storage writes all of them in one transaction, or none.</summary>
/// <param name="Sessions">Sessions to insert or overwrite, whole.</param>
/// <param name="Events">Usage events to append.</param>
public sealed record Changes(IReadOnlyList<Session> Sessions, IReadOnlyList<UsageEvent> Events)
{
    public static Changes None { get; } = new([], []);

    public bool IsEmpty => Sessions.Count == 0 && Events.Count == 0;
}

/// <summary>A decision's answer together with the changes that make it true.</summary>
public sealed record Decided<T>(T Result, Changes Changes);
