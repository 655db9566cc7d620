using System.Globalization;

namespace Leasehold.Core.Sessions;

/// <summary>
/// The time after an admin stop during which the stopped user's checkouts on the license are refused
/// (<c>stopped_recently</c>), so the stop frees the seat for someone else. One per stop, named by the
/// stopped session: a user is cooling down while any of theirs is in force, until the latest ends.
/// The user, not the device: a device is free text the client sends, so a cool-down by device would
/// end at the next sign-in from a browser or another machine.
/// </summary>
/// <param name="SessionId">The stopped session (one stop, one cool-down).</param>
/// <param name="User">The stopped user, as the session named them; compared case-insensitively, as seats are.</param>
/// <param name="At">When the stop began it.</param>
/// <param name="Actor">Who stopped the session (the admin key's id).</param>
public sealed record CoolDown(string SessionId, string TenantId, string LicenseId, string User, DateTimeOffset At, DateTimeOffset Until, string? Actor)
{
    /// <summary>When an admin lifted it before <see cref="Until"/> (null: not lifted).</summary>
    public DateTimeOffset? LiftedAt { get; init; }

    /// <summary>Who lifted it (the admin key's id).</summary>
    public string? LiftedBy { get; init; }

    /// <summary>The key users compare by (user names compare case-insensitively, as the seat key does).</summary>
    public string UserKey => KeyOf(User);

    public static string KeyOf(string user) => user.ToUpperInvariant();

    public bool InForce(DateTimeOffset now) => LiftedAt is null && Until > now;
}

/// <summary>The rules of cool-downs: when a stop begins one, whether a user is cooling down, lifting.</summary>
public static class CoolDowns
{
    /// <summary>
    /// The cool-down a stop begins: the stop's own minutes when it names them, else the policy's
    /// (<c>stops.coolDownMinutes</c>); null for 0. A later stop never shortens an earlier one: each
    /// is kept, and the user waits for the last.
    /// </summary>
    public static CoolDown? Begin(Session stopped, int minutes, DateTimeOffset now, string actor) =>
        minutes <= 0 ? null : new CoolDown(stopped.Id, stopped.TenantId, stopped.LicenseId, stopped.User, now, now.AddMinutes(minutes), actor);

    /// <summary>The user's cool-down in force on the ledger's license (the one that ends last), if any.</summary>
    public static CoolDown? Of(IEnumerable<CoolDown> coolDowns, string user, DateTimeOffset now)
    {
        var key = CoolDown.KeyOf(user);
        return coolDowns.Where(c => c.InForce(now) && c.UserKey == key).MaxBy(c => c.Until);
    }

    /// <summary>Every user cooling down now, one entry each (the cool-down that ends last), soonest end first.</summary>
    public static IReadOnlyList<CoolDown> InForce(IEnumerable<CoolDown> coolDowns, DateTimeOffset now) =>
        [.. coolDowns.Where(c => c.InForce(now)).GroupBy(c => (c.LicenseId, c.UserKey)).Select(g => g.MaxBy(c => c.Until)!)
            .OrderBy(c => c.Until).ThenBy(c => c.User, StringComparer.Ordinal)];

    /// <summary>The refusal of a checkout by a user cooling down: the code, a message that says until when, and the end.</summary>
    public static (string Code, string Message, DateTimeOffset Until)? Refusal(IEnumerable<CoolDown> coolDowns, string user, DateTimeOffset now) =>
        Of(coolDowns, user, now) is { } coolDown
            ? (Codes.StoppedRecently,
                $"An administrator stopped your session. You can sign in again from {coolDown.Until.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, or when an administrator lets you in earlier.",
                coolDown.Until)
            : null;

    /// <summary>
    /// An admin lets the user in again at once: every cool-down of theirs in force on the license is
    /// lifted (kept, with who lifted it and when). The answer is what was lifted; empty when the user
    /// was not cooling down.
    /// </summary>
    public static Decided<LiftedCoolDowns> Lift(LicenseLedger ledger, string user, DateTimeOffset now, string actor)
    {
        var key = CoolDown.KeyOf(user);
        var lifted = ledger.CoolDowns.Where(c => c.InForce(now) && c.UserKey == key)
            .Select(c => c with { LiftedAt = now, LiftedBy = actor }).ToList();
        return new(new LiftedCoolDowns(lifted), new Changes([], []) { CoolDowns = lifted });
    }
}

/// <summary>What lifting a user's cool-down changed: the cool-downs lifted (none if the user was not cooling down).</summary>
public sealed record LiftedCoolDowns(IReadOnlyList<CoolDown> Lifted);
