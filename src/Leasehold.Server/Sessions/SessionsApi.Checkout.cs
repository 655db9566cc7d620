using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Sessions;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Sessions.Signals;
using Leasehold.Server.Signing;
using Leasehold.Server.Storage;
using Leasehold.Server.Telemetry;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Sessions;

/// <param name="Connection">The id of the connection (shared access credential) the user signs in through, if the license uses connections.</param>
/// <param name="Email">The e-mail the user signs in with: users may share a connection only when they share its e-mail.</param>
/// <param name="Sso">True when the user signed in through single sign-on: such users never share a connection.</param>
/// <param name="BorrowUntil">Borrow the seat until then: held without heartbeats, with a signed lease in the answer (the client type's <c>borrowDays</c> says how far ahead).</param>
internal record CheckoutBody(
    [property: Text(64)] string? LicenseId,
    [property: Text] string? User,
    [property: Text] string? Device,
    [property: Text(32)] string? Client,
    [property: Text(64, Optional = true)] string? Connection = null,
    [property: Text(320, Optional = true), Email] string? Email = null,
    bool? Sso = null,
    DateTimeOffset? BorrowUntil = null);

internal static partial class SessionsApi
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary><c>POST /v1/sessions</c>: the seat decision, made atomic by the store, translated to HTTP.</summary>
    public static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> Checkout(
        CheckoutBody body,
        [FromHeader(Name = IdempotencyHeader), IdempotencyKey] string? idempotencyKey,
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
        var request = RequestOf(body, idempotencyKey, tokens, now);
        var result = await services.Decisions.DecideOnLicenseAsync(new LedgerQuery(body.LicenseId!, caller.TenantScope, idempotencyKey, body.Connection),
            ledger => SeatDecision.Checkout(ledger, request, now), ct);
        metrics.Checkout(measured, result);
        return await AnswerAsync(result, body.Client, caller, services, response, borrowing, activity, tokens, now, ct);
    }

    /// <summary>The checkout a body asks for, with a new session id and that session's token.</summary>
    internal static CheckoutRequest RequestOf(CheckoutBody body, string? idempotencyKey, SessionTokens tokens, DateTimeOffset now)
    {
        var sessionId = Ids.Session(now);
        return new CheckoutRequest(sessionId, body.User!, body.Device!, body.Client!, idempotencyKey)
        {
            TokenHash = SessionTokens.Hash(tokens.For(sessionId)),
            ConnectionId = body.Connection,
            Email = body.Email,
            Sso = body.Sso ?? false,
            BorrowUntil = body.BorrowUntil is { } until ? until.AddTicks(-(until.Ticks % TimeSpan.TicksPerMillisecond)) : null,
        };
    }

    /// <summary>A checkout's decision as HTTP: the session (201), the refusal (409), the request's fault (400, 404). Taking a seat held in line answers the same way.</summary>
    internal static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> AnswerAsync(
        CheckoutResult? result, string? client, Caller caller, SessionServices services, HttpResponse response, BorrowServices borrowing,
        SeatActivity activity, SessionTokens tokens, DateTimeOffset now, CancellationToken ct)
    {
        switch (result)
        {
            case null:
                return Problems.NotFound("license", "licenseId");
            case CheckoutResult.Admitted admitted:
                var session = SessionResponse.AsOf(admitted.Session, now);
                if (!session.IsActive)
                    return Problems.Gone(session);
                if (admitted.Replayed)
                    response.Headers[ReplayedHeader] = "true";
                else
                    activity.Touch(session.TenantId);
                // A replay answers the token again (derived, never stored); a session from before tokens has none.
                var token = !session.HasToken ? null : tokens.For(session.Id);
                var handedOn = admitted.TookOver is null ? null : await services.Sessions.GetSavedStateAsync(session.Id, caller.TenantScope, ct);
                return TypedResults.Created($"/v1/sessions/{session.Id}", SessionResponse.From(session, now) with
                {
                    SeatsInUse = admitted.SeatsInUse,
                    SeatLimit = admitted.Seats,
                    Warnings = WarningResponse.From(admitted.Warnings),
                    TookOver = admitted.TookOver is { } old ? new TakeoverResponse(old.Id, old.User) : null,
                    State = handedOn is null ? null : JsonDocument.Parse(handedOn).RootElement.Clone(),
                    Lease = session.BorrowedUntil is null ? null : await borrowing.SignLeaseAsync(session, token, caller.TenantScope, now, ct),
                    SessionToken = token,
                });
            case CheckoutResult.Denied denied:
                return Problems.Conflict(ProblemCodes.ForRefusal(denied.Code), denied.Message, new Dictionary<string, object?>
                {
                    ["message"] = denied.Message,
                    ["client"] = client,
                    ["seatsInUse"] = denied.SeatsInUse,
                    ["seatLimit"] = denied.Seats,
                    ["opensAt"] = denied.OpensAt,
                    ["until"] = denied.Until,
                });
            case CheckoutResult.Rejected { Error.Code: Codes.NotFound } missing:
                return Problems.NotFound("connection", missing.Error.Field);
            case CheckoutResult.Rejected rejected:
                return Problems.Invalid(rejected.Error);
            default:
                throw new InvalidOperationException($"Unhandled checkout result {result.GetType().Name}.");
        }
    }
}

/// <summary>What a borrowing checkout needs besides the session services: the license (its product goes in the lease) and the signing key.</summary>
internal sealed record BorrowServices(ITenantStore Tenants, SigningKeyRing Keys)
{
    /// <summary>The signed lease of borrowed <paramref name="session"/>, by the key that signs now; it carries the session's token for its holder.</summary>
    public async Task<string> SignLeaseAsync(Session session, string? sessionToken, string? tenantScope, DateTimeOffset now, CancellationToken ct)
    {
        var license = await Tenants.GetLicenseAsync(session.LicenseId, tenantScope, ct)
            ?? throw new InvalidOperationException($"License {session.LicenseId} of session {session.Id} is gone.");
        using var key = await Keys.SignerAsync(ct);
        return BorrowLeases.Sign(session, license, now, key, sessionToken);
    }
}
