using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client;

/// <summary>
/// What a licensed application calls: check out a seat (a <see cref="Lease"/> that heartbeats by
/// itself until disposed) and pass/fail checks. Thread-safe; make one per server and key.
/// </summary>
public sealed class LeaseholdClient : IDisposable
{
    private readonly ApiConnection _api;

    /// <summary>A client with its own <see cref="HttpClient"/>.</summary>
    public LeaseholdClient(LeaseholdClientOptions options) => _api = ApiConnection.Create(options);

    /// <summary>
    /// A client over a given <see cref="HttpClient"/> (from IHttpClientFactory, say), which it does
    /// not dispose. Its own <c>Timeout</c> should be infinite: the client times each request itself,
    /// and the events stream lives long.
    /// </summary>
    public LeaseholdClient(HttpClient http, LeaseholdClientOptions options) => _api = ApiConnection.Over(http, options);

    public LeaseholdClientOptions Options => _api.Options;

    /// <summary>Checks out a seat for <paramref name="user"/> on <paramref name="device"/> with the options' license and client type.</summary>
    public Task<Lease> CheckoutAsync(string user, string device, CancellationToken ct = default) =>
        CheckoutAsync(new CheckoutRequest { User = user, Device = device }, ct);

    /// <summary>
    /// Checks out a seat. Transient failures are retried (for <see cref="LeaseholdClientOptions.RetryFor"/>)
    /// with one idempotency key, so however often it retries it holds at most one seat.
    /// </summary>
    /// <exception cref="SeatDeniedException">No seat, or the license's rules refuse: show <see cref="SeatDeniedException.UserMessage"/>.</exception>
    /// <exception cref="LeaseholdException">Anything else the server refused, or it stayed unreachable.</exception>
    public async Task<Lease> CheckoutAsync(CheckoutRequest request, CancellationToken ct = default)
    {
        var (session, token) = await OpenSessionAsync(request, borrowUntil: null, ct).ConfigureAwait(false);
        return Lease.Start(_api, session, token, SynchronizationContext.Current);
    }

    /// <summary>The session a checkout opened, and its token (kept by the lease, never handed to the application).</summary>
    private async Task<(SessionInfo Session, string? Token)> OpenSessionAsync(CheckoutRequest request, DateTimeOffset? borrowUntil, CancellationToken ct)
    {
        var key = request.IdempotencyKey ?? Guid.NewGuid().ToString("N");
        var body = new
        {
            licenseId = request.LicenseId ?? Options.LicenseId ?? throw new ArgumentException("Name a license in the request or in LeaseholdClientOptions.LicenseId.", nameof(request)),
            user = request.User,
            device = request.Device,
            client = request.Client ?? Options.ClientType,
            connection = request.Connection,
            email = request.Email,
            sso = request.Sso,
            borrowUntil,
        };
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = key };
        var text = await Backoff.RetryAsync(Options, attempt => _api.SendForTextAsync(HttpMethod.Post, "v1/sessions", body, attempt, headers), ct)
            .ConfigureAwait(false);
        using var answer = JsonDocument.Parse(text);
        var token = answer.RootElement.TryGetProperty("sessionToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return (answer.RootElement.Deserialize<SessionInfo>(ApiConnection.Json)!, token);
    }

    /// <summary>Pass/fail: is a seat free for <paramref name="user"/>? Holds nothing.</summary>
    public Task<CheckResult> CheckAsync(string user, string? client = null, string? licenseId = null, CancellationToken ct = default)
    {
        var body = new
        {
            licenseId = licenseId ?? Options.LicenseId ?? throw new ArgumentException("Name a license or set LeaseholdClientOptions.LicenseId.", nameof(licenseId)),
            user,
            client = client ?? Options.ClientType,
        };
        return Backoff.RetryAsync(Options, attempt => _api.SendAsync<CheckResult>(HttpMethod.Post, "v1/checks", body, attempt), ct);
    }

    /// <summary>Borrows a seat for <paramref name="user"/> on <paramref name="device"/> with the options' license and client type, until <paramref name="until"/>.</summary>
    public Task<BorrowedLease> BorrowAsync(string user, string device, DateTimeOffset until, CancellationToken ct = default) =>
        BorrowAsync(new CheckoutRequest { User = user, Device = device }, until, ct);

    /// <summary>
    /// Borrows a seat until <paramref name="until"/> (at most the client type's <c>borrowDays</c> ahead,
    /// by the server's clock): the server holds it without heartbeats, and the answer is a lease
    /// signed by the server together with its public keys. Keep both
    /// (<see cref="BorrowedLease.Token"/>, <see cref="BorrowedLease.IssuerKeys"/>) and check them with
    /// <see cref="BorrowedLease.Verify"/> at each start while off the network. Retried like a checkout,
    /// with one idempotency key. No lease is returned unless it verifies with the keys fetched.
    /// </summary>
    /// <exception cref="SeatDeniedException">No seat, or the license's rules refuse: show <see cref="SeatDeniedException.UserMessage"/>.</exception>
    /// <exception cref="LeaseholdException">Anything else the server refused (<c>borrow_not_allowed</c>, a period too long: <c>invalid_request</c> on <c>borrowUntil</c>), or it stayed unreachable.</exception>
    public async Task<BorrowedLease> BorrowAsync(CheckoutRequest request, DateTimeOffset until, CancellationToken ct = default)
    {
        var (session, token) = await OpenSessionAsync(request, until, ct).ConfigureAwait(false);
        try
        {
            var keys = await Backoff.RetryAsync(Options,
                attempt => _api.SendForTextAsync(HttpMethod.Get, BorrowedLease.KeysPath, null, attempt), ct).ConfigureAwait(false);
            return BorrowedLease.Verify(session.Lease ?? throw new BorrowedLeaseException(LeaseFault.Malformed, "The server answered without a lease."),
                keys, session.StartedAt);
        }
        catch
        {
            // No lease for the application, so no seat held for it either.
            await ReturnQuietlyAsync(session.Id, token).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Returns a borrowed seat early: the server frees it at once. True when it is returned (again
    /// true on a repeat, which is harmless); false when it had ended otherwise first (its time ran
    /// out). Forget the lease after.
    /// </summary>
    public async Task<bool> ReturnAsync(BorrowedLease lease, CancellationToken ct = default)
    {
        try
        {
            await Backoff.RetryAsync(Options,
                attempt => _api.SendForTextAsync(HttpMethod.Delete, $"v1/sessions/{Uri.EscapeDataString(lease.SessionId)}", null, attempt,
                    ApiConnection.SessionHeaders(lease.SessionToken)), ct)
                .ConfigureAwait(false);
            return true;
        }
        catch (SessionEndedException)
        {
            return false;
        }
    }

    private async Task ReturnQuietlyAsync(string sessionId, string? sessionToken)
    {
        try
        {
            await _api.SendForTextAsync(HttpMethod.Delete, $"v1/sessions/{Uri.EscapeDataString(sessionId)}", null, CancellationToken.None,
                ApiConnection.SessionHeaders(sessionToken)).ConfigureAwait(false);
        }
        catch (LeaseholdException)
        {
            // The seat frees itself when its borrowed time ends.
        }
    }

    /// <summary>Reads a session as the server sees it now.</summary>
    public Task<SessionInfo> GetSessionAsync(string sessionId, CancellationToken ct = default) =>
        _api.SendAsync<SessionInfo>(HttpMethod.Get, $"v1/sessions/{Uri.EscapeDataString(sessionId)}", null, ct);

    public void Dispose() => _api.Dispose();
}
