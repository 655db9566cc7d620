using Leasehold.Core.Access;
using Leasehold.Core.Installations;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Queue;

namespace Leasehold.Core.Sessions;

/// <summary>
/// A consistent snapshot of one license: its policy and every session that has not ended.
/// Storage reads it under the license's write lock, so the decision made on it cannot race.
/// </summary>
/// <param name="License">The license.</param>
/// <param name="Holders">Sessions of the license with no end recorded (some may be past their deadline); a <see cref="HolderSet"/> where the store keeps them counted.</param>
/// <param name="Replay">The session an earlier request with the same idempotency key created, if any.</param>
public sealed record LicenseLedger(License License, IReadOnlyCollection<Session> Holders, Session? Replay = null)
{
    /// <summary>The tenant's IANA time zone, for access windows.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The connection the request signs in through, if it names one (and it exists in the tenant).</summary>
    public Connection? Connection { get; init; }

    /// <summary>The license's cool-downs (admin stops that keep their user out for a while); those no longer in force may be among them.</summary>
    public IReadOnlyList<CoolDown> CoolDowns { get; init; } = [];

    /// <summary>The installations that hold shares of the license (a company license split across servers); none for most licenses.</summary>
    public IReadOnlyList<Installation> Installations { get; init; } = [];

    /// <summary>The license's waiting line: its open entries (waiting or offered), in any order (they are ordered by sequence).</summary>
    public IReadOnlyList<WaitEntry> Line { get; init; } = [];

    /// <summary>The waiting-line entry an earlier request with the same idempotency key made (open or ended), if any.</summary>
    public WaitEntry? WaitReplay { get; init; }

    /// <summary>How fast seats turned over lately, for the waiting line's estimate; null: unknown.</summary>
    public SeatTurnover? Turnover { get; init; }

    /// <summary>
    /// The seats this server itself may hand out now: the license's seats less what installations
    /// may be using (<see cref="InstallationShare.InForce"/>), so the two together never exceed the license.
    /// </summary>
    public int OnlineSeats(DateTimeOffset now) =>
        Installations.Count == 0 ? License.Seats : Math.Max(0, Allocations.Free(License.Seats, Installations.Select(i => i.Share), onlineInUse: 0, now));
}
