using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;

namespace Leasehold.Core.Queue;

/// <summary>
/// The free seats of each pool a line walks over (the general pool and each reservation), counted from the
/// live sessions plus the seats offers hold, with the same arithmetic as <see cref="SeatPool"/>; and the pools
/// an earlier entry that did not fit has claimed (blocked), so that nobody behind it takes a seat it could use.
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

    /// <summary>Whether nothing behind can be offered a seat any more (every pool is claimed by someone earlier).</summary>
    public bool AllBlocked => _generalBlocked && _policy.Reservations.All(_blocked.Contains);

    /// <summary>Whether a checkout of <paramref name="seats"/> for <paramref name="user"/> under <paramref name="seatKey"/> fits now, without a seat an earlier entry could use.</summary>
    public bool Fits(string user, string? seatKey, int seats)
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

    /// <summary>An entry that did not fit claims every pool it would draw on: its reservation, and the general pool if its reservation alone cannot hold it.</summary>
    public void Block(string user, string? seatKey, int seats)
    {
        var need = Need(seatKey, seats);
        if (_policy.ReservationOf(user) is { } own)
        {
            _blocked.Add(own);
            if (need > _reservedFree.GetValueOrDefault(own))
                _generalBlocked = true;
        }
        else
        {
            _generalBlocked = true;
        }
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
        var usedBy = new Dictionary<Reservation, long>();
        long overflow = 0;
        foreach (var (holder, held) in SeatCount.Holders(_counted))
        {
            if (_policy.ReservationOf(holder) is { } r)
                usedBy[r] = usedBy.GetValueOrDefault(r) + held;
            else
                overflow += held;
        }
        overflow += usedBy.Sum(u => Math.Max(0, u.Value - u.Key.Seats));
        _generalFree = _capacity - _policy.Reservations.Sum(r => (long)r.Seats) - overflow;
        foreach (var r in _policy.Reservations)
            _reservedFree[r] = Math.Max(0, r.Seats - usedBy.GetValueOrDefault(r));
    }
}
