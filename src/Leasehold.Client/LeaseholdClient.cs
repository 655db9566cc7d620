using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client;

/// <summary>
/// What a licensed application calls: check out a seat (a <see cref="Lease"/> that heartbeats by
/// itself until disposed) and pass/fail checks. Thread-safe; make one per server and key.
/// </summary>
public sealed partial class LeaseholdClient : IDisposable
{
    private readonly ApiConnection _api;
    /// <summary>Sends the heartbeats of all the client's live leases: those due together in one batched request.</summary>
    private readonly HeartbeatScheduler _heartbeats;

    /// <summary>A client with its own <see cref="HttpClient"/>, disposed with it.</summary>
    /// <param name="options">The server, the key and how leases behave; kept, not copied.</param>
    /// <exception cref="InvalidOperationException"><see cref="LeaseholdClientOptions.ServerUrl"/> or <see cref="LeaseholdClientOptions.ApiKey"/> is missing.</exception>
    public LeaseholdClient(LeaseholdClientOptions options)
    {
        _api = ApiConnection.Create(options);
        _heartbeats = new HeartbeatScheduler(_api);
    }

    /// <summary>
    /// A client over a given <see cref="HttpClient"/> (from IHttpClientFactory, say), which it does
    /// not dispose. Its own <c>Timeout</c> should be infinite: the client times each request itself,
    /// and the events stream lives long.
    /// </summary>
    /// <param name="http">The client to send with; its <c>BaseAddress</c> is not used (<see cref="LeaseholdClientOptions.ServerUrl"/> is).</param>
    /// <param name="options">The server, the key and how leases behave; kept, not copied.</param>
    /// <exception cref="InvalidOperationException"><see cref="LeaseholdClientOptions.ServerUrl"/> or <see cref="LeaseholdClientOptions.ApiKey"/> is missing.</exception>
    public LeaseholdClient(HttpClient http, LeaseholdClientOptions options)
    {
        _api = ApiConnection.Over(http, options);
        _heartbeats = new HeartbeatScheduler(_api);
    }

    /// <summary>The options the client was made with (validated: <see cref="LeaseholdClientOptions.ServerUrl"/> and <see cref="LeaseholdClientOptions.ApiKey"/> are set). Change them before the first call, not after.</summary>
    public LeaseholdClientOptions Options => _api.Options;

    /// <summary>Checks out a seat for <paramref name="user"/> on <paramref name="device"/> with the options' license and client type.</summary>
    /// <param name="user">The user the seat is for.</param>
    /// <param name="device">The machine they work on.</param>
    /// <param name="ct">Cancels the checkout and its retries (a seat the server already gave is freed at its TTL).</param>
    /// <returns>The lease, heartbeating already; dispose it to sign off.</returns>
    /// <exception cref="SeatDeniedException">No seat, or the license's rules refuse: show <see cref="SeatDeniedException.UserMessage"/>.</exception>
    /// <exception cref="LeaseholdException">Anything else the server refused, or it stayed unreachable for <see cref="LeaseholdClientOptions.RetryFor"/>.</exception>
    public Task<Lease> CheckoutAsync(string user, string device, CancellationToken ct = default) =>
        CheckoutAsync(new CheckoutRequest { User = user, Device = device }, ct);

    /// <summary>
    /// Checks out a seat. Transient failures are retried (for <see cref="LeaseholdClientOptions.RetryFor"/>)
    /// with one idempotency key, so however often it retries it holds at most one seat.
    /// </summary>
    /// <param name="request">Who, where, and optionally which license, client type, connection and idempotency key.</param>
    /// <param name="ct">Cancels the checkout and its retries (a seat the server already gave is freed at its TTL).</param>
    /// <returns>
    /// The lease, heartbeating already; its events are raised on the synchronization context of this call.
    /// Dispose it to sign off.
    /// </returns>
    /// <exception cref="SeatDeniedException">No seat, or the license's rules refuse: show <see cref="SeatDeniedException.UserMessage"/>.</exception>
    /// <exception cref="LeaseholdException">Anything else the server refused (e.g. 400 <c>unknown_client_type</c> on <c>client</c>), or it stayed unreachable for <see cref="LeaseholdClientOptions.RetryFor"/>.</exception>
    /// <exception cref="ArgumentException">Neither the request nor the options name a license.</exception>
    public async Task<Lease> CheckoutAsync(CheckoutRequest request, CancellationToken ct = default)
    {
        var context = SynchronizationContext.Current; // the caller's, read before the first await (its continuation runs elsewhere)
        var (session, token) = await OpenSessionAsync(request, borrowUntil: null, ct).ConfigureAwait(false);
        return Lease.Start(_api, _heartbeats, session, token, context);
    }

    /// <summary>The session a checkout opened, and its token (kept by the lease, never handed to the application).</summary>
    private async Task<(SessionInfo Session, string? Token)> OpenSessionAsync(CheckoutRequest request, DateTimeOffset? borrowUntil, CancellationToken ct) =>
        ReadSession((await PostCheckoutAsync(request, borrowUntil, waitSeconds: null, ct).ConfigureAwait(false)).Text);

