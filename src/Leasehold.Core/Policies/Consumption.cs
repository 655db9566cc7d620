namespace Leasehold.Core.Policies;

/// <summary>How a client type draws on the concurrent pool: some kinds hold seats, some only check that one is free, some are not counted.</summary>
public enum Consumption
{
    /// <summary>Holds seats from sign-in until the session ends.</summary>
    Seat,

    /// <summary>Pass/fail at sign-in: passes while at least one seat is free, holds none.</summary>
    Check,

    /// <summary>Never counted or checked.</summary>
    None,
}
