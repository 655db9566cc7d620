namespace Leasehold.Core.Sessions;

/// <summary>A request the rules cannot judge because it is itself wrong; it changes nothing.</summary>
/// <param name="Field">The request field at fault, as the client spells it.</param>
public sealed record RequestError(string Code, string Field, string Message);

/// <summary>What the seat decision answers to a checkout.</summary>
public abstract record CheckoutResult
{
    private CheckoutResult() { }

    /// <summary>The session is open. <paramref name="Replayed"/> is true when an earlier request with the same idempotency key created it.</summary>
    public sealed record Admitted(Session Session, bool Replayed, int SeatsInUse, int Seats) : CheckoutResult
    {
        /// <summary>What the application shows on its home screen (over the limit, license ending, ...).</summary>
        public IReadOnlyList<Warning> Warnings { get; init; } = [];

        /// <summary>The session this one took over on a shared connection (now ended as <c>taken_over</c>), if any.</summary>
        public Session? TookOver { get; init; }
    }

    /// <summary>Refused by the license's rules, with the client type's own code and text.</summary>
    public sealed record Denied(string Code, string Message, int SeatsInUse, int Seats) : CheckoutResult
    {
        /// <summary>For a refusal outside the access window: when it opens (with the tenant's UTC offset).</summary>
        public DateTimeOffset? OpensAt { get; init; }

        /// <summary>For a refusal of a user an admin stopped (<c>stopped_recently</c>): when the cool-down ends.</summary>
        public DateTimeOffset? Until { get; init; }
    }

    /// <summary>The request itself is wrong (unknown client type, reused idempotency key): nothing was decided.</summary>
    public sealed record Rejected(RequestError Error) : CheckoutResult;
}

/// <summary>What a pass/fail check answers.</summary>
public abstract record CheckResult
{
    private CheckResult() { }

    /// <summary>The check ran: <paramref name="Pass"/> says whether the client may go on.</summary>
    public sealed record Answered(bool Pass, string Code, string Message, int SeatsInUse, int Seats) : CheckResult
    {
        public IReadOnlyList<Warning> Warnings { get; init; } = [];
    }

    /// <summary>The request itself is wrong (unknown client type): nothing was checked.</summary>
    public sealed record Rejected(RequestError Error) : CheckResult;
}
