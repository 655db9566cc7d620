using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;

namespace Leasehold.Core.Queue;

/// <summary>
/// The free seats of each pool a line walks over (the general pool and each reservation), counted from the
/// live sessions plus the seats offers hold, with the same arithmetic as <see cref="SeatPool"/>; and the pools
/// an earlier entry that did not fit has claimed, so that nobody behind it takes a seat it waits for.
/// </summary>
internal sealed class LinePools
{
    private readonly LicensePolicy _policy;
    private readonly long _capacity;
    private readonly List<Session> _counted;
    private readonly Dictionary<Reservation, long> _reservedFree = [];
    private readonly HashSet<Reservation> _blocked = [];
    private long _generalFree;
    private bool _generalBlocked;

    public LinePools(LicensePolicy policy, int seats, IEnumerable<Session> counted)
    {
        _policy = policy;
        _capacity = policy.Limit.MaxInUse(seats);
        _counted = [.. counted];
        Recount();
    }

    public IReadOnlyList<Session> Counted => _counted;

    /// <summary>Whether the first pass can offer nothing more (every pool is claimed by someone earlier).</summary>
    public bool AllClaimed => _generalBlocked && _policy.Reservations.All(_blocked.Contains);

    /// <summary>Whether the general pool is claimed: by a non-member still waiting, or a member waiting to overflow into it.</summary>
    public bool GeneralClaimed => _generalBlocked;

    /// <summary>
    /// The first pass: whether the entry fits the seats it waits for, from pools nobody earlier claimed: a non-member
    /// the general pool; a member its group's seats only (the general pool is the non-members' first).
    /// </summary>
    public bool FitsOwnPool(string user, string? seatKey, int seats)
    {
        var need = Need(seatKey, seats);
        if (need == 0)
            return true;
        if (_policy.ReservationOf(user) is not { } own)
            return !_generalBlocked && need <= _generalFree;
        return !_blocked.Contains(own) && need <= _reservedFree.GetValueOrDefault(own);
    }

    /// <summary>An entry that did not fit its own pool claims it: nobody behind takes a seat of it.</summary>
    public void ClaimOwnPool(string user)
    {
        if (_policy.ReservationOf(user) is { } own)
            _blocked.Add(own);
        else
            _generalBlocked = true;
    }

    /// <summary>The second pass, for a member: whether its group's free seats and the general pool together hold it.</summary>
    public bool FitsOverflowing(string user, string? seatKey, int seats)
    {
        var need = Need(seatKey, seats);
        var own = _policy.ReservationOf(user);
        var fromOwn = own is null ? 0 : Math.Min(need, _reservedFree.GetValueOrDefault(own));
        return need == 0 || (!_generalBlocked && need - fromOwn <= _generalFree);
    }

    /// <summary>A member that could not overflow claims the general pool for itself.</summary>
    public void ClaimGeneral() => _generalBlocked = true;

    /// <summary>After the walk: each reservation is claimed while a member of it still waits (for a checkout that did not wait).</summary>
    public void Settle(IEnumerable<string> waitingUsers)
    {
        _blocked.Clear();
        foreach (var user in waitingUsers)
        {
            if (_policy.ReservationOf(user) is { } own)
                _blocked.Add(own);
        }
    }

    /// <summary>
    /// Whether a checkout that did not wait (it comes after everyone in line) fits without a seat an entry still waiting
    /// could use: a non-member needs an unclaimed general pool; a member an unclaimed group, overflowing only into an
    /// unclaimed general pool.
    /// </summary>
    public bool Admits(string user, string? seatKey, int seats)
    {
        var need = Need(seatKey, seats);
        if (need == 0)
            return true;
        if (_policy.ReservationOf(user) is not { } own)
            return !_generalBlocked && need <= _generalFree;
        if (_blocked.Contains(own))
            return false;
        var fromOwn = Math.Min(need, _reservedFree.GetValueOrDefault(own));
        return need == fromOwn || (!_generalBlocked && need - fromOwn <= _generalFree);
    }

    /// <summary>Counts <paramref name="held"/> as taken from now on (an offer made).</summary>
    public void Hold(Session held)
    {
        _counted.Add(held);
        Recount();
    }

    private long Need(string? seatKey, int seats) => seatKey is null ? seats : Math.Max(0, seats - SeatCount.HeldBy(_counted, seatKey));

    private void Recount()
    {
        _reservedFree.Clear();
        if (_policy.Reservations.Count == 0)
        {
            _generalFree = _capacity - SeatCount.InUse(_counted);
            return;
        }
        var (usedBy, overflow) = SeatPool.Tally(_policy, _counted);
        _generalFree = _capacity - _policy.Reservations.Sum(r => (long)r.Seats) - overflow;
        foreach (var r in _policy.Reservations)
            _reservedFree[r] = Math.Max(0, r.Seats - usedBy.GetValueOrDefault(r));
    }
}
