using Leasehold.Core.Policies;
using NodaTime;
using NodaTime.Text;

namespace Leasehold.Core.Access;

/// <summary>
/// The JSON form of an <see cref="AccessPlan"/>, as operators write it and the API returns it:
/// <c>{ "kind": "weekly", "windows": [ { "days": ["mon", "tue"], "from": "07:00", "to": "19:00" } ],
/// "maintenance": [ { "from": "2026-03-01T02:00", "to": "2026-03-01T04:00" } ] }</c>. Times are the tenant's local time.
/// </summary>
public sealed record AccessPlanDocument
{
    public const string BusinessHoursPreset = "business-hours";
    public const string AlwaysPreset = "always";

    /// <summary>The preset names <see cref="Preset"/> knows.</summary>
    public static readonly IReadOnlyList<string> Presets = [BusinessHoursPreset, AlwaysPreset];

    /// <summary><c>weekly</c> (open inside <see cref="Windows"/>) or <c>always</c> (24/7). Required.</summary>
    public string? Kind { get; init; }

    /// <summary>For <c>weekly</c>, at least one; left out for <c>always</c>.</summary>
    public IReadOnlyList<WeeklyWindowDocument?>? Windows { get; init; }

    /// <summary>Periods when the connection is closed whatever the kind. Optional.</summary>
    public IReadOnlyList<MaintenanceWindowDocument?>? Maintenance { get; init; }

    public static AccessPlanDocument From(AccessPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new AccessPlanDocument
        {
            Kind = AccessPlanKinds.Of(plan.Kind),
            Windows = plan.Kind == AccessPlanKind.Weekly ? plan.Windows.Select(WeeklyWindowDocument.Of).ToList() : null,
            Maintenance = plan.Maintenance.Select(MaintenanceWindowDocument.Of).ToList(),
        };
    }

    /// <summary>The document of a named preset (<c>business-hours</c>, <c>always</c>), or null for any other name.</summary>
    public static AccessPlanDocument? Preset(string name) => name switch
    {
        BusinessHoursPreset => From(AccessPlan.BusinessHours),
        AlwaysPreset => From(AccessPlan.Always),
        _ => null,
    };
}

/// <summary>The JSON form of a <see cref="WeeklyWindow"/>.</summary>
public sealed record WeeklyWindowDocument
{
    /// <summary>Any of <c>mon</c>, <c>tue</c>, <c>wed</c>, <c>thu</c>, <c>fri</c>, <c>sat</c>, <c>sun</c>; each at most once.</summary>
    public IReadOnlyList<string?>? Days { get; init; }

    /// <summary><c>HH:mm</c>, 00:00 to 23:59.</summary>
    public string? From { get; init; }

    /// <summary><c>HH:mm</c>, 00:00 to 24:00; at or before <see cref="From"/> runs past midnight into the next day.</summary>
    public string? To { get; init; }

    public static WeeklyWindowDocument Of(WeeklyWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return new WeeklyWindowDocument
        {
            Days = window.Days.Select(AccessPlanValidation.DayName).ToList(),
            From = AccessPlanValidation.TimeOfDay.Format(window.From),
            To = window.To == LocalTime.Midnight ? AccessPlanValidation.EndOfDay : AccessPlanValidation.TimeOfDay.Format(window.To),
        };
    }
}

/// <summary>The JSON form of a <see cref="MaintenanceWindow"/>.</summary>
public sealed record MaintenanceWindowDocument
{
    /// <summary>Local date and time, <c>yyyy-MM-ddTHH:mm</c> (seconds optional), no offset.</summary>
    public string? From { get; init; }

    /// <summary>Local date and time after <see cref="From"/>.</summary>
    public string? To { get; init; }

    public static MaintenanceWindowDocument Of(MaintenanceWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return new MaintenanceWindowDocument
        {
            From = AccessPlanValidation.FormatLocal(window.From),
            To = AccessPlanValidation.FormatLocal(window.To),
        };
    }
}

/// <summary>The wire names of <see cref="AccessPlanKind"/>.</summary>
public static class AccessPlanKinds
{
    public static readonly IReadOnlyList<string> All = ["weekly", "always"];

    public static string Of(AccessPlanKind kind) => kind == AccessPlanKind.Always ? "always" : "weekly";

    public static AccessPlanKind? Parse(string name) => name switch
    {
        "weekly" => AccessPlanKind.Weekly,
        "always" => AccessPlanKind.Always,
        _ => null,
    };
}

/// <summary>Turns an <see cref="AccessPlanDocument"/> into an <see cref="AccessPlan"/>, or says field by field why it cannot.</summary>
public static class AccessPlanValidation
{
    public const int MaxWindows = 32;
    public const int MaxMaintenance = 100;
    public const string EndOfDay = "24:00";

    internal static readonly LocalTimePattern TimeOfDay = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    private static readonly LocalDateTimePattern LocalMinutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
    private static readonly LocalDateTimePattern LocalSeconds = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");

    private static readonly string[] DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    private static readonly string AllDays = string.Join(", ", DayNames);

