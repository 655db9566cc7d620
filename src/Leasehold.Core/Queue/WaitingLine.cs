using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;

namespace Leasehold.Core.Queue;

/// <summary>A checkout's wish to wait: the entry's id (chosen by the caller, so the decision stays pure) and how long it may wait.</summary>
public sealed record WaitRequest(string EntryId, TimeSpan UpTo)
{
    /// <summary>The hash of the secret the entry's client will prove itself with (made by the caller).</summary>
    public string? TokenHash { get; init; }
}

/// <summary>How fast the license's seats turn over: <paramref name="Ends"/> sessions holding seats ended in the last <paramref name="Over"/>.</summary>
public sealed record SeatTurnover(int Ends, TimeSpan Over);

/// <summary>The line of one license after a walk: what changed, and the line as it is now.</summary>
/// <param name="Open">The open entries (waiting or offered) in line order.</param>
/// <param name="Changed">Entries this walk ended or offered a seat, as they are now.</param>
/// <param name="Events">What happened to them.</param>
public sealed record LineState(IReadOnlyList<WaitEntry> Open, IReadOnlyList<WaitEntry> Changed, IReadOnlyList<WaitEvent> Events)
{
    internal LinePools? Pools { get; init; }

    /// <summary>The seats held by offers, as sessions the seat count counts.</summary>
    public IEnumerable<Session> HeldSeats => Open.Where(e => e.State == WaitState.Offered).Select(e => e.AsHeldSeat());

    /// <summary>Whether a checkout that is not an entry's may take a seat now: it fits, and no entry still waiting could use that seat (true with no line).</summary>
    public bool Admits(string user, string? seatKey, int seats) => Pools?.Admits(user, seatKey, seats) ?? true;

    public int PositionOf(WaitEntry entry) => WaitingLine.PositionOf(Open, entry);

    /// <summary><paramref name="changes"/> with the entries this walk changed and their events (the same changes when it changed none).</summary>
    public Changes Into(Changes changes) => Changed.Count == 0 ? changes : changes with { Waits = Changed, WaitEvents = Events };

    /// <summary>The entries this walk offered a seat (whose clients are told at once).</summary>
    public IEnumerable<WaitEntry> Offers => Changed.Where(e => e.State == WaitState.Offered);

    /// <summary>The entries this walk ended (lapsed, expired, timed out).</summary>
    public IEnumerable<WaitEntry> Ends => Changed.Where(e => e.State == WaitState.Ended);
}

/// <summary>What a checkout that may wait answers.</summary>
public abstract record WaitCheckoutResult
{
    private WaitCheckoutResult() { }

    /// <summary>A seat was free (and nobody earlier in the line could use it): a session at once.</summary>
    public sealed record Admitted(CheckoutResult.Admitted Checkout) : WaitCheckoutResult;

    /// <summary>In the line at <paramref name="Position"/> (1: next), with an estimate of the wait when the license's turnover gives one.</summary>
    public sealed record Joined(WaitEntry Entry, int Position, TimeSpan? EstimatedWait, bool Replayed) : WaitCheckoutResult;

    /// <summary>Refused: by the license's rules (as a checkout), or because it may not wait (<c>waiting_not_allowed</c>, <c>waiting_line_full</c>).</summary>
    public sealed record Denied(CheckoutResult.Denied Checkout) : WaitCheckoutResult;

    /// <summary>The request itself is wrong.</summary>
    public sealed record Rejected(RequestError Error) : WaitCheckoutResult;
}

/// <summary>Where an entry stands, answered to its client's heartbeat (its poll) or leaving.</summary>
public abstract record WaitAnswer
{
    private WaitAnswer() { }

    public sealed record Waiting(WaitEntry Entry, int Position, TimeSpan? EstimatedWait) : WaitAnswer;

    /// <summary>A seat is held for it until <see cref="WaitEntry.OfferExpiresAt"/>: take it with a checkout that names the entry.</summary>
    public sealed record Offered(WaitEntry Entry) : WaitAnswer
    {
        /// <summary>Its place in line (1 + the open entries that joined before it).</summary>
        public int Position { get; init; }
    }

    public sealed record Ended(WaitEntry Entry) : WaitAnswer;

    public sealed record NotFound : WaitAnswer;
}

/// <summary>
/// The waiting line's rules (docs/waiting-line.md): pure functions of the license's ledger (its live sessions, policy and
/// open entries) and the time, in the style of <see cref="SeatDecision"/>. Every decision on a license starts with
/// <see cref="Walk"/>: entries whose time ran out end, and seats that are free are offered down the line.
/// </summary>
public static class WaitingLine
{
    private static readonly LineState Empty = new([], [], []);

