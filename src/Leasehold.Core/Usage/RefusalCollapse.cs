using System.Security.Cryptography;
using System.Text;

namespace Leasehold.Core.Usage;

/// <summary>
/// Which usage events the store folds together, so that a client retrying a refused checkout (or a
/// failing check) in a loop adds a counter increment to the history, not a row: a refusal of a
/// license, kind, code, client type, user and device within one clock hour (UTC) of the first is one
/// event with a <see cref="UsageEvent.Count"/> and a <see cref="UsageEvent.LastAt"/>. The store keeps
/// at most a set number of such events per license and hour; past it, refusals of that license and
/// hour go into one <see cref="Overflow"/> event per kind, code and client type, whatever the user and
/// device (free text a client key chooses), so varying them cannot grow the history either.
/// Admissions, passed checks and ends are never folded: each is a state change of its own.
/// </summary>
public static class RefusalCollapse
{
    /// <summary>The user and device an overflow event shows (a real user named <c>*</c> is still told apart by its key).</summary>
    public const string OverflowMarker = "*";

    private const long HourMs = 3_600_000;

    /// <summary>Whether the store folds repeats of <paramref name="e"/>: a refused checkout or a failed check.</summary>
    public static bool Collapses(UsageEvent e) => Outcomes.Of(e) is { Denial: true } or { FailedCheck: true };

    /// <summary>The clock hour (hours since the Unix epoch) whose refusals fold into one event: the hour of the first.</summary>
    public static long Hour(DateTimeOffset at) => Math.DivRem(at.ToUnixTimeMilliseconds(), HourMs, out var rem) - (rem < 0 ? 1 : 0);

    /// <summary>What equal refusals within one license and hour share: a digest of kind, code, client type, user and device.</summary>
    public static string Key(UsageEvent e) => Digest('u', e.Kind, e.Code, e.Client, e.User, e.Device ?? "\u0001");

    /// <summary>The key of the overflow event for <paramref name="e"/>'s kind, code and client type.</summary>
    public static string OverflowKey(UsageEvent e) => Digest('o', e.Kind, e.Code, e.Client, "", "");

    /// <summary>The event that stands for every refusal past the license's quota in <paramref name="e"/>'s hour with its kind, code and client type.</summary>
    public static UsageEvent Overflow(UsageEvent e) => e with { SessionId = null, User = OverflowMarker, Device = OverflowMarker, SeatKey = null };

    /// <summary>A length-prefixed digest, so no choice of user or device can make two different tuples collide by concatenation.</summary>
    private static string Digest(char tag, UsageKind kind, string code, string client, string user, string device)
    {
        var text = new StringBuilder().Append(tag);
        foreach (var part in new[] { kind.ToString(), code, client, user, device })
            text.Append(part.Length).Append(':').Append(part);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 16);
    }
}
