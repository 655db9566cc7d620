using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Sessions;
using Leasehold.Server.Sessions.Signals;
using Leasehold.Server.Storage;
using Leasehold.Server.Telemetry;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Waits;

/// <summary>A checkout that may wait: the checkout's body and how long it may wait for a seat.</summary>
/// <param name="WaitSeconds">
/// Wait up to this long for a seat when none is free (1-86400): cut to the policy's <c>waitingLine.maxWaitSeconds</c>, not refused.
/// </param>
internal sealed record WaitingCheckoutBody(
    string? LicenseId,
    string? User,
    string? Device,
    string? Client,
    string? Connection = null,
    string? Email = null,
    bool? Sso = null,
    DateTimeOffset? BorrowUntil = null,
    [property: WholeNumber(1, 86400)] int? WaitSeconds = null)
    : CheckoutBody(LicenseId, User, Device, Client, Connection, Email, Sso, BorrowUntil);

internal static partial class WaitsApi
{
    /// <summary>
    /// <c>POST /v1/waits</c>: a checkout that may wait. A seat free (and nobody in line could use it): the session at once (201), as
    /// <c>POST /v1/sessions</c> answers. None: a place at the end of the license's waiting line (202, with its <c>waitToken</c>),
    /// when the policy keeps a line for this client type; refused otherwise (409 <c>waiting_not_allowed</c>, <c>waiting_line_full</c>,
    /// or the refusal waiting cannot cure). Its own operation, so that a plain checkout's answer stays one type for generated clients.
    /// </summary>
    public static async Task<Results<Created<SessionResponse>, Accepted<WaitResponse>, ProblemHttpResult>> CheckoutOrWait(
        WaitingCheckoutBody body,
        [FromHeader(Name = SessionsApi.IdempotencyHeader), IdempotencyKey] string? idempotencyKey,
        Caller caller,
        [AsParameters] SessionServices services,
        HttpResponse response,
        [AsParameters] BorrowServices borrowing,
        SeatActivity activity,
        SessionTokens tokens,
        LeaseholdMetrics metrics,
        CancellationToken ct)
    {
        using var measured = LeaseholdMetrics.Start(DecisionKind.Checkout, body.LicenseId);
        var now = services.Clock.Now();
        var request = SessionsApi.RequestOf(body, idempotencyKey, tokens, now);
        var waitId = Ids.Wait(now);
        var wait = new WaitRequest(waitId, TimeSpan.FromSeconds(body.WaitSeconds!.Value)) { TokenHash = SessionTokens.Hash(tokens.ForWait(waitId)) };
        var waited = await services.Decisions.DecideOnLicenseAsync(
            new LedgerQuery(body.LicenseId!, caller.TenantScope, idempotencyKey, body.Connection, Turnover: true),
            ledger => WaitingLine.Checkout(ledger, request, wait, now), ct);
        if (waited is WaitCheckoutResult.Joined joined)
        {
            metrics.Joined(measured, joined.Replayed);
            return await JoinedAsync(joined, caller, services, tokens, response, now, ct);
        }
        var result = waited switch
        {
            null => null,
            WaitCheckoutResult.Admitted admitted => admitted.Checkout,
            WaitCheckoutResult.Denied denied => denied.Checkout,
            WaitCheckoutResult.Rejected rejected => (CheckoutResult)new CheckoutResult.Rejected(rejected.Error),
            _ => throw new InvalidOperationException($"Unhandled waiting checkout result {waited.GetType().Name}."),
        };
        metrics.Checkout(measured, result);
        return (await SessionsApi.AnswerAsync(result, body.Client, caller, services, response, borrowing, activity, tokens, now, ct)).Result switch
        {
            Created<SessionResponse> created => created,
            ProblemHttpResult problem => problem,
            var other => throw new InvalidOperationException($"Unexpected checkout answer {other.GetType().Name}."),
        };
    }

    /// <summary>
    /// A checkout that joined the line: 202 with the entry and its token. A retry with the same idempotency key answers the entry where
    /// it stands now, or, once it took its seat, the session (201, replayed) as a retried checkout would.
    /// </summary>
    private static async Task<Results<Created<SessionResponse>, Accepted<WaitResponse>, ProblemHttpResult>> JoinedAsync(
        WaitCheckoutResult.Joined joined, Caller caller, SessionServices services, SessionTokens tokens, HttpResponse response,
        DateTimeOffset now, CancellationToken ct)
    {
        var entry = joined.Entry;
        if (joined.Replayed)
        {
            response.Headers[SessionsApi.ReplayedHeader] = "true";
            if (entry.EndReason == WaitEnd.Granted && entry.SessionId is { } granted
                && await services.Sessions.GetSessionAsync(granted, caller.TenantScope, ct) is { } session)
            {
                var shown = SessionResponse.AsOf(session, now);
                if (!shown.IsActive)
                    return Problems.Gone(shown);
                return TypedResults.Created($"/v1/sessions/{session.Id}", SessionResponse.From(session, now) with
                {
                    SessionToken = !session.HasToken ? null : tokens.For(session.Id),
                });
            }
        }
        return TypedResults.Accepted($"/v1/waits/{entry.Id}",
            WaitResponse.From(entry, joined.Position, joined.EstimatedWait, now) with { WaitToken = tokens.ForWait(entry.Id) });
    }
}
