using System.ComponentModel;
using Leasehold.Core;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;
using Leasehold.Server.Audit;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Lists;
using Leasehold.Server.Sessions;
using Leasehold.Server.Sessions.Signals;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Waits;

/// <summary>What every waiting-line handler needs: the store's decisions and reads, and the clock.</summary>
internal sealed record WaitServices(ISessionDecisions Decisions, IWaitReads Waits, TimeProvider Clock);

/// <summary>
/// The waiting line (docs/waiting-line.md): a checkout that may wait (<c>POST /v1/waits</c>) and found no seat joins it (<c>202</c>);
/// these calls follow that place in line: read it, keep it (heartbeat),
/// hear when a seat is held for it (the events stream), take the seat, leave. Admins list who waits and may remove an entry.
/// The holder proves itself with the entry's token (<c>waitToken</c>) in <see cref="SessionTokens.Header"/>.
/// </summary>
internal static partial class WaitsApi
{
    private const string TokenDescription =
        "The entry's token (the joining checkout's waitToken). Required of client keys: without it, or with another's, the answer is 403 " +
        "session_token_invalid and nothing changes. Admin and operator keys need none.";

    public static RouteGroupBuilder MapWaitsApi(this RouteGroupBuilder group)
    {
        group.MapPost("/", CheckoutOrWait).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(410)
            .WithSummary("Check out a seat, or wait for one: the session at once when a seat is free (201, as POST /v1/sessions); else a place in the license's "
                + "waiting line (202, with waitToken), when its policy keeps one for this client type (409 waiting_not_allowed, waiting_line_full otherwise).");
        group.MapGet("/", ListWaits).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(400).ProducesProblem(404).WithSummary("Who waits for a seat (admins): the open entries, a page at a time, by join time, each with its position in its license's line.");
        group.MapGet("/{id}", GetWait).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(403).ProducesProblem(404).WithSummary("Read one place in a waiting line: its status, position and estimated wait.");
        group.MapPost("/{id}/heartbeat", Heartbeat).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(410)
            .WithSummary("Keep a place in line (and poll it): answers where it stands, or `offered` when a seat is held for it; 410 wait_ended once it ended.");
        group.MapGet("/{id}/events", StreamEvents).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .Produces<string>(StatusCodes.Status200OK, SessionsApi.EventStreamContentType).ProducesProblem(403).ProducesProblem(404).ProducesProblem(410)
            .WithSummary("Server-sent events of one place in line: `waiting` (position and estimate, at every change), `offered` the moment a seat is held for it, `ended` last.");
        group.MapPost("/{id}/session", Take).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(410)
            .WithSummary("Take the seat held for this place in line: opens its session (201, with sessionToken), as the checkout that joined would have; 409 offer_not_held when none is held.");
        group.MapDelete("/{id}", Leave).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(410)
            .WithSummary("Leave the line (with the entry's token), or remove an entry from it (an admin without it, recorded in the audit trail); a seat held for it passes on at once.");
        return group;
    }

    public static async Task<Results<Ok<WaitResponse>, ProblemHttpResult>> GetWait(
        string id, [FromHeader(Name = SessionTokens.Header), Description(TokenDescription)] string? waitToken,
        Caller caller, [AsParameters] WaitServices services, CancellationToken ct)
    {
        var view = await services.Waits.GetWaitAsync(id, caller.TenantScope, ct);
        if (view is null)
            return Problems.NotFound("waiting-line entry");
        if (!SessionTokens.MayActOnWait(caller, view.Entry, waitToken))
            return Problems.SessionTokenInvalid(SessionTokens.Header, waitToken is not null);
        return TypedResults.Ok(WaitResponse.From(view, services.Clock.Now()));
    }

