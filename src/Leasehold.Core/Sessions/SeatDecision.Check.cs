using Leasehold.Core.Policies;
using Leasehold.Core.Usage;

namespace Leasehold.Core.Sessions;

public static partial class SeatDecision
{
    /// <summary>
    /// A pass/fail check (clients that hold no seat, such as mobile apps): passes while at least one seat is free (named users and
    /// clients of consumption <c>none</c> always), holds nothing, and is recorded. A user an admin stopped fails it
    /// (<c>stopped_recently</c>) until the stop's cool-down ends, as their checkouts are refused.
    /// </summary>
    public static Decided<CheckResult> Check(LicenseLedger ledger, CheckRequest request, DateTimeOffset now)
    {
        var license = ledger.License;
        var policy = license.Policy;
        var type = policy.ResolveClientType(request.Client);
        if (type is null)
            return new(new CheckResult.Rejected(UnknownClientType(policy, request.Client)), Changes.None);

        var (live, ended) = Sweep(ledger.Holders, now);
        var inUse = SeatCount.InUse(live);
        var seats = ledger.OnlineSeats(now);
        var line = Queue.WaitingLine.Walk(ledger, live, now);
        IReadOnlyCollection<Session> counted = line.Open.Count == 0 ? live : [.. live, .. line.HeldSeats];
        string code;
        string message;
        var warnings = LicenseWarnings.At(license, now).ToList();
        if (LicenseDateRefusal(license, now) is { } dated)
        {
            (code, message) = (dated.Code, type.MessageFor(dated.Code, dated.Message));
        }
        else if (CoolDowns.Refusal(ledger.CoolDowns, request.User, now) is { } coolingDown)
        {
            (code, message) = (coolingDown.Code, type.MessageFor(coolingDown.Code, coolingDown.Message));
        }
        else
        {
            var admission = type.Consumption == Consumption.None || policy.IsNamed(request.User)
                ? Admission.Within
                : SeatPool.Judge(policy, seats, counted, request.User, null, 1);
            // A seat someone in the waiting line could use is not free for a check either.
            if (admission != Admission.Refused && type.Consumption != Consumption.None && !policy.IsNamed(request.User)
                && line.Open.Count > 0 && !line.Admits(request.User, null, 1))
                admission = Admission.Refused;
            (code, message) = admission switch
            {
                Admission.Within => (Codes.Pass, "A seat is free."),
                Admission.OverLimit => (Codes.PassOverLimit, policy.Limit.WarningMessage),
                _ => (type.DenialCode, type.DenialMessage),
            };
            if (admission == Admission.OverLimit)
                warnings.Insert(0, new Warning(Codes.OverLimit, policy.Limit.WarningMessage));
        }

        var pass = code is Codes.Pass or Codes.PassOverLimit;
        var events = ended.Select(s => UsageEvent.Ended(s)).ToList();
        events.Add(new UsageEvent(license.TenantId, license.Id, null, now, UsageKind.Checked, code, request.User, null, type.Name, 0)
        {
            SeatsInUse = inUse,
            SeatLimit = seats,
        });
        return new(new CheckResult.Answered(pass, code, message, inUse, seats) { Warnings = pass && warnings.Count > 0 ? warnings : Array.Empty<Warning>() },
            line.Into(new Changes(ended, events)));
    }
}
