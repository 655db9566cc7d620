namespace Leasehold.Core.Sessions;

/// <summary>A client's request for a session.</summary>
/// <param name="SessionId">The id the new session gets if admitted (chosen by the caller, so the decision stays pure).</param>
public sealed record CheckoutRequest(string SessionId, string User, string Device, string Client, string? IdempotencyKey = null);

/// <summary>A pass/fail check request: holds nothing.</summary>
public sealed record CheckRequest(string User, string Client);