    /// <summary>
    /// The line at <paramref name="now"/> over the <paramref name="live"/> sessions: due entries end (offers lapse,
    /// entries that stopped heart-beating expire, waits run out); then, in join order, each waiting entry that fits
    /// the seats free in the pool it waits for (counting the seats offers hold) is offered one, and each that does not
    /// claims that pool, so nobody behind it takes a seat it waits for. A reserved-group member waits for its group's
    /// seats; a general seat goes to the first non-member who fits, and to members (overflowing, in join order) only
    /// while no non-member waits for it. So a later entry passes an earlier one only when the earlier one does not wait
    /// for that seat: another group's seat, or a general seat a member ahead would only have overflowed into.
    /// </summary>
    public static LineState Walk(LicenseLedger ledger, IReadOnlyCollection<Session> live, DateTimeOffset now)
    {
        if (ledger.Line.Count == 0)
            return Empty; // no line: nothing to walk, nobody to pass (the hot path of every license without one)
        var policy = ledger.License.Policy;
        var seats = ledger.OnlineSeats(now);

        var changed = new List<WaitEntry>();
        var events = new List<WaitEvent>();
        var open = new List<WaitEntry>();
        foreach (var entry in ledger.Line.Where(e => e.IsOpen).OrderBy(e => e.Sequence))
        {
            if (entry.DueEnd(now) is { } due)
            {
                var ended = entry.End(due.Reason, due.At);
                changed.Add(ended);
                events.Add(WaitEvent.Of(ended, WaitEvent.KindOf(due.Reason), due.At));
            }
            else
            {
                open.Add(entry);
            }
        }

        var pools = new LinePools(policy, seats, live.Concat(open.Where(e => e.State == WaitState.Offered).Select(e => e.AsHeldSeat())));
        void Offer(int i)
        {
            var offered = open[i] with { State = WaitState.Offered, OfferedAt = now, OfferExpiresAt = now + policy.WaitingLine.OfferHold };
            open[i] = offered;
            pools.Hold(offered.AsHeldSeat());
            changed.Add(offered);
            events.Add(WaitEvent.Of(offered, WaitEventKind.Offered, now));
        }

        // First pass, in join order: each entry from the pool it waits for (a member: its group's seats; anyone else:
        // the general pool). One that does not fit claims that pool, so nobody behind it takes a seat of it.
        for (var i = 0; i < open.Count && !pools.AllClaimed; i++)
        {
            if (open[i].State != WaitState.Waiting)
                continue;
            if (pools.FitsOwnPool(open[i].User, open[i].SeatKey, open[i].Seats))
                Offer(i);
            else
                pools.ClaimOwnPool(open[i].User);
        }

        // Second pass, when no non-member waits for the general pool: members still waiting overflow into it, in join
        // order, as a checkout of theirs would; the first that does not fit claims it.
        if (policy.Reservations.Count > 0)
        {
            for (var i = 0; i < open.Count && !pools.GeneralClaimed; i++)
            {
                if (open[i].State != WaitState.Waiting || policy.ReservationOf(open[i].User) is null)
                    continue;
                if (pools.FitsOverflowing(open[i].User, open[i].SeatKey, open[i].Seats))
                    Offer(i);
                else
                    pools.ClaimGeneral();
            }
        }
        pools.Settle(open.Where(e => e.State == WaitState.Waiting).Select(e => e.User));
        return new LineState(open, changed, events) { Pools = pools };
    }

    /// <summary>
    /// The line's own decision, for when a seat may have freed with no checkout to carry the walk: after a sign-off,
    /// a stop, the reaper's ends, a raise of seats, an offer's lapse (the reaper's pass over due entries). Holders past
    /// their deadline are ended as in any decision.
    /// </summary>
    public static Decided<LineState> Advance(LicenseLedger ledger, DateTimeOffset now)
    {
        var (live, ended) = SeatDecision.Sweep(ledger.Holders, now);
        var line = Walk(ledger, live, now);
        return new(line, line.Into(new Changes(ended, [.. ended.Select(s => UsageEvent.Ended(s))])));
    }

