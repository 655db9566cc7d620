using Leasehold.Core.Sessions;
using Leasehold.Server.Audit;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Sessions;

/// <param name="Active">Whether the user did anything since the last heartbeat; absent counts as true.</param>
internal sealed record HeartbeatBody(bool? Active);

/// <summary>Calls on one existing session, and the admins' list of who holds seats.</summary>
internal static partial class SessionsApi
{
    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Heartbeat(
        string id, HeartbeatBody? body, Caller caller, [AsParameters] SessionServices services, CancellationToken ct)
    {
        var now = services.Clock.Now();
        var outcome = await services.Decisions.DecideOnSessionAsync(id, caller.TenantScope,
            (session, context) => SessionLifecycle.Heartbeat(session, body?.Active ?? true, now, context), ct);
        return outcome switch
        {
            null => Problems.NotFound("session"),
            { Session.IsActive: true } => TypedResults.Ok(SessionResponse.From(outcome.Session, now) with { Warnings = WarningResponse.From(outcome.Warnings) }),
            _ => Problems.Gone(outcome.Session),
        };
    }

    /// <summary>Sign-off: 204, also on a repeat; 410 only if the session had ended for another reason first.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Release(
        string id, Caller caller, [AsParameters] SessionServices services, CancellationToken ct)
    {
        var now = services.Clock.Now();
        var outcome = await services.Decisions.DecideOnSessionAsync(id, caller.TenantScope, (session, _) => SessionLifecycle.Release(session, now), ct);
        return outcome switch
        {
            null => Problems.NotFound("session"),
            { Session.EndReason: EndReason.Released } => TypedResults.NoContent(),
            _ => Problems.Gone(outcome.Session),
        };
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Stop(
        string id, Caller caller, [AsParameters] SessionServices services, CancellationToken ct)
    {
        var now = services.Clock.Now();
        var outcome = await services.Decisions.DecideOnSessionAsync(id, caller.TenantScope, (session, _) => SessionLifecycle.Stop(session, now, caller.KeyId),
            stopped => AuditViews.Stop(caller, now, stopped), ct);
        return outcome switch
        {
            null => Problems.NotFound("session"),
            { EndedNow: true } => TypedResults.Ok(SessionResponse.From(outcome.Session, now)),
            { Session: { IsActive: true, BorrowedUntil: { } until } } => Problems.Conflict(ProblemCodes.SessionBorrowed,
                $"This seat is borrowed by {outcome.Session.User} until {Borrowing.Describe(until)} and its client runs off the network on a signed lease: "
                + "the seat frees when the borrower returns it or that time ends.",
                new Dictionary<string, object?> { ["borrowedUntil"] = until }),
            _ => Problems.Gone(outcome.Session),
        };
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> GetSession(
        string id, Caller caller, [AsParameters] SessionServices services, CancellationToken ct) =>
        await services.Sessions.GetSessionAsync(id, caller.TenantScope, ct) is { } session
            ? TypedResults.Ok(SessionResponse.From(session, services.Clock.Now()))
            : Problems.NotFound("session");

    /// <summary>Who holds seats now: every live session, oldest first; optionally of one license.</summary>
    public static async Task<Results<Ok<SessionResponse[]>, ProblemHttpResult>> ListSessions(
        string? licenseId, Caller caller, [AsParameters] SessionServices services, ITenantStore tenants, CancellationToken ct)
    {
        if (licenseId is not null && await tenants.GetLicenseAsync(licenseId, caller.TenantScope, ct) is null)
            return Problems.NotFound("license", "licenseId");
        var now = services.Clock.Now();
        var open = await services.Sessions.ListOpenSessionsAsync(caller.TenantScope, licenseId, ct);
        return TypedResults.Ok(SeatDecision.Sweep(open, now).Live.Select(s => SessionResponse.From(s, now)).ToArray());
    }
}
