namespace Leasehold.Core.Usage;

/// <summary>
/// What one usage event (or a count of events of one kind and code) means to a report. Every report
/// (concurrency, denials, limit warnings, what-if and right-sizing) classifies through
/// <see cref="Outcomes.Of"/>, so they all count the same events the same way.
/// </summary>
/// <param name="Denial">A checkout was refused, whatever the reason.</param>
/// <param name="ForWantOfSeat">A refused checkout that more seats would have admitted (not an expired license, a closed access window, ...).</param>
/// <param name="FailedCheck">A pass/fail check failed. It held nothing and refused no checkout, so it is never a denial.</param>
/// <param name="OverLimit">Admitted or passed above a soft limit.</param>
public readonly record struct UsageOutcome(bool Denial, bool ForWantOfSeat, bool FailedCheck, bool OverLimit);

/// <summary>The one classification of usage events that every report shares.</summary>
public static class Outcomes
{
    public static UsageOutcome Of(UsageKind kind, string code) => kind switch
    {
        UsageKind.Denied => new(Denial: true, ForWantOfSeat: Codes.IsSeatRefusal(code), FailedCheck: false, OverLimit: false),
        UsageKind.Checked => new(Denial: false, ForWantOfSeat: false, FailedCheck: code is not (Codes.Pass or Codes.PassOverLimit),
            OverLimit: code == Codes.PassOverLimit),
        UsageKind.Admitted => new(Denial: false, ForWantOfSeat: false, FailedCheck: false, OverLimit: code == Codes.AdmittedOverLimit),
        _ => default,
    };

    public static UsageOutcome Of(UsageEvent e) => Of(e.Kind, e.Code);
}