    /// <summary>
    /// Builds the plan. Errors are added to <paramref name="errors"/> with JSON paths under <paramref name="path"/>;
    /// the plan returned is only meaningful when none were added. A null document is an error ("Required.").
    /// </summary>
    public static AccessPlan Build(AccessPlanDocument? doc, string path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (doc is null)
        {
            errors.Add(new(path, "Required."));
            return AccessPlan.Always;
        }

        AccessPlanKind? kind = null;
        if (doc.Kind is null)
            errors.Add(new($"{path}.kind", "Required: weekly or always."));
        else if (AccessPlanKinds.Parse(doc.Kind) is { } parsed)
            kind = parsed;
        else
            errors.Add(new($"{path}.kind", $"Must be one of: {string.Join(", ", AccessPlanKinds.All)}."));

        // The windows are only checked once the kind is known, so a wrong kind is reported once, not twice.
        var windows = new List<WeeklyWindow>();
        if (kind == AccessPlanKind.Always)
        {
            if (doc.Windows is { Count: > 0 })
                errors.Add(new($"{path}.windows", "Only a weekly plan has windows; leave them out for 'always'."));
        }
        else if (kind == AccessPlanKind.Weekly)
        {
            if (doc.Windows is null or { Count: 0 } || doc.Windows.Count > MaxWindows)
            {
                errors.Add(new($"{path}.windows", $"A weekly plan has between 1 and {MaxWindows} windows."));
            }
            else
            {
                for (var i = 0; i < doc.Windows.Count; i++)
                {
                    if (BuildWindow(doc.Windows[i], $"{path}.windows[{i}]", errors) is { } window)
                        windows.Add(window);
                }
            }
        }

        var maintenance = new List<MaintenanceWindow>();
        if (doc.Maintenance is { } maintenanceDocs)
        {
            if (maintenanceDocs.Count > MaxMaintenance)
            {
                errors.Add(new($"{path}.maintenance", $"At most {MaxMaintenance} maintenance windows."));
            }
            else
            {
                for (var i = 0; i < maintenanceDocs.Count; i++)
                {
                    if (BuildMaintenance(maintenanceDocs[i], $"{path}.maintenance[{i}]", errors) is { } window)
                        maintenance.Add(window);
                }
            }
        }

        return new AccessPlan(kind ?? AccessPlanKind.Weekly, windows, maintenance);
    }

    internal static string DayName(IsoDayOfWeek day) =>
        day is >= IsoDayOfWeek.Monday and <= IsoDayOfWeek.Sunday ? DayNames[(int)day - 1] : day.ToString().ToLowerInvariant();

    internal static string FormatLocal(LocalDateTime local) =>
        local.Second == 0 && local.NanosecondOfSecond == 0 ? LocalMinutes.Format(local) : LocalSeconds.Format(local);

    private static WeeklyWindow? BuildWindow(WeeklyWindowDocument? doc, string path, List<FieldError> errors)
    {
        if (doc is null)
        {
            errors.Add(new(path, "Required: an object with days, from and to."));
            return null;
        }

        var before = errors.Count;
        var days = new List<IsoDayOfWeek>();
        if (doc.Days is null or { Count: 0 })
        {
            errors.Add(new($"{path}.days", $"Name at least one day: {AllDays}."));
        }
        else
        {
            for (var i = 0; i < doc.Days.Count; i++)
            {
                var index = Array.IndexOf(DayNames, doc.Days[i]);
                if (index < 0)
                    errors.Add(new($"{path}.days[{i}]", $"Must be one of: {AllDays}."));
                else if (days.Contains((IsoDayOfWeek)(index + 1)))
                    errors.Add(new($"{path}.days[{i}]", "Each day at most once per window."));
                else
                    days.Add((IsoDayOfWeek)(index + 1));
            }
        }

        LocalTime? from = null;
        if (doc.From is null)
            errors.Add(new($"{path}.from", "Required: a time of day as HH:mm, 00:00 to 23:59."));
        else if (TimeOfDay.Parse(doc.From) is { Success: true } parsedFrom)
            from = parsedFrom.Value;
        else
            errors.Add(new($"{path}.from", "Must be a time of day as HH:mm, 00:00 to 23:59."));

        LocalTime? to = null;
        const string toRule = "a time of day as HH:mm, 00:00 to 24:00 (a time at or before 'from' runs past midnight into the next day)";
        if (doc.To is null)
            errors.Add(new($"{path}.to", $"Required: {toRule}."));
        else if (doc.To == EndOfDay)
            to = LocalTime.Midnight;
        else if (TimeOfDay.Parse(doc.To) is { Success: true } parsedTo)
            to = parsedTo.Value;
        else
            errors.Add(new($"{path}.to", $"Must be {toRule}."));

        if (from is { } f && to is { } t && f == t && !(f == LocalTime.Midnight && doc.To == EndOfDay))
            errors.Add(new($"{path}.to", "Must differ from 'from' (for the whole day use 00:00 to 24:00)."));

        return errors.Count == before ? new WeeklyWindow(days, from!.Value, to!.Value) : null;
    }

    private static MaintenanceWindow? BuildMaintenance(MaintenanceWindowDocument? doc, string path, List<FieldError> errors)
    {
        if (doc is null)
        {
            errors.Add(new(path, "Required: an object with from and to."));
            return null;
        }

        var from = ParseLocal(doc.From, $"{path}.from", errors);
        var to = ParseLocal(doc.To, $"{path}.to", errors);
        if (from is null || to is null)
            return null;
        if (to <= from)
        {
            errors.Add(new($"{path}.to", "Must be after 'from'."));
            return null;
        }

        return new MaintenanceWindow(from.Value, to.Value);
    }

    private static LocalDateTime? ParseLocal(string? text, string path, List<FieldError> errors)
    {
        const string rule = "a local date and time in the tenant's time zone as yyyy-MM-ddTHH:mm, without an offset";
        if (text is null)
        {
            errors.Add(new(path, $"Required: {rule}."));
            return null;
        }

        if (LocalMinutes.Parse(text) is { Success: true } minutes)
            return minutes.Value;
        if (LocalSeconds.Parse(text) is { Success: true } seconds)
            return seconds.Value;
        errors.Add(new(path, $"Must be {rule}."));
        return null;
    }
}
