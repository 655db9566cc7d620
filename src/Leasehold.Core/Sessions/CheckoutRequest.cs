namespace Leasehold.Core.Sessions;

/// <summary>A client's request for a session.</summary>
/// <param name="SessionId">The id the new session gets if admitted (chosen by the caller, so the decision stays pure).</param>
public sealed record CheckoutRequest(string SessionId, string User, string Device, string Client, string? IdempotencyKey = null)
{
    /// <summary>The connection the user signs in through (its id), if any.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>The e-mail the user signs in with; decides who may share a connection.</summary>
    public string? Email { get; init; }

    /// <summary>Whether the user signed in through single sign-on.</summary>
    public bool Sso { get; init; }

    /// <summary>Borrow the seat until then (off the network, no heartbeats); null for an ordinary checkout.</summary>
    public DateTimeOffset? BorrowUntil { get; init; }

    /// <summary>The hash of the secret the new session's holder will prove itself with (made by the caller, so the decision stays pure).</summary>
    public string? TokenHash { get; init; }

    /// <summary>
    /// The waiting-line entry whose offer this checkout takes (the seat held for it); null for an ordinary checkout,
    /// which must not take a seat an entry still waiting could use.
    /// </summary>
    public string? WaitId { get; init; }
}

/// <summary>A pass/fail check request: holds nothing.</summary>
public sealed record CheckRequest(string User, string Client);
