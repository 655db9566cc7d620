using NodaTime;

namespace Leasehold.Core.Access;

/// <summary>Whether a plan opens on a weekly timetable or around the clock.</summary>
public enum AccessPlanKind
{
    /// <summary>Open only inside its <see cref="AccessPlan.Windows"/>.</summary>
    Weekly,

    /// <summary>Open 24/7; <see cref="AccessPlan.Windows"/> is ignored.</summary>
    Always,
}

/// <summary>
/// When a connection may be used, in the tenant's local time. Whatever the kind, the connection is closed inside every
/// <see cref="Maintenance"/> window. Windows that touch or overlap act as one (Mon 07:00-19:00 and Mon 19:00-22:00 is
/// open 07:00-22:00 without a break). Equality compares the lists element by element.
/// </summary>
public sealed record AccessPlan(AccessPlanKind Kind, IReadOnlyList<WeeklyWindow> Windows, IReadOnlyList<MaintenanceWindow> Maintenance)
{
    /// <summary>Monday to Saturday, 07:00-19:00.</summary>
    public static AccessPlan BusinessHours { get; } = new(
        AccessPlanKind.Weekly,
        [
            new WeeklyWindow(
                [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday],
                new LocalTime(7, 0),
                new LocalTime(19, 0)),
        ],
        []);

    /// <summary>Around the clock, no maintenance.</summary>
    public static AccessPlan Always { get; } = new(AccessPlanKind.Always, [], []);

    public bool Equals(AccessPlan? other) =>
        other is not null
        && Kind == other.Kind
        && Windows.SequenceEqual(other.Windows)
        && Maintenance.SequenceEqual(other.Maintenance);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        foreach (var window in Windows)
            hash.Add(window);
        foreach (var maintenance in Maintenance)
            hash.Add(maintenance);
        return hash.ToHashCode();
    }
}

/// <summary>
/// Open from <paramref name="From"/> to <paramref name="To"/> on each of <paramref name="Days"/> (local time).
/// A window whose <paramref name="To"/> is at or before its <paramref name="From"/> runs past midnight and ends on the
/// next day: Fri 22:00-02:00 ends Saturday 02:00. <see cref="LocalTime.Midnight"/> as <paramref name="To"/> is the end
/// of the day ("24:00"), so 00:00-00:00 is the whole day. Any other window with From == To is invalid and never opens.
/// </summary>
public sealed record WeeklyWindow(IReadOnlyList<IsoDayOfWeek> Days, LocalTime From, LocalTime To)
{
    /// <summary>False only for From == To other than the whole day (00:00-24:00).</summary>
    public bool IsValid => From != To || From == LocalTime.Midnight;

    public bool Equals(WeeklyWindow? other) =>
        other is not null && From == other.From && To == other.To && Days.SequenceEqual(other.Days);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(From);
        hash.Add(To);
        foreach (var day in Days)
            hash.Add(day);
        return hash.ToHashCode();
    }
}

/// <summary>Closed from <paramref name="From"/> to <paramref name="To"/>, both in the tenant's local time.</summary>
public sealed record MaintenanceWindow(LocalDateTime From, LocalDateTime To);
