using System.Text.Json;
using Leasehold.Client.Http;
using Leasehold.Client.Waiting;

namespace Leasehold.Client;

/// <summary>Checkouts that may wait in the license's waiting line for a seat (docs/sdk.md, "Waiting for a seat").</summary>
public sealed partial class LeaseholdClient
{
    /// <summary>The longest wait a checkout may ask for (the server's limit for <c>waitSeconds</c>): one day.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    /// <summary>
    /// Checks out a seat for <paramref name="user"/> on <paramref name="device"/> with the options' license and client type,
    /// waiting in line up to <paramref name="waitUpTo"/> when every seat is taken.
    /// </summary>
    /// <param name="user">The user the seat is for.</param>
    /// <param name="device">The machine they work on.</param>
    /// <param name="waitUpTo">How long the user is willing to wait (more than zero, at most <see cref="MaxWait"/>); the license may allow less.</param>
    /// <param name="progress">Told the place in line when it joins and at every change; null: not told.</param>
    /// <param name="ct">Cancels the wait: the place in line is left (best effort) and <see cref="OperationCanceledException"/> thrown.</param>
    /// <returns>The lease, heartbeating already, once a seat is the user's; dispose it to sign off.</returns>
    /// <exception cref="SeatDeniedException">No seat within the wait (<see cref="SeatDeniedException.WaitEnd"/> set: <c>timed_out</c>, ...), or the checkout may not wait (<c>waiting_not_allowed</c>, <c>waiting_line_full</c>), or the license's rules refuse.</exception>
    /// <exception cref="LeaseholdException">Anything else the server refused, or it stayed unreachable for <see cref="LeaseholdClientOptions.RetryFor"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="waitUpTo"/> is not more than zero, or more than <see cref="MaxWait"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled (the place in line was left).</exception>
    public Task<Lease> CheckoutAsync(string user, string device, TimeSpan waitUpTo, IProgress<QueuePosition>? progress = null, CancellationToken ct = default) =>
        CheckoutAsync(new CheckoutRequest { User = user, Device = device }, waitUpTo, progress, ct);

    /// <summary>
    /// Checks out a seat, waiting in the license's waiting line when every seat is taken: a seat free now is a lease at once,
    /// exactly as <see cref="CheckoutAsync(CheckoutRequest, CancellationToken)"/>. Otherwise the checkout joins the line
    /// (when the license's policy lets this client type wait), reports its place through <paramref name="progress"/>, listens
    /// on the place's push channel (heartbeats keep the place and poll when the channel is down), takes the seat the moment the
    /// server holds one for it, and returns the lease. Retried like a checkout, with one idempotency key: a retry answers the
    /// same place in line.
    /// </summary>
    /// <param name="request">Who, where, and optionally which license, client type, connection and idempotency key.</param>
    /// <param name="waitUpTo">
    /// How long the user is willing to wait (more than zero, at most <see cref="MaxWait"/>; sent in whole seconds, rounded up).
    /// The license's <c>maxWaitSeconds</c> may cut it: <see cref="QueuePosition.WaitUntil"/> says when the wait really ends.
    /// </param>
    /// <param name="progress">
    /// Told the place in line (<see cref="QueuePosition"/>) when the checkout joins, at every change the server pushes, and when
    /// a seat is held for it (<see cref="QueuePosition.Status"/> <c>offered</c>). Called from the SDK's background work:
    /// <see cref="Progress{T}"/> made on the UI thread brings it there. Not called when a seat is free at once.
    /// </param>
    /// <param name="ct">
    /// Cancels the wait: the place in line is left (<c>DELETE /v1/waits/{id}</c>, best effort, so a seat held for it passes on at once;
    /// a seat taken in that moment is signed off), then <see cref="OperationCanceledException"/> is thrown.
    /// </param>
    /// <returns>
    /// The lease, heartbeating already, its events raised on the synchronization context of this call. Dispose it to sign off.
    /// </returns>
    /// <exception cref="SeatDeniedException">
    /// No seat: the wait ended without one (<see cref="SeatDeniedException.WaitEnd"/> is the reason and the
    /// <see cref="LeaseholdException.Code"/>: <c>timed_out</c>, <c>offer_lapsed</c>, <c>left</c> (an admin removed it) or
    /// <c>expired</c>; status 410); the checkout may not wait (<c>waiting_not_allowed</c>, <c>waiting_line_full</c>, 409); or
    /// the license's rules refuse (as a checkout, 409). Show <see cref="SeatDeniedException.UserMessage"/>.
    /// </exception>
    /// <exception cref="LeaseholdException">Anything else the server refused, or it stayed unreachable for <see cref="LeaseholdClientOptions.RetryFor"/> at the checkout.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="waitUpTo"/> is not more than zero, or more than <see cref="MaxWait"/>.</exception>
    /// <exception cref="ArgumentException">Neither the request nor the options name a license.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled (the place in line was left).</exception>
    public async Task<Lease> CheckoutAsync(CheckoutRequest request, TimeSpan waitUpTo, IProgress<QueuePosition>? progress = null,
        CancellationToken ct = default)
    {
        if (waitUpTo <= TimeSpan.Zero || waitUpTo > MaxWait)
            throw new ArgumentOutOfRangeException(nameof(waitUpTo), waitUpTo, "Wait more than zero and at most a day (LeaseholdClient.MaxWait).");
        var context = SynchronizationContext.Current;
        var waitSeconds = (int)Math.Ceiling(waitUpTo.TotalSeconds);
        var (status, text) = await PostCheckoutAsync(request, borrowUntil: null, waitSeconds, ct).ConfigureAwait(false);
        var (session, token) = status == 202
            ? await WaitingCheckout.FollowAsync(_api, JsonSerializer.Deserialize<WaitInfo>(text, ApiConnection.Json)!, progress, ct).ConfigureAwait(false)
            : ReadSession(text);
        return Lease.Start(_api, _heartbeats, session, token, context);
    }
}
