using Leasehold.Core;
using Leasehold.Server.Lists;
using System.ComponentModel;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Server.Audit;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Leasehold.Server.Telemetry;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Sessions;

/// <param name="Active">Whether the user did anything since the last heartbeat; absent counts as true.</param>
internal sealed record HeartbeatBody(bool? Active);

/// <param name="CoolDownMinutes">
/// How long the stopped user's checkouts on the license are refused (<c>stopped_recently</c>): 0 for none;
/// left out, the license policy's <c>stops.coolDownMinutes</c>.
/// </param>
internal sealed record StopBody([property: WholeNumber(0, StopPolicy.MaxCoolDownMinutes, Optional = true)] int? CoolDownMinutes);

/// <summary>Calls on one existing session, and the admins' list of who holds seats.</summary>
internal static partial class SessionsApi
{
    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Heartbeat(
        string id, HeartbeatBody? body, [FromHeader(Name = SessionTokens.Header), Description(SessionTokens.HeaderDescription)] string? sessionToken,
        Caller caller, [AsParameters] SessionServices services, LeaseholdMetrics metrics, CancellationToken ct)
    {
        using var measured = LeaseholdMetrics.Start(DecisionKind.Heartbeat, sessionId: id);
        var now = services.Clock.Now();
        var refused = false;
        var outcome = await services.Decisions.DecideOnSessionAsync(id, caller.TenantScope, (session, context) =>
        {
            refused = !SessionTokens.MayAct(caller, session, sessionToken);
            return refused ? Unchanged(session) : SessionLifecycle.Heartbeat(session, body?.Active ?? true, now, context);
        }, ct);
        metrics.Heartbeat(measured, outcome is null ? "not_found" : refused ? "token_invalid" : outcome.Session.IsActive ? "ok" : "ended", outcome?.Session.LicenseId);
        return outcome switch
        {
            null => Problems.NotFound("session"),
            _ when refused => Problems.SessionTokenInvalid(SessionTokens.Header, sessionToken is not null),
            { Session.IsActive: true } => TypedResults.Ok(SessionResponse.From(outcome.Session, now) with { Warnings = WarningResponse.From(outcome.Warnings) }),
            _ => Problems.Gone(outcome.Session),
        };
    }

    /// <summary>
    /// Sign-off by the session's holder (with its token): 204, also on a repeat; 410 only if the session
    /// had ended for another reason first. An admin or operator without the token is not the holder:
    /// theirs is a stop, recorded with their key as its actor (as <see cref="Stop"/>, answered 204, again on a repeat).
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Release(
        string id, [FromHeader(Name = SessionTokens.Header), Description(SessionTokens.HeaderDescription)] string? sessionToken,
        Caller caller, [AsParameters] SessionServices services, LeaseholdMetrics metrics, CancellationToken ct)
    {
        using var measured = LeaseholdMetrics.Start(DecisionKind.Release, sessionId: id);
        var now = services.Clock.Now();
        var refused = false;
        var stops = false;
        var outcome = await services.Decisions.DecideOnSessionAsync(id, caller.TenantScope, (session, context) =>
        {
            refused = !SessionTokens.MayAct(caller, session, sessionToken);
            stops = !refused && !SessionTokens.IsHolder(caller, session, sessionToken);
            return refused ? Unchanged(session)
                : stops ? SessionLifecycle.Stop(session, now, caller.KeyId, context) // a stop with no body: the policy's cool-down
                : SessionLifecycle.Release(session, now);
        }, result => stops ? AuditViews.Stop(caller, now, result) : [], ct);
        metrics.Release(measured, outcome is null ? "not_found" : refused ? "token_invalid" : outcome.EndedNow ? (stops ? "stopped" : "released") : "unchanged",
            outcome?.Session.LicenseId);
        return outcome switch
        {
            null => Problems.NotFound("session"),
            _ when refused => Problems.SessionTokenInvalid(SessionTokens.Header, sessionToken is not null),
            { Session.EndReason: EndReason.Released } when !stops => TypedResults.NoContent(),
            { Session.EndReason: EndReason.Stopped } when stops => TypedResults.NoContent(),
            { Session: { IsActive: true, BorrowedUntil: { } until } } => BorrowedNotStopped(outcome.Session, until),
            _ => Problems.Gone(outcome.Session),
        };
    }

