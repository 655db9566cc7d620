using Leasehold.Core.Policies;

namespace Leasehold.Core.Sessions;

/// <summary>How a request fits the pool: within the seats, over them (soft mode, within the cap), or not at all.</summary>
public enum Admission
{
    Within,
    OverLimit,
    Refused,
}

/// <summary>
/// The arithmetic of the concurrent pool: seat keys, reserved seats and the limit mode. Reserved
/// seats are part of the pool held back for a group: a member's sessions use the group's
/// reservation first and overflow into the general pool; everyone else uses the general pool only.
/// </summary>
public static class SeatPool
{
    /// <param name="seatKey">The seat key the request would hold under; null for a check (holds nothing, needs one free seat).</param>
    public static Admission Judge(LicensePolicy policy, int seats, IReadOnlyCollection<Session> live, string user, string? seatKey, int weight)
    {
        var need = seatKey is null ? weight : Math.Max(0, weight - SeatCount.HeldBy(live, seatKey));
        if (need == 0 || Fits(policy, seats, live, user, need))
            return Admission.Within;
        // Soft mode: the same arithmetic against the limit plus the overage cap, so reserved
        // seats stay held for their group in overage too.
        return policy.Limit.Mode == LimitMode.Soft && Fits(policy, policy.Limit.MaxInUse(seats), live, user, need)
            ? Admission.OverLimit
            : Admission.Refused;
    }

    /// <summary>Whether <paramref name="need"/> more seats for <paramref name="user"/> fit in <paramref name="capacity"/> seats.</summary>
    private static bool Fits(LicensePolicy policy, int capacity, IReadOnlyCollection<Session> live, string user, int need)
    {
        if (policy.Reservations.Count == 0)
            return (long)SeatCount.InUse(live) + need <= capacity;

        var general = (long)capacity - policy.Reservations.Sum(r => r.Seats);
        var (usedBy, overflow) = Tally(policy, live);

        if (policy.ReservationOf(user) is not { } own)
            return overflow + need <= general;
        var before = Math.Max(0, usedBy.GetValueOrDefault(own) - own.Seats);
        var after = Math.Max(0, usedBy.GetValueOrDefault(own) + need - own.Seats);
        return overflow - before + after <= general;
    }

    /// <summary>
    /// Seats held per reservation, and the seats held in the general pool: non-members' seats plus what
    /// members hold beyond their reservation (they overflow into it).
    /// </summary>
    internal static (Dictionary<Reservation, int> UsedBy, int General) Tally(LicensePolicy policy, IEnumerable<Session> live)
    {
        var usedBy = new Dictionary<Reservation, int>();
        var general = 0;
        foreach (var (holder, held) in SeatCount.Holders(live))
        {
            if (policy.ReservationOf(holder) is { } r)
                usedBy[r] = usedBy.GetValueOrDefault(r) + held;
            else
                general += held;
        }
        return (usedBy, general + usedBy.Sum(u => Math.Max(0, u.Value - u.Key.Seats)));
    }
}
