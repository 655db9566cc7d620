using Leasehold.Core;
using Leasehold.Core.Policies;
using Leasehold.Core.Usage;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Usage;

/// <summary>
/// How many events of one outcome and client type a period had, and when the first and last were.
/// <paramref name="Kind"/> (<c>denied</c> or <c>checked</c>) tells a refused checkout from a failed check with the same code.
/// </summary>
internal sealed record OutcomeResponse(string Kind, string Client, string Code, int Count, DateTimeOffset First, DateTimeOffset Last);

/// <summary>Refused checkouts (and failed checks) of a period, by client type and code.</summary>
internal sealed record DenialsResponse(
    string LicenseId, DateTimeOffset From, DateTimeOffset To, int Denials, int FailedChecks,
    Dictionary<string, int> DenialsByClient, Dictionary<string, int> DenialsByCode, OutcomeResponse[] Breakdown);

/// <summary>How often, and from when to when, something happened in a period (count 0: never; then the times are null).</summary>
internal sealed record Occurrences(int Count, DateTimeOffset? First, DateTimeOffset? Last);

/// <summary>Whether the license went over its limit (soft mode) and when it refused for want of a seat (hard mode, or past a soft cap).</summary>
internal sealed record LimitWarningsResponse(
    string LicenseId, string LimitMode, int SeatLimit, DateTimeOffset From, DateTimeOffset To, bool Exceeded, bool Refused,
    Occurrences OverLimit, Occurrences Refusals, string? Warning);

/// <summary>Reports from outcome counts (raw events, and rolled-up hours before the mark): refusals and limit warnings.</summary>
internal static partial class UsageApi
{
    public static async Task<Results<Ok<DenialsResponse>, ProblemHttpResult>> GetDenials(
        string id, string? from, string? to, Caller caller, [AsParameters] UsageServices services, CancellationToken ct)
    {
        var (found, problem) = await OutcomesAsync(id, from, to, caller, services, ct);
        if (found is not var (reported, start, end, outcomes))
            return problem!;
        var denied = outcomes.Where(o => Outcomes.Of(o.Kind, o.Code).Denial).ToList();
        var failedChecks = outcomes.Where(o => Outcomes.Of(o.Kind, o.Code).FailedCheck).ToList();
        return TypedResults.Ok(new DenialsResponse(reported.License.Id, UsageReports.Local(start, reported), UsageReports.Local(end, reported),
            denied.Sum(o => o.Events), failedChecks.Sum(o => o.Events),
            Totals(denied, o => o.Client), Totals(denied, o => o.Code),
            [.. denied.Concat(failedChecks).OrderByDescending(o => o.Events).ThenBy(o => o.Client, StringComparer.Ordinal)
                .Select(o => new OutcomeResponse(o.Kind.ToString().ToLowerInvariant(), o.Client, o.Code, o.Events, UsageReports.Local(o.First, reported), UsageReports.Local(o.Last, reported)))]));
    }

    public static async Task<Results<Ok<LimitWarningsResponse>, ProblemHttpResult>> GetLimitWarnings(
        string id, string? from, string? to, Caller caller, [AsParameters] UsageServices services, CancellationToken ct)
    {
        var (found, problem) = await OutcomesAsync(id, from, to, caller, services, ct);
        if (found is not var (reported, start, end, outcomes))
            return problem!;
        var over = Occur(outcomes.Where(o => Outcomes.Of(o.Kind, o.Code).OverLimit), reported);
        var refusals = Occur(outcomes.Where(o => Outcomes.Of(o.Kind, o.Code).ForWantOfSeat), reported);
        var license = reported.License;
        var soft = license.Policy.Limit.Mode == LimitMode.Soft;
        return TypedResults.Ok(new LimitWarningsResponse(license.Id, soft ? "soft" : "hard", license.Seats,
            UsageReports.Local(start, reported), UsageReports.Local(end, reported), over.Count > 0, refusals.Count > 0, over, refusals,
            Warning(license.Seats, over, refusals, reported.TimeZone)));
    }

    /// <summary>The outcome counts of a license over the period asked for, or the problem with the request.</summary>
    private static async Task<(PeriodOutcomes? Found, ProblemHttpResult? Problem)> OutcomesAsync(
        string id, string? from, string? to, Caller caller, UsageServices services, CancellationToken ct)
    {
        if (await UsageReports.FindAsync(services.Tenants, id, caller.TenantScope, ct) is not { } reported)
            return (null, Problems.NotFound("license"));
        var p = new UsageParams(reported.TimeZone, services.Clock.Now());
        var (start, end) = p.Period(from, to, TimeSpan.FromDays(30));
        if (p.Errors.Count > 0)
            return (null, Problems.Invalid(p.Errors));
        return (new PeriodOutcomes(reported, start, end, await services.Usage.CountOutcomesAsync(reported.License.Id, caller.TenantScope, start, end, ct)), null);
    }

    private sealed record PeriodOutcomes(ReportedLicense Reported, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<OutcomeTotal> Outcomes);

    /// <summary>The admin's warning, its times in the tenant's zone (with the offset), as every time a report shows.</summary>
    private static string? Warning(int seats, Occurrences over, Occurrences refusals, string timeZone) => (over.Count, refusals.Count) switch
    {
        (0, 0) => null,
        (_, 0) => $"The license went over its {seats} seats {over.Count} time(s) in this period (last {ReportTime.Describe(over.Last!.Value, timeZone)}). Consider more seats.",
        (0, _) => $"Users were refused a seat {refusals.Count} time(s) in this period (last {ReportTime.Describe(refusals.Last!.Value, timeZone)}). Consider more seats.",
        _ => $"The license went over its {seats} seats {over.Count} time(s) and refused {refusals.Count} time(s) in this period. Consider more seats.",
    };

    private static Occurrences Occur(IEnumerable<OutcomeTotal> outcomes, ReportedLicense reported)
    {
        var list = outcomes.ToList();
        return list.Count == 0 ? new Occurrences(0, null, null)
            : new Occurrences(list.Sum(o => o.Events), UsageReports.Local(list.Min(o => o.First), reported), UsageReports.Local(list.Max(o => o.Last), reported));
    }

    private static Dictionary<string, int> Totals(IEnumerable<OutcomeTotal> outcomes, Func<OutcomeTotal, string> key) =>
        outcomes.GroupBy(key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(o => o.Events), StringComparer.Ordinal);
}
