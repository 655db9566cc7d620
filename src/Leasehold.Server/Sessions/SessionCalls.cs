using Leasehold.Core.Sessions;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Sessions;

/// <summary>Calls on one existing session, and the admins' list of who holds seats.</summary>
internal static class SessionCalls
{
    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> HeartbeatAsync(
        string id, HeartbeatBody? body, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.Now();
        var state = await store.DecideOnSessionAsync(id, caller.TenantScope,
            (session, context) => SessionLifecycle.Heartbeat(session, body?.Active ?? true, now, context), ct);
        return state switch
        {
            null => Problems.NotFound("session"),
            { Session.IsActive: true } => TypedResults.Ok(SessionResponse.From(state.Session, now) with { Warnings = WarningResponse.From(state.Warnings) }),
            _ => Problems.Gone(state.Session),
        };
    }

    /// <summary>Sign-off: 204, also on a repeat; 410 only if the session had ended for another reason first.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> ReleaseAsync(
        string id, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.Now();
        var state = await store.DecideOnSessionAsync(id, caller.TenantScope, (session, _) => SessionLifecycle.Release(session, now), ct);
        return state switch
        {
            null => Problems.NotFound("session"),
            { Session.EndReason: EndReason.Released } => TypedResults.NoContent(),
            _ => Problems.Gone(state.Session),
        };
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> StopAsync(
        string id, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.Now();
        var state = await store.DecideOnSessionAsync(id, caller.TenantScope, (session, _) => SessionLifecycle.Stop(session, now, caller.KeyId), ct);
        return state switch
        {
            null => Problems.NotFound("session"),
            { EndedNow: true } => TypedResults.Ok(SessionResponse.From(state.Session, now)),
            _ => Problems.Gone(state.Session),
        };
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> GetAsync(
        string id, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct) =>
        await store.GetSessionAsync(id, caller.TenantScope, ct) is { } session
            ? TypedResults.Ok(SessionResponse.From(session, clock.Now()))
            : Problems.NotFound("session");

    /// <summary>Who holds seats now: every live session, oldest first; optionally of one license.</summary>
    public static async Task<Results<Ok<SessionResponse[]>, ProblemHttpResult>> ListAsync(
        string? licenseId, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (licenseId is not null && await store.GetLicenseAsync(licenseId, caller.TenantScope, ct) is null)
            return Problems.NotFound("license", "licenseId");
        var now = clock.Now();
        var open = await store.ListOpenSessionsAsync(caller.TenantScope, licenseId, ct);
        return TypedResults.Ok(SeatDecision.Sweep(open, now).Live.Select(s => SessionResponse.From(s, now)).ToArray());
    }
}
