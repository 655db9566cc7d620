using System.Text.Json.Serialization;

namespace Leasehold.Core.Policies;

/// <summary>
/// The JSON form of a <see cref="LicensePolicy"/>, as operators write it and the API returns it.
/// Every field is optional on input; what is left out takes the value of <see cref="LicensePolicy.Default"/>.
/// </summary>
public sealed record PolicyDocument
{
    /// <summary><c>session</c> (default), <c>user</c> or <c>user+device</c>.</summary>
    public string? SeatKey { get; init; }

    /// <summary>The type an unknown client name is treated as; null or absent refuses unknown names.</summary>
    public string? DefaultClientType { get; init; }

    public IReadOnlyDictionary<string, ClientTypeDocument>? ClientTypes { get; init; }

    public LimitDocument? Limit { get; init; }

    public IReadOnlyList<string>? NamedUsers { get; init; }

    public IReadOnlyList<ReservationDocument>? Reservations { get; init; }

    public PlanDocument? Plan { get; init; }

    public ExpiryDocument? Expiry { get; init; }

    public ConnectionsDocument? Connections { get; init; }

    public StopsDocument? Stops { get; init; }

    /// <summary>The waiting line; absent: none (checkouts are refused at the limit). Not written when absent, so a policy without one reads as before.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WaitingLineDocument? WaitingLine { get; init; }

    public static PolicyDocument From(LicensePolicy policy) => new()
    {
        SeatKey = SeatKeyNames.Of(policy.SeatKey),
        DefaultClientType = policy.DefaultClientType,
        ClientTypes = policy.ClientTypes.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToDictionary(t => t.Name, ClientTypeDocument.From),
        Limit = new LimitDocument
        {
            Mode = policy.Limit.Mode == LimitMode.Soft ? "soft" : "hard",
            OverageCount = policy.Limit.OverageCount,
            OveragePercent = policy.Limit.OveragePercent,
            WarningMessage = policy.Limit.WarningMessage,
        },
        NamedUsers = [.. policy.NamedUsers.Order(StringComparer.OrdinalIgnoreCase)],
        Reservations = [.. policy.Reservations.Select(r => new ReservationDocument
        {
            Name = r.Name,
            Seats = r.Seats,
            Users = [.. r.Users.Order(StringComparer.OrdinalIgnoreCase)],
        })],
        Plan = policy.Plan is { } plan
            ? new PlanDocument { Name = plan.Name, BaseSeats = plan.BaseSeats, MaxSeats = plan.MaxSeats, ChangePlanMessage = plan.ChangePlanMessage }
            : null,
        Expiry = new ExpiryDocument { GraceDays = policy.Expiry.GraceDays, WarnDays = policy.Expiry.WarnDays, RenewDaysBefore = policy.Expiry.RenewDaysBefore },
        Connections = new ConnectionsDocument
        {
            Required = policy.Connections.Required,
            OnWindowClose = policy.Connections.OnWindowClose == WindowCloseAction.Warn ? "warn" : "end",
        },
        Stops = new StopsDocument { CoolDownMinutes = policy.Stops.CoolDownMinutes },
        // Written only when it differs from the default, so a policy without a waiting line reads (and signs into
        // license files for installations that predate it) exactly as before.
        WaitingLine = policy.WaitingLine == WaitingLinePolicy.Default ? null : new WaitingLineDocument
        {
            Enabled = policy.WaitingLine.Enabled,
            MaxLength = policy.WaitingLine.MaxLength,
            MaxWaitSeconds = (int)policy.WaitingLine.MaxWait.TotalSeconds,
            OfferSeconds = (int)policy.WaitingLine.OfferHold.TotalSeconds,
        },
    };
}

/// <summary><c>hard</c> (refuse at the limit) or <c>soft</c> (admit with a warning, up to an optional cap).</summary>
public sealed record LimitDocument
{
    public string? Mode { get; init; }

    /// <summary>Soft mode: at most this many seats beyond the limit.</summary>
    public int? OverageCount { get; init; }

    /// <summary>Soft mode: at most this percentage of the seats (rounded up) beyond the limit.</summary>
    public int? OveragePercent { get; init; }

    /// <summary>The warning an application shows on its home screen when admitted over the limit.</summary>
    public string? WarningMessage { get; init; }
}

/// <summary>Seats of the pool held back for a group of users.</summary>
public sealed record ReservationDocument
{
    public string? Name { get; init; }

    public int? Seats { get; init; }