    public static async Task<Results<Ok<WaitResponse>, ProblemHttpResult>> Heartbeat(
        string id, [FromHeader(Name = SessionTokens.Header), Description(TokenDescription)] string? waitToken,
        Caller caller, [AsParameters] WaitServices services, CancellationToken ct)
    {
        var now = services.Clock.Now();
        var (answer, refusal) = await DecideAsync(id, waitToken, caller, services, now, turnover: true,
            (ledger, _) => WaitingLine.Heartbeat(ledger, id, now), ct);
        return answer switch
        {
            null => refusal!,
            WaitAnswer.Waiting waiting => TypedResults.Ok(WaitResponse.From(waiting.Entry, waiting.Position, waiting.EstimatedWait, now)),
            WaitAnswer.Offered offered => TypedResults.Ok(WaitResponse.From(offered.Entry, offered.Position, null, now)),
            WaitAnswer.Ended ended => Problems.WaitGone(ended.Entry),
            _ => throw new InvalidOperationException($"Unhandled wait answer {answer.GetType().Name}."),
        };
    }

    /// <summary>
    /// Leaving by the entry's holder (with its token): 204. An admin or operator without the token removes the entry: the same
    /// end (<c>left</c>), recorded in the audit trail with the admin's key (<c>wait.removed</c>). 410 once it had ended otherwise.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Leave(
        string id, [FromHeader(Name = SessionTokens.Header), Description(TokenDescription)] string? waitToken,
        Caller caller, [AsParameters] WaitServices services, CancellationToken ct)
    {
        var now = services.Clock.Now();
        var (answer, refusal) = await DecideAsync(id, waitToken, caller, services, now, turnover: false,
            (ledger, _) => WaitingLine.Leave(ledger, id, now), ct,
            (entry, answer) => answer is WaitAnswer.Ended { Entry: { EndReason: WaitEnd.Left, EndedAt: { } at } } left && at == now
                && !SessionTokens.IsWaitHolder(caller, entry, waitToken)
                ? [AuditViews.WaitRemoval(caller, now, left.Entry)]
                : []);
        return answer switch
        {
            null => refusal!,
            WaitAnswer.Ended { Entry.EndReason: WaitEnd.Left } => TypedResults.NoContent(),
            WaitAnswer.Ended ended => Problems.WaitGone(ended.Entry),
            _ => throw new InvalidOperationException($"Leaving answered {answer.GetType().Name}."),
        };
    }

    /// <summary>
    /// Takes the seat held for the entry: the checkout that joined, made again with the held seat not counted against it
    /// (<see cref="SeatDecision.Checkout"/> with <see cref="CheckoutRequest.WaitId"/>). A retry after the take (its answer lost)
    /// answers the session again (201, replayed).
    /// </summary>
    public static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> Take(
        string id, [FromHeader(Name = SessionTokens.Header), Description(TokenDescription)] string? waitToken,
        Caller caller, IWaitReads waits, [AsParameters] SessionServices sessions, HttpResponse response,
        [AsParameters] BorrowServices borrowing, SeatActivity activity, SessionTokens tokens, CancellationToken ct)
    {
        var now = sessions.Clock.Now();
        var view = await waits.GetWaitAsync(id, caller.TenantScope, ct);
        if (view is null)
            return Problems.NotFound("waiting-line entry");
        var entry = view.Entry;
        if (!SessionTokens.MayActOnWait(caller, entry, waitToken))
            return Problems.SessionTokenInvalid(SessionTokens.Header, waitToken is not null);
        if (entry is { EndReason: WaitEnd.Granted, SessionId: { } granted })
        {
            var replay = await sessions.Sessions.GetSessionAsync(granted, caller.TenantScope, ct);
            return await SessionsApi.AnswerAsync(replay is null ? null : new CheckoutResult.Admitted(replay, Replayed: true, 0, 0),
                entry.Client, caller, sessions, response, borrowing, activity, tokens, now, ct);
        }
        if (!entry.IsOpen)
            return Problems.WaitGone(entry);

        var request = entry.Request with { WaitId = entry.Id, TokenHash = SessionTokens.Hash(tokens.For(entry.Request.SessionId)) };
        var result = await sessions.Decisions.DecideOnLicenseAsync(
            new LedgerQuery(entry.LicenseId, caller.TenantScope, ConnectionId: entry.Request.ConnectionId),
            ledger => SeatDecision.Checkout(ledger, request, now), ct);
        return await SessionsApi.AnswerAsync(result, entry.Client, caller, sessions, response, borrowing, activity, tokens, now, ct);
    }

    /// <summary>The open entries in scope (admins), by join time then id, each with its place in its license's line.</summary>
    /// <param name="licenseId">Only this license's line.</param>
    public static async Task<Results<Ok<Page<WaitResponse>>, ProblemHttpResult>> ListWaits(
        [FromQuery(Name = "licenseId")] string? licenseId, [AsParameters] PageQuery query, Caller caller, [AsParameters] WaitServices services,
        ITenantStore tenants, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var page = Paging.Read(query, "w1", errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (licenseId is not null && await tenants.GetLicenseAsync(licenseId, caller.TenantScope, ct) is null)
            return Problems.NotFound("license", "licenseId");
        var now = services.Clock.Now();
        var open = await services.Waits.ListOpenWaitsAsync(caller.TenantScope, licenseId, page, ct);
        return TypedResults.Ok(Paging.Of(open, page, "w1", v => new PageKey(v.Entry.JoinedAt.ToUnixTimeMilliseconds(), v.Entry.Id),
            v => WaitResponse.From(v, now), v => v.Entry.DueEnd(now) is null));
    }

    /// <summary>Every open entry in scope (the console's Waiting table), by join time.</summary>
    internal static async Task<WaitResponse[]> ListOpenAsync(string? tenantScope, IWaitReads waits, DateTimeOffset now, CancellationToken ct) =>
        [.. (await waits.ListOpenWaitsAsync(tenantScope, null, null, ct)).Where(v => v.Entry.DueEnd(now) is null).Select(v => WaitResponse.From(v, now))];

    /// <summary>
    /// Reads the entry (for its license and token), then runs <paramref name="decide"/> on its license's ledger under the
    /// license's lock. The answer, or the refusal to give one: 404, 403, or 410 for an entry that had ended.
    /// </summary>
    private static async Task<(WaitAnswer? Answer, ProblemHttpResult? Refusal)> DecideAsync(
        string id, string? waitToken, Caller caller, WaitServices services, DateTimeOffset now, bool turnover,
        Func<LicenseLedger, WaitEntry, Decided<WaitAnswer>> decide, CancellationToken ct,
        Func<WaitEntry, WaitAnswer, IReadOnlyList<AuditEntry>>? audit = null)
    {
        var view = await services.Waits.GetWaitAsync(id, caller.TenantScope, ct);
        if (view is null)
            return (null, Problems.NotFound("waiting-line entry"));
        var entry = view.Entry;
        if (!SessionTokens.MayActOnWait(caller, entry, waitToken))
            return (null, Problems.SessionTokenInvalid(SessionTokens.Header, waitToken is not null));
        if (!entry.IsOpen)
            return (new WaitAnswer.Ended(entry), null);
        var answer = await services.Decisions.DecideOnLicenseAsync(new LedgerQuery(entry.LicenseId, caller.TenantScope, Turnover: turnover),
            ledger => decide(ledger, entry), a => audit?.Invoke(entry, a) ?? [], ct);
        if (answer is null or WaitAnswer.NotFound)
        {
            // It ended between the read and the decision (another node, the reaper): answer how.
            var ended = await services.Waits.GetWaitAsync(id, caller.TenantScope, ct);
            return ended is null ? (null, Problems.NotFound("waiting-line entry")) : (new WaitAnswer.Ended(WaitResponse.AsOf(ended.Entry, now)), null);
        }
        return (answer, null);
    }
}