    /// <summary>
    /// Another decision on the license (a sign-off, an admin stop, a heartbeat, a license change) followed by the line's
    /// walk over what it leaves, merged into one set of changes: the seat a sign-off frees is offered in the sign-off's
    /// own transaction. <paramref name="ledger"/> is the one the decision was made on (its license as it is after the
    /// decision, for a change of seats); with no line it answers <paramref name="changes"/> untouched.
    /// </summary>
    public static Changes Following(LicenseLedger ledger, Changes changes, DateTimeOffset now)
    {
        if (ledger.Line.Count == 0)
            return changes;
        var written = changes.Sessions.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var holders = ledger.Holders.Select(h => written.GetValueOrDefault(h.Id) ?? h)
            .Concat(changes.Sessions.Where(s => !ledger.Holders.Any(h => h.Id == s.Id)))
            .Where(s => s.IsActive)
            .ToList();
        var waits = changes.Waits.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var line = ledger.Line.Select(e => waits.GetValueOrDefault(e.Id) ?? e).Concat(changes.Waits.Where(w => !ledger.Line.Any(e => e.Id == w.Id)));
        var advanced = Advance(ledger with { Holders = holders, Line = [.. line.Where(e => e.IsOpen)] }, now).Changes;
        foreach (var entry in advanced.Waits)
            waits[entry.Id] = entry;
        return changes with
        {
            Sessions = [.. changes.Sessions, .. advanced.Sessions.Where(s => !written.ContainsKey(s.Id))],
            Events = [.. changes.Events, .. advanced.Events],
            Waits = [.. waits.Values],
            WaitEvents = [.. changes.WaitEvents, .. advanced.WaitEvents],
        };
    }

    /// <summary>
    /// A checkout that may wait. Admitted at once when a seat is free that nobody earlier in the line could use
    /// (<see cref="SeatDecision.Checkout"/>, which keeps the line); refused as a checkout is for any reason waiting
    /// cannot cure (dates, cool-downs, connections, an unknown client); otherwise it joins the line at its end, unless
    /// its client type may not wait (<c>waiting_not_allowed</c>) or the line is full (<c>waiting_line_full</c>).
    /// A retry with the same idempotency key answers the entry it made.
    /// </summary>
    public static Decided<WaitCheckoutResult> Checkout(LicenseLedger ledger, CheckoutRequest request, WaitRequest wait, DateTimeOffset now)
    {
        var policy = ledger.License.Policy;
        var (live, _) = SeatDecision.Sweep(ledger.Holders, now);
        if (ledger.Replay is null && request.IdempotencyKey is { } key
            && (ledger.WaitReplay ?? ledger.Line.FirstOrDefault(e => e.Request.IdempotencyKey == key)) is { } earlier)
        {
            // A retry: the entry the first request made, where it stands now (position 0 once it ended), never a second one.
            if (!SameCheckout(earlier, request, policy))
            {
                return new(new WaitCheckoutResult.Rejected(new RequestError(Codes.IdempotencyKeyReused, "Idempotency-Key",
                    "This Idempotency-Key was already used for a different checkout. Use a new key for each new session.")), Changes.None);
            }
            var advanced = Advance(ledger, now);
            var current = advanced.Result.Open.FirstOrDefault(e => e.Id == earlier.Id)
                ?? advanced.Result.Changed.FirstOrDefault(e => e.Id == earlier.Id)
                ?? earlier;
            var place = current.IsOpen ? advanced.Result.PositionOf(current) : 0;
            return new(new WaitCheckoutResult.Joined(current, place, current.IsOpen ? Estimate(place, ledger.Turnover) : null, Replayed: true),
                advanced.Changes);
        }

        var decided = SeatDecision.Checkout(ledger, request with { WaitId = null }, now);
        switch (decided.Result)
        {
            case CheckoutResult.Admitted admitted:
                return new(new WaitCheckoutResult.Admitted(admitted), decided.Changes);
            case CheckoutResult.Rejected rejected:
                return new(new WaitCheckoutResult.Rejected(rejected.Error), decided.Changes);
        }

        var denied = (CheckoutResult.Denied)decided.Result;
        var type = policy.ResolveClientType(request.Client)!;
        // Only a refusal for want of a seat is cured by waiting; a borrow does not wait (its period is fixed when asked).
        if (denied.Code != type.DenialCode || wait.UpTo <= TimeSpan.Zero || request.BorrowUntil is not null)
            return new(new WaitCheckoutResult.Denied(denied), decided.Changes);
        if (!policy.MayWait(type))
        {
            return new(new WaitCheckoutResult.Denied(denied with
            {
                Code = Codes.WaitingNotAllowed,
                Message = type.MessageFor(Codes.WaitingNotAllowed, $"{denied.Message} Waiting for a seat is not offered on this license."),
            }), decided.Changes);
        }

        var line = Walk(ledger, live, now);
        if (line.Open.Count >= policy.WaitingLine.MaxLength)
        {
            return new(new WaitCheckoutResult.Denied(denied with
            {
                Code = Codes.WaitingLineFull,
                Message = type.MessageFor(Codes.WaitingLineFull, $"{denied.Message} The waiting line is full ({policy.WaitingLine.MaxLength} waiting)."),
            }), decided.Changes);
        }

        var upTo = wait.UpTo < policy.WaitingLine.MaxWait ? wait.UpTo : policy.WaitingLine.MaxWait;
        var entry = new WaitEntry
        {
            Id = wait.EntryId,
            TenantId = ledger.License.TenantId,
            LicenseId = ledger.License.Id,
            Request = request with { WaitId = null },
            Client = type.Name,
            SeatKey = SeatDecision.SeatKeyFor(policy.SeatKey, request),
            Seats = type.SeatsHeld,
            Sequence = ledger.Line.Select(e => e.Sequence).DefaultIfEmpty(0).Max() + 1,
            JoinedAt = now,
            LastHeartbeatAt = now,
            Ttl = type.Ttl,
            WaitUntil = now + upTo,
            TokenHash = wait.TokenHash,
        };
        var position = line.Open.Count + 1;
        var changes = decided.Changes with
        {
            // Not a refusal: the checkout waits. Its record is the entry's joined event.
            Events = [.. decided.Changes.Events.Where(e => e.Kind != UsageKind.Denied)],
            Waits = [.. decided.Changes.Waits, entry],
            WaitEvents = [.. decided.Changes.WaitEvents, WaitEvent.Of(entry, WaitEventKind.Joined, now) with { Position = position }],
        };
        return new(new WaitCheckoutResult.Joined(entry, position, Estimate(position, ledger.Turnover), Replayed: false), changes);
    }