    /// <summary>A decision that changes nothing: the session as it is (a request refused for want of the session's token).</summary>
    private static Decided<SessionOutcome> Unchanged(Session session) => new(new SessionOutcome(session, EndedNow: false), Changes.None);

    /// <summary>An admin stop: ends the session at once and, with a cool-down (the body's, or the policy's), keeps its user out for a while.</summary>
    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Stop(
        string id, StopBody? body, Caller caller, [AsParameters] SessionServices services, CancellationToken ct)
    {
        var now = services.Clock.Now();
        var outcome = await services.Decisions.DecideOnSessionAsync(id, caller.TenantScope,
            (session, context) => SessionLifecycle.Stop(session, now, caller.KeyId, context, body?.CoolDownMinutes),
            stopped => AuditViews.Stop(caller, now, stopped), ct);
        return outcome switch
        {
            null => Problems.NotFound("session"),
            { EndedNow: true } => TypedResults.Ok(SessionResponse.From(outcome.Session, now) with { CoolDownUntil = outcome.CoolDown?.Until }),
            { Session: { IsActive: true, BorrowedUntil: { } until } } => BorrowedNotStopped(outcome.Session, until),
            _ => Problems.Gone(outcome.Session),
        };
    }

    private static ProblemHttpResult BorrowedNotStopped(Session session, DateTimeOffset until) =>
        Problems.Conflict(ProblemCodes.SessionBorrowed,
            $"This seat is borrowed by {session.User} until {Borrowing.Describe(until)} and its client runs off the network on a signed lease: "
            + "the seat frees when the borrower returns it or that time ends.",
            new Dictionary<string, object?> { ["borrowedUntil"] = until });

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> GetSession(
        string id, Caller caller, [AsParameters] SessionServices services, CancellationToken ct) =>
        await services.Sessions.GetSessionAsync(id, caller.TenantScope, ct) is { } session
            ? TypedResults.Ok(SessionResponse.From(session, services.Clock.Now()))
            : Problems.NotFound("session");

    /// <summary>The live sessions by start time, then id, a page at a time (a session past its deadline that the reaper has not ended yet is left out).</summary>
    /// <param name="licenseId">Only this license's sessions.</param>
    public static async Task<Results<Ok<Page<SessionResponse>>, ProblemHttpResult>> ListSessions(
        [FromQuery(Name = "licenseId")] string? licenseId, [AsParameters] PageQuery query, Caller caller, [AsParameters] SessionServices services,
        ITenantStore tenants, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var page = Paging.Read(query, "s1", errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (licenseId is not null && await tenants.GetLicenseAsync(licenseId, caller.TenantScope, ct) is null)
            return Problems.NotFound("license", "licenseId");
        var now = services.Clock.Now();
        var open = await services.Sessions.ListOpenSessionsAsync(caller.TenantScope, licenseId, page, ct);
        var live = SeatDecision.Sweep(open, now).Live.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        return TypedResults.Ok(Paging.Of(open, page, "s1", s => new PageKey(s.StartedAt.ToUnixTimeMilliseconds(), s.Id),
            s => SessionResponse.From(s, now), s => live.Contains(s.Id)));
    }

    /// <summary>
    /// One page of the live sessions in scope, oldest first, and how many there are: the console's list of who
    /// holds seats (its cost is the page's, however many sessions the tenant has).
    /// </summary>
    internal static async Task<(int Total, SessionResponse[] Page)> ListLiveAsync(string? tenantScope, int offset, int limit, SessionServices services,
        CancellationToken ct)
    {
        var now = services.Clock.Now();
        var (total, page) = await services.Sessions.ListLiveSessionsAsync(tenantScope, now, offset, limit, ct);
        return (total, [.. page.Select(s => SessionResponse.From(s, now))]);
    }
}