    /// <summary>A checkout's session and its token, read from the answer (<c>201</c>, of a checkout or of taking a seat held in line).</summary>
    internal static (SessionInfo Session, string? Token) ReadSession(string text)
    {
        using var answer = JsonDocument.Parse(text);
        var token = answer.RootElement.TryGetProperty("sessionToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return (answer.RootElement.Deserialize<SessionInfo>(ApiConnection.Json)!, token);
    }

    /// <summary>
    /// A checkout, retried with one idempotency key: <c>POST /v1/sessions</c>, or with <paramref name="waitSeconds"/> <c>POST /v1/waits</c>
    /// (a checkout that may wait). The answer's status (201 a session, 202 a place in line) and text.
    /// </summary>
    private Task<(int Status, string Text)> PostCheckoutAsync(CheckoutRequest request, DateTimeOffset? borrowUntil, int? waitSeconds, CancellationToken ct)
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
            waitSeconds,
        };
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = key };
        var path = waitSeconds is null ? "v1/sessions" : "v1/waits";
        return Backoff.RetryAsync(Options, attempt => _api.SendForAnswerAsync(HttpMethod.Post, path, body, attempt, headers), ct);
    }

    /// <summary>Pass/fail: is a seat free for <paramref name="user"/>? Holds nothing; transient failures are retried for <see cref="LeaseholdClientOptions.RetryFor"/>.</summary>
    /// <param name="user">The user to check for (named seats and cool-downs are per user).</param>
    /// <param name="client">The client type; null: <see cref="LeaseholdClientOptions.ClientType"/>.</param>
    /// <param name="licenseId">The license; null: <see cref="LeaseholdClientOptions.LicenseId"/>.</param>
    /// <param name="ct">Cancels the check and its retries.</param>
    /// <returns>The answer: <see cref="CheckResult.Pass"/>, else the code and the client type's message. A failed check is an answer, not an exception.</returns>
    /// <exception cref="LeaseholdException">The server refused the request itself (unknown license, wrong key), or stayed unreachable.</exception>
    /// <exception cref="ArgumentException">Neither the call nor the options name a license.</exception>
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
    /// <param name="user">The user the seat is for.</param>
    /// <param name="device">The machine that goes off the network.</param>
    /// <param name="until">Until when to hold the seat (at most the client type's <c>borrowDays</c> ahead, by the server's clock).</param>
    /// <param name="ct">Cancels the borrow and its retries.</param>
    /// <returns>The verified lease: keep <see cref="BorrowedLease.Token"/> and <see cref="BorrowedLease.IssuerKeys"/>.</returns>
    /// <exception cref="SeatDeniedException">No seat, or the license's rules refuse.</exception>
    /// <exception cref="LeaseholdException">Anything else the server refused (<c>borrow_not_allowed</c>, a period too long), or it stayed unreachable.</exception>
    /// <exception cref="BorrowedLeaseException">The server's answer did not verify with its published keys (the seat is returned).</exception>
    public Task<BorrowedLease> BorrowAsync(string user, string device, DateTimeOffset until, CancellationToken ct = default) =>
        BorrowAsync(new CheckoutRequest { User = user, Device = device }, until, ct);

    /// <summary>
    /// Borrows a seat until <paramref name="until"/> (at most the client type's <c>borrowDays</c> ahead,
    /// by the server's clock): the server holds it without heartbeats, and the answer is a lease
    /// signed by the server together with its public keys. Keep both
    /// (<see cref="BorrowedLease.Token"/>, <see cref="BorrowedLease.IssuerKeys"/>) and check them with
    /// <see cref="BorrowedLease.Verify(string, string, DateTimeOffset?)"/> at each start while off the network. Retried like a checkout,
    /// with one idempotency key. No lease is returned unless it verifies with the keys fetched.
    /// </summary>
    /// <exception cref="SeatDeniedException">No seat, or the license's rules refuse: show <see cref="SeatDeniedException.UserMessage"/>.</exception>
    /// <param name="request">Who, where, and optionally which license and client type.</param>
    /// <param name="until">Until when to hold the seat.</param>
    /// <param name="ct">Cancels the borrow and its retries.</param>
    /// <exception cref="LeaseholdException">Anything else the server refused (<c>borrow_not_allowed</c>, a period too long: <c>invalid_request</c> on <c>borrowUntil</c>), or it stayed unreachable.</exception>
    /// <exception cref="BorrowedLeaseException">The server's answer did not verify with its published keys (the seat is returned).</exception>
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
    /// <param name="lease">The borrowed lease (it carries the session's token, so one read back from a file works).</param>
    /// <param name="ct">Cancels the return and its retries.</param>
    /// <exception cref="LeaseholdException">The server refused (e.g. 403 with another key's session) or stayed unreachable for <see cref="LeaseholdClientOptions.RetryFor"/>.</exception>
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

    /// <summary>Reads a session as the server sees it now (whoever's it is, with a key that may see it).</summary>
    /// <param name="sessionId">The session's id.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">404 <c>not_found</c> for an unknown session, or the server did not answer within <see cref="LeaseholdClientOptions.RequestTimeout"/>.</exception>
    public Task<SessionInfo> GetSessionAsync(string sessionId, CancellationToken ct = default) =>
        _api.SendAsync<SessionInfo>(HttpMethod.Get, $"v1/sessions/{Uri.EscapeDataString(sessionId)}", null, ct);

    /// <summary>Disposes the client's own <see cref="HttpClient"/> (not one it was given). Dispose its leases first: a lease's sign-off needs the client.</summary>
    public void Dispose() => _api.Dispose();
}
