namespace Leasehold.Core.Policies;

/// <summary>Whether the seat limit refuses (<c>hard</c>) or admits with a warning (<c>soft</c>).</summary>
public enum LimitMode
{
    Hard,
    Soft,
}

/// <summary>What happens to open sessions when their connection's access window closes: they end, or run on until they sign off.</summary>
public enum WindowCloseAction
{
    /// <summary>The session ends as <c>window_closed</c>.</summary>
    End,

    /// <summary>The session goes on; every answer carries a warning.</summary>
    Warn,
}

/// <summary>
/// The limit mode. In soft mode a session beyond the limit is admitted with a warning and an
/// overage event, up to an optional cap: <see cref="OverageCount"/> seats or
/// <see cref="OveragePercent"/> percent of the seats (rounded up) beyond the limit.
/// </summary>
public sealed record LimitPolicy(LimitMode Mode, int? OverageCount, int? OveragePercent, string WarningMessage)
{
    public const string DefaultWarning =
        "Your organization is using more concurrent licenses than it owns. Please ask your administrator to buy more.";

    public static LimitPolicy Hard { get; } = new(LimitMode.Hard, null, null, DefaultWarning);

    /// <summary>The most seats that may be in use at once under this policy.</summary>
    public int MaxInUse(int seats) => Mode switch
    {
        LimitMode.Hard => seats,
        _ when OverageCount is { } count => seats + count,
        _ when OveragePercent is { } percent => seats + (int)Math.Ceiling(seats * percent / 100.0),
        _ => int.MaxValue,
    };
}

/// <summary>Part of the pool held back for a group of users: only they may use those seats.</summary>
public sealed record Reservation(string Name, int Seats, IReadOnlySet<string> Users);

/// <summary>A subscription plan: base seats, add-ons up to a cap, and what to say beyond it.</summary>
public sealed record PlanPolicy(string Name, int BaseSeats, int MaxSeats, string ChangePlanMessage)
{
    public int AddOnSeats(int seats) => Math.Max(0, seats - BaseSeats);
}

/// <summary>License expiry: refused after the end date plus grace; warned the days before.</summary>
/// <param name="RenewDaysBefore">An installation starts renewing its license file by itself this many days before it ends.</param>
public sealed record ExpiryPolicy(int GraceDays, int WarnDays, int RenewDaysBefore = 14)
{
    public static ExpiryPolicy Default { get; } = new(0, 14, 14);
}

/// <summary>How a license uses the tenant's connections: whether sessions must name one, and how users share it.</summary>
public sealed record ConnectionPolicy(bool Required, WindowCloseAction OnWindowClose)
{
    public static ConnectionPolicy Default { get; } = new(false, WindowCloseAction.End);
}

/// <summary>
/// What an admin stop does besides ending the session: the cool-down during which the stopped user's
/// checkouts on the license are refused (<c>stopped_recently</c>), unless the stop itself names another.
/// 0 (the default) keeps a stop as it always was: the seat is free, for the stopped user too.
/// </summary>
public sealed record StopPolicy(int CoolDownMinutes)
{
    /// <summary>The longest cool-down a policy or a stop may give: one week.</summary>
    public const int MaxCoolDownMinutes = 7 * 24 * 60;

    public static StopPolicy Default { get; } = new(0);
}

/// <summary>
/// The license's waiting line (docs/waiting-line.md): whether a checkout that finds no seat may wait for one,
/// how many may wait at once, the longest a checkout may wait, and how long a freed seat is held for the
/// head of the line before it passes to the next. Off by default, so a license refuses at the limit as before.
/// </summary>
public sealed record WaitingLinePolicy(bool Enabled, int MaxLength, TimeSpan MaxWait, TimeSpan OfferHold)
{
    public const int MaxMaxLength = 10_000;
    public const int MaxMaxWaitSeconds = 24 * 3600;
    public const int MinOfferSeconds = 5;
    public const int MaxOfferSeconds = 3600;

    public static WaitingLinePolicy Default { get; } = new(false, 100, TimeSpan.FromHours(1), TimeSpan.FromSeconds(60));
}
