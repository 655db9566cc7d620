using Leasehold.Core.Policies;
using Leasehold.Core.Usage;

namespace Leasehold.Core.Sessions;

/// <summary>
/// The seat decision: a pure function of (license policy, current holders, request, now).
/// It never reads a clock or a database; storage hands it a consistent <see cref="LicenseLedger"/>
/// and writes the <see cref="Changes"/> it returns atomically.
/// </summary>
public static class SeatDecision
{
    public static Decided<CheckoutResult> Checkout(LicenseLedger ledger, CheckoutRequest request, DateTimeOffset now)
    {
        var license = ledger.License;
        if (ledger.Replay is { } earlier)
            return new(Replay(license, earlier, request, LiveHolders(ledger, now)), Changes.None);

        var type = license.Policy.ResolveClientType(request.Client);
        if (type is null)
            return new(new CheckoutResult.Rejected(UnknownClientType(license.Policy, request.Client)), Changes.None);

        var (live, ended) = Sweep(ledger.Holders, now);
        var seatKey = SeatKeyFor(license.Policy.SeatKey, request);
        var inUse = SeatCount.InUse(live);
        var events = ended.Select(s => UsageEvent.Ended(s)).ToList();

        var admit = type.Consumption switch
        {
            Consumption.None => true,
            Consumption.Check => inUse < license.Seats,
            _ => inUse + Math.Max(0, type.Weight - SeatCount.HeldBy(live, seatKey)) <= license.Seats,
        };

        if (!admit)
        {
            events.Add(new UsageEvent(license.TenantId, license.Id, null, now, UsageKind.Denied, type.DenialCode,
                request.User, request.Device, type.Name, type.SeatsHeld));
            return new(new CheckoutResult.Denied(type.DenialCode, type.DenialMessage, inUse, license.Seats), new Changes(ended, events));
        }

        var session = new Session
        {
            Id = request.SessionId,
            TenantId = license.TenantId,
            LicenseId = license.Id,
            User = request.User,
            Device = request.Device,
            Client = type.Name,
            Consumption = type.Consumption,
            Seats = type.SeatsHeld,
            SeatKey = seatKey,
            Ttl = type.Ttl,
            IdleTimeout = type.IdleTimeout,
            StartedAt = now,
            LastHeartbeatAt = now,
            LastActivityAt = now,
            IdempotencyKey = request.IdempotencyKey,
        };
        events.Add(new UsageEvent(license.TenantId, license.Id, session.Id, now, UsageKind.Admitted, Codes.Admitted,
            session.User, session.Device, session.Client, session.Seats));
        var inUseAfter = SeatCount.InUse(live.Append(session));
        return new(new CheckoutResult.Admitted(session, Replayed: false, inUseAfter, license.Seats), new Changes([.. ended, session], events));
    }

    /// <summary>A pass/fail check: passes while at least one seat is free, holds nothing (SPEC rule 3).</summary>
    public static Decided<CheckResult> Check(LicenseLedger ledger, CheckRequest request, DateTimeOffset now)
    {
        var license = ledger.License;
        var type = license.Policy.ResolveClientType(request.Client);
        if (type is null)
            return new(new CheckResult.Rejected(UnknownClientType(license.Policy, request.Client)), Changes.None);

        var (live, ended) = Sweep(ledger.Holders, now);
        var inUse = SeatCount.InUse(live);
        var pass = type.Consumption == Consumption.None || inUse < license.Seats;
        var code = pass ? Codes.Pass : type.DenialCode;
        var message = pass ? "A seat is free." : type.DenialMessage;

        var events = ended.Select(s => UsageEvent.Ended(s)).ToList();
        events.Add(new UsageEvent(license.TenantId, license.Id, null, now, UsageKind.Checked, code, request.User, null, type.Name, 0));
        return new(new CheckResult.Answered(pass, code, message, inUse, license.Seats), new Changes(ended, events));
    }

    /// <summary>Splits holders into those still live at <paramref name="now"/> and those whose end fell due (now ended).</summary>
    public static (List<Session> Live, List<Session> Ended) Sweep(IEnumerable<Session> holders, DateTimeOffset now)
    {
        var live = new List<Session>();
        var ended = new List<Session>();
        foreach (var holder in holders)
        {
            if (!holder.IsActive)
                continue;
            if (holder.DueEnd(now) is { } due)
                ended.Add(holder.End(due.Reason, due.At));
            else
                live.Add(holder);
        }
        return (live, ended);
    }

    public static string SeatKeyFor(SeatKey seatKey, CheckoutRequest request) => seatKey switch
    {
        SeatKey.User => "u:" + request.User.ToUpperInvariant(),
        SeatKey.UserDevice => "ud:" + request.User.ToUpperInvariant() + "\n" + request.Device,
        _ => "s:" + request.SessionId,
    };

    private static List<Session> LiveHolders(LicenseLedger ledger, DateTimeOffset now) => Sweep(ledger.Holders, now).Live;

    private static CheckoutResult Replay(License license, Session earlier, CheckoutRequest request, List<Session> live)
    {
        var same = earlier.LicenseId == license.Id
            && earlier.User == request.User
            && earlier.Device == request.Device
            && string.Equals(earlier.Client, license.Policy.ResolveClientType(request.Client)?.Name, StringComparison.OrdinalIgnoreCase);
        if (!same)
        {
            return new CheckoutResult.Rejected(new RequestError(Codes.IdempotencyKeyReused, "Idempotency-Key",
                "This Idempotency-Key was already used for a different checkout. Use a new key for each new session."));
        }
        return new CheckoutResult.Admitted(earlier, Replayed: true, SeatCount.InUse(live), license.Seats);
    }

    private static RequestError UnknownClientType(LicensePolicy policy, string client) =>
        new(Codes.UnknownClientType, "client",
            $"Unknown client type '{client}'. This license knows: {string.Join(", ", policy.ClientTypes.Keys.Order(StringComparer.Ordinal))}.");
}
