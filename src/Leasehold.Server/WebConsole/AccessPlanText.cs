using Leasehold.Core.Access;

namespace Leasehold.Server.WebConsole;

/// <summary>An access plan in words for the connections table: "Mon-Sat 07:00-19:00", "Always", and its maintenance windows.</summary>
internal static class AccessPlanText
{
    public static string Windows(AccessPlanDocument plan) => plan.Kind == "always"
        ? "Always"
        : string.Join("; ", (plan.Windows ?? []).Select(w => $"{Days(w?.Days)} {w?.From}-{w?.To}"));

    public static IEnumerable<string> Maintenance(AccessPlanDocument plan) =>
        (plan.Maintenance ?? []).Select(m => $"{m?.From?.Replace('T', ' ')} to {m?.To?.Replace('T', ' ')}");

    private static readonly string[] Week = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>"Mon-Sat" for a run of days, else "Mon, Wed, Fri".</summary>
    private static string Days(IReadOnlyList<string?>? days)
    {
        var indexes = (days ?? []).Select(d => Array.IndexOf(Week, d)).Where(i => i >= 0).Order().ToArray();
        if (indexes.Length == 0)
            return "";
        var run = indexes.Length > 2 && indexes[^1] - indexes[0] == indexes.Length - 1;
        return run ? $"{Name(indexes[0])}-{Name(indexes[^1])}" : string.Join(", ", indexes.Select(Name));
    }

    private static string Name(int day) => char.ToUpperInvariant(Week[day][0]) + Week[day][1..];
}
