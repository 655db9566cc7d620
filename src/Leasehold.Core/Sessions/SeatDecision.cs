using System.Globalization;
using Leasehold.Core.Access;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Queue;
using Leasehold.Core.Usage;

namespace Leasehold.Core.Sessions;

/// <summary>
/// The seat decision: a pure function of (license policy, current holders, request, now).
/// It never reads a clock or a database; storage hands it a consistent <see cref="LicenseLedger"/>
/// and writes the <see cref="Changes"/> it returns atomically.
/// </summary>
public static partial class SeatDecision
{
    public static Decided<CheckoutResult> Checkout(LicenseLedger ledger, CheckoutRequest request, DateTimeOffset now)
    {
        var license = ledger.License;
        var policy = license.Policy;
        if (ledger.Replay is { } earlier)
            return new(Replay(license, earlier, request, Sweep(ledger.Holders, now).Live), Changes.None);

        var type = policy.ResolveClientType(request.Client);
        if (type is null)
            return new(new CheckoutResult.Rejected(UnknownClientType(policy, request.Client)), Changes.None);
        if (policy.Connections.Required && request.ConnectionId is null)
        {
            return new(new CheckoutResult.Rejected(new RequestError(Codes.ConnectionRequired, "connection",
                "This license is used through a connection: name the connection you sign in with.")), Changes.None);
        }

        if (request.ConnectionId is not null && ledger.Connection is null)
        {
            return new(new CheckoutResult.Rejected(new RequestError(Codes.NotFound, "connection",
                "No connection with that id exists in this tenant.")), Changes.None);
        }

        DateTimeOffset? borrowedUntil = null;
        if (request.BorrowUntil is { } borrowUntil)
        {
            if (Borrowing.Refusal(type, borrowUntil, now) is { } refused)
                return new(new CheckoutResult.Rejected(refused), Changes.None);
            borrowedUntil = Borrowing.End(borrowUntil, license);
        }

        var (live, ended) = Sweep(ledger.Holders, now);
        var seats = ledger.OnlineSeats(now);
        var events = ended.Select(s => UsageEvent.Ended(s)).ToList();
        // The waiting line first: entries whose time ran out end, and seats free are offered down the line before anyone new is judged.
        var line = WaitingLine.Walk(ledger, live, now);
        var seatKey = SeatKeyFor(policy.SeatKey, request);
        Decided<CheckoutResult> Deny(string code, string message, DateTimeOffset? opensAt = null, DateTimeOffset? until = null)
        {
            events.Add(new UsageEvent(license.TenantId, license.Id, null, now, UsageKind.Denied, code,
                request.User, request.Device, type.Name, type.SeatsHeld)
            {
                SeatKey = seatKey,
                SeatsInUse = SeatCount.InUse(live),
                SeatLimit = seats,
            });
            var denied = new CheckoutResult.Denied(code, type.MessageFor(code, message), SeatCount.InUse(live), seats) { OpensAt = opensAt, Until = until };
            return new(denied, line.Into(new Changes(ended, events)));
        }

        // Taking an offer: the seat held for the entry is its own, so it is not counted against it.
        WaitEntry? taking = null;
        if (request.WaitId is { } waitId)
        {
            // Only the entry's own checkout takes its seat (the server builds it from the entry).
            taking = line.Open.FirstOrDefault(e => e.Id == waitId && e.State == WaitState.Offered
                && e.Request.User == request.User && e.Request.SessionId == request.SessionId
                && string.Equals(e.Client, type.Name, StringComparison.OrdinalIgnoreCase));
            if (taking is null)
                return Deny(Codes.OfferNotHeld, "No seat is held for this place in the waiting line (any more): the offer lapsed, or the entry left or was never offered one.");
        }

        if (LicenseDateRefusal(license, now) is { } dated)
            return Deny(dated.Code, dated.Message);

        // An admin stopped this user a moment ago: the seat the stop freed is for someone else until the cool-down ends.
        if (CoolDowns.Refusal(ledger.CoolDowns, request.User, now) is { } coolingDown)
            return Deny(coolingDown.Code, coolingDown.Message, until: coolingDown.Until);

        // A sign-in through a connection: inside its window, taking it over from whoever is on it, and by its user or a sharer.
        var occupants = new List<Session>();
        DateTimeOffset? windowClosesAt = null;
        if (ledger.Connection is { } connection)
        {
            var access = AccessSchedule.Evaluate(connection.AccessPlan, ledger.TimeZone, now);
            if (ConnectionRules.OutsideWindow(connection, access, ledger.TimeZone) is { } closed)
                return Deny(closed.Code, closed.Message, closed.OpensAt);
            windowClosesAt = access.ClosesAt;
            occupants = live.Where(s => s.ConnectionId == connection.Id).ToList();
            foreach (var occupant in occupants)
            {
                if (ConnectionRules.RefuseTakeover(connection, occupant, request) is { } refused)
                    return Deny(refused.Code, refused.Message);
            }
            if (ConnectionRules.RefuseStranger(connection, request) is { } stranger)
                return Deny(stranger.Code, stranger.Message);
        }

        // Everyone but the connection's occupants, by id (a record's own equality would hash every field of every holder).
        IReadOnlyCollection<Session> pool = occupants.Count == 0 ? live : [.. live.Where(s => !occupants.Exists(o => o.Id == s.Id))];
        // Seats offers hold count as taken (the taker's own excepted).
        IReadOnlyCollection<Session> counted = line.Open.Count == 0 ? pool : [.. pool, .. line.HeldSeats.Where(h => h.Id != taking?.Id)];
        var named = type.Consumption != Consumption.None && policy.IsNamed(request.User);
        var admission = type.Consumption switch
        {
            Consumption.None => Admission.Within,
            _ when named => Admission.Within,
            Consumption.Check => SeatPool.Judge(policy, seats, counted, request.User, null, 1),
            _ => SeatPool.Judge(policy, seats, counted, request.User, seatKey, type.Weight),
        };
        // Nobody new passes the line: a seat an entry still waiting could use is not for a checkout that did not wait
        // (a takeover only passes its occupant's seat on, and a taken offer is the line's own turn).
        if (admission != Admission.Refused && !named && type.Consumption != Consumption.None && taking is null && occupants.Count == 0
            && line.Open.Count > 0
            && !line.Admits(request.User, type.Consumption == Consumption.Check ? null : seatKey, type.Consumption == Consumption.Check ? 1 : type.Weight))
            admission = Admission.Refused;
        if (admission == Admission.Refused)
            return Deny(type.DenialCode, type.DenialMessage);

        var session = new Session
        {
            Id = request.SessionId,
            TenantId = license.TenantId,
            LicenseId = license.Id,
            User = request.User,
            Device = request.Device,
            Client = type.Name,
            Consumption = type.Consumption,
            Seats = named ? 0 : type.SeatsHeld,
            SeatKey = seatKey,
            Ttl = type.Ttl,
            IdleTimeout = borrowedUntil is null ? type.IdleTimeout : null,
            StartedAt = now,
            LastHeartbeatAt = now,
            LastActivityAt = now,
            IdempotencyKey = request.IdempotencyKey,
            ConnectionId = ledger.Connection?.Id,
            Email = request.Email,
            Sso = request.Sso,
            Named = named,
            PolicyVersion = license.PolicyVersion,
            WindowClosesAt = windowClosesAt,
            EndsAtWindowClose = borrowedUntil is null && windowClosesAt is not null && policy.Connections.OnWindowClose == WindowCloseAction.End,
            LicenseEndsAt = license.RefusesFrom,
            BorrowedUntil = borrowedUntil,
            TokenHash = request.TokenHash,
        };

        var takenOver = occupants.Select(o => o.End(EndReason.TakenOver, now)).ToList();
        events.AddRange(takenOver.Select(s => UsageEvent.Ended(s, actor: session.Id)));
        var inUse = SeatCount.InUseWith(pool, session);
        events.Add(new UsageEvent(license.TenantId, license.Id, session.Id, now, UsageKind.Admitted,
            admission == Admission.OverLimit ? Codes.AdmittedOverLimit : Codes.Admitted,
            session.User, session.Device, session.Client, session.Seats)
        {
            SeatKey = session.SeatKey,
            SeatsInUse = inUse,
            SeatLimit = seats,
            BorrowedUntil = session.BorrowedUntil,
        });

        var warnings = LicenseWarnings.At(license, now).ToList();
        if (admission == Admission.OverLimit)
            warnings.Insert(0, new Warning(Codes.OverLimit, policy.Limit.WarningMessage));
        var admitted = new CheckoutResult.Admitted(session, Replayed: false, inUse, seats)
        {
            Warnings = warnings.Count > 0 ? warnings : Array.Empty<Warning>(),
            TookOver = takenOver.FirstOrDefault(),
        };
        var changes = line.Into(new Changes([.. ended, .. takenOver, session], events)
        {
            Handoffs = [.. takenOver.Select(o => new Handoff(o.Id, session.Id))],
            Claims = ledger.Connection is { User: null } unclaimed ? [new ConnectionClaim(unclaimed.Id, request.User, now)] : [],
        });
        if (taking is not null)
        {
            var granted = taking.End(WaitEnd.Granted, now) with { SessionId = session.Id };
            changes = changes with
            {
                Waits = [.. changes.Waits.Where(e => e.Id != granted.Id), granted],
                WaitEvents = [.. changes.WaitEvents, WaitEvent.Of(granted, WaitEventKind.Granted, now)],
            };
        }
        return new(admitted, changes);
    }