    public IReadOnlyList<string>? Users { get; init; }
}

/// <summary>A subscription plan: the license's seats must stay between its base and its cap.</summary>
public sealed record PlanDocument
{
    public string? Name { get; init; }

    public int? BaseSeats { get; init; }

    public int? MaxSeats { get; init; }

    public string? ChangePlanMessage { get; init; }
}

public sealed record ExpiryDocument
{
    /// <summary>Days after the end date during which sessions are still admitted, with a warning.</summary>
    public int? GraceDays { get; init; }

    /// <summary>Answers warn this many days before the end date.</summary>
    public int? WarnDays { get; init; }

    /// <summary>An installation tries to renew its license file by itself from this many days before it ends.</summary>
    public int? RenewDaysBefore { get; init; }
}

public sealed record ConnectionsDocument
{
    /// <summary>Whether every session must sign in through one of the tenant's connections.</summary>
    public bool? Required { get; init; }

    /// <summary><c>end</c>: open sessions end as <c>window_closed</c> when the access window closes; <c>warn</c>: they are warned.</summary>
    public string? OnWindowClose { get; init; }
}

public sealed record StopsDocument
{
    /// <summary>Minutes after an admin stop during which the stopped user's checkouts on the license are refused (0-10080; 0: none).</summary>
    public int? CoolDownMinutes { get; init; }
}

/// <summary>The JSON form of a <see cref="WaitingLinePolicy"/>.</summary>
public sealed record WaitingLineDocument
{
    /// <summary>Whether a checkout that asks to wait may join the line when no seat is free (default false).</summary>
    public bool? Enabled { get; init; }

    /// <summary>The most entries that may wait at once (1-10000; default 100).</summary>
    public int? MaxLength { get; init; }

    /// <summary>The longest a checkout may wait, in seconds (10-86400; default 3600); a longer wait asked for is cut to it.</summary>
    public int? MaxWaitSeconds { get; init; }

    /// <summary>How long a freed seat is held for the entry it is offered to, in seconds (5-3600; default 60).</summary>
    public int? OfferSeconds { get; init; }
}

/// <summary>The JSON form of a <see cref="ClientTypePolicy"/>.</summary>
public sealed record ClientTypeDocument
{
    /// <summary><c>seat</c> (default), <c>check</c> or <c>none</c>.</summary>
    public string? Consumption { get; init; }

    public int? Weight { get; init; }

    public int? TtlSeconds { get; init; }

    /// <summary>0 turns the idle timeout off.</summary>
    public int? IdleTimeoutSeconds { get; init; }

    public string? DenialCode { get; init; }

    public string? DenialMessage { get; init; }

    /// <summary>This client's own text for other refusals, by code (<c>license_expired</c>, <c>outside_access_window</c>, ...).</summary>
    public IReadOnlyDictionary<string, string>? Messages { get; init; }

    /// <summary>Up to how many days ahead a client may borrow a seat (1-365); absent or null: borrowing is not allowed.</summary>
    public int? BorrowDays { get; init; }

    /// <summary>Whether this client may join the waiting line; absent or null: as the license's <c>waitingLine.enabled</c> says.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Waits { get; init; }

    public static ClientTypeDocument From(ClientTypePolicy type) => new()
    {
        Messages = type.Messages.Count == 0 ? null : type.Messages,
        Consumption = type.Consumption.ToString().ToLowerInvariant(),
        Weight = type.Weight,
        TtlSeconds = (int)type.Ttl.TotalSeconds,
        IdleTimeoutSeconds = type.IdleTimeout is { } idle ? (int)idle.TotalSeconds : 0,
        DenialCode = type.DenialCode,
        DenialMessage = type.DenialMessage,
        BorrowDays = type.BorrowDays,
        Waits = type.Waits,
    };
}

/// <summary>The wire names of <see cref="Policies.SeatKey"/>.</summary>
public static class SeatKeyNames
{
    public static readonly IReadOnlyList<string> All = ["session", "user", "user+device", "connection"];

    public static string Of(SeatKey key) => key switch
    {
        SeatKey.User => "user",
        SeatKey.UserDevice => "user+device",
        SeatKey.Connection => "connection",
        _ => "session",
    };

    public static SeatKey? Parse(string name) => name switch
    {
        "session" => SeatKey.Session,
        "user" => SeatKey.User,
        "user+device" => SeatKey.UserDevice,
        "connection" => SeatKey.Connection,
        _ => null,
    };
}