    /// <summary>An entry's heartbeat (its client's poll): it stays in line, and learns where it stands.</summary>
    public static Decided<WaitAnswer> Heartbeat(LicenseLedger ledger, string entryId, DateTimeOffset now) =>
        Touch(ledger, entryId, now, leave: false);

    /// <summary>The client leaves the line (gave up, closed); a seat held for it passes on at once.</summary>
    public static Decided<WaitAnswer> Leave(LicenseLedger ledger, string entryId, DateTimeOffset now) =>
        Touch(ledger, entryId, now, leave: true);

    private static Decided<WaitAnswer> Touch(LicenseLedger ledger, string entryId, DateTimeOffset now, bool leave)
    {
        var entry = ledger.Line.FirstOrDefault(e => e.Id == entryId);
        if (entry is null)
            return new(new WaitAnswer.NotFound(), Changes.None);
        if (!entry.IsOpen)
            return new(new WaitAnswer.Ended(entry), Changes.None);

        var (live, ended) = SeatDecision.Sweep(ledger.Holders, now);
        WaitEntry? left = null;
        if (leave && entry.DueEnd(now) is null)
        {
            left = entry.End(WaitEnd.Left, now);
            ledger = ledger with { Line = [.. ledger.Line.Where(e => e.Id != entryId)] };
        }
        else if (!leave && entry.DueEnd(now) is null)
        {
            ledger = ledger with { Line = [.. ledger.Line.Select(e => e.Id == entryId ? e with { LastHeartbeatAt = now } : e)] };
        }

        var line = Walk(ledger, live, now);
        var waits = line.Changed.ToList();
        var waitEvents = line.Events.ToList();
        WaitAnswer answer;
        if (left is not null)
        {
            waits.Add(left);
            waitEvents.Add(WaitEvent.Of(left, WaitEventKind.Left, now));
            answer = new WaitAnswer.Ended(left);
        }
        else if (line.Open.FirstOrDefault(e => e.Id == entryId) is { } current)
        {
            if (!waits.Exists(e => e.Id == entryId))
                waits.Add(current); // its heartbeat
            answer = current.State == WaitState.Offered
                ? new WaitAnswer.Offered(current) { Position = line.PositionOf(current) }
                : new WaitAnswer.Waiting(current, line.PositionOf(current), Estimate(line.PositionOf(current), ledger.Turnover));
        }
        else
        {
            answer = new WaitAnswer.Ended(line.Changed.First(e => e.Id == entryId));
        }
        var changes = new Changes(ended, [.. ended.Select(s => UsageEvent.Ended(s))]) { Waits = waits, WaitEvents = waitEvents };
        return new(answer, changes);
    }

    private static bool SameCheckout(WaitEntry entry, CheckoutRequest request, LicensePolicy policy) =>
        entry.Request.User == request.User
        && entry.Request.Device == request.Device
        && string.Equals(entry.Client, policy.ResolveClientType(request.Client)?.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>An entry's place in line: 1 + the open entries that joined before it.</summary>
    public static int PositionOf(IReadOnlyList<WaitEntry> open, WaitEntry entry) => open.Count(e => e.Sequence < entry.Sequence) + 1;

    /// <summary>
    /// The expected wait at <paramref name="position"/>: the time the license's recent turnover takes to free that many
    /// seats (position × period ÷ ends); null when nothing ended lately, so there is no rate to go by.
    /// </summary>
    public static TimeSpan? Estimate(int position, SeatTurnover? turnover)
    {
        if (turnover is not { Ends: > 0 } rate || position < 1)
            return null;
        var seconds = Math.Ceiling(rate.Over.TotalSeconds * position / rate.Ends);
        return TimeSpan.FromSeconds(seconds);
    }
}