    /// <summary>Splits holders into those still live at <paramref name="now"/> and those whose end fell due (now ended).</summary>
    public static (IReadOnlyCollection<Session> Live, List<Session> Ended) Sweep(IEnumerable<Session> holders, DateTimeOffset now)
    {
        if (holders is HolderSet kept && !kept.AnyDue(now))
            return (kept, []); // nobody's end has come: the holders as they are, counted, without a copy
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
        SeatKey.Connection when request.ConnectionId is not null => "c:" + request.ConnectionId,
        _ => request.SessionId, // a session's own seat: its id (no copy of the id per live session; ids never look like the keys above)
    };

    /// <summary>A license before its start or past its end date plus grace refuses everyone.</summary>
    private static (string Code, string Message)? LicenseDateRefusal(License license, DateTimeOffset now)
    {
        if (license.StartsAt is { } starts && now < starts)
            return (Codes.LicenseNotStarted, $"This license starts on {starts.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.");
        if (license.RefusesFrom is { } refuses && now >= refuses)
        {
            return (Codes.LicenseExpired,
                $"This license ended on {license.EndsAt!.Value.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}. Ask your administrator to renew it.");
        }
        return null;
    }

    private static CheckoutResult Replay(License license, Session earlier, CheckoutRequest request, IReadOnlyCollection<Session> live)
    {
        var same = earlier.LicenseId == license.Id
            && earlier.User == request.User
            && earlier.Device == request.Device
            && string.Equals(earlier.Client, license.Policy.ResolveClientType(request.Client)?.Name, StringComparison.OrdinalIgnoreCase)
            && (earlier.BorrowedUntil is null) == (request.BorrowUntil is null);
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
