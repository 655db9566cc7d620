namespace Leasehold.Core.Policies;

/// <summary>Which sessions share one seat: per client instance, per user, per user and device, or per connection.</summary>
public enum SeatKey
{
    /// <summary>Every client instance counts: one user on two devices holds two seats.</summary>
    Session,

    /// <summary>All sessions of one user share one seat.</summary>
    User,

    /// <summary>All sessions of one user on one device share one seat.</summary>
    UserDevice,

    /// <summary>All sessions through one connection (a shared access credential) share one seat.</summary>
    Connection,
}
