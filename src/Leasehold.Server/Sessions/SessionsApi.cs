using Leasehold.Server.Auth;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Sessions;

/// <summary>What every session handler needs: the store's decisions and reads, and the clock.</summary>
internal sealed record SessionServices(ISessionDecisions Decisions, ISessionReads Sessions, TimeProvider Clock);

/// <summary>
/// Sessions: what a licensed application calls (checkout, heartbeat, sign-off, its push channel,
/// saved state) and what a tenant admin uses to see and stop who holds seats. The handlers are in
/// the partial files beside this one, each with its request records.
/// </summary>
internal static partial class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this RouteGroupBuilder group)
    {
        group.MapPost("/", Checkout).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(410)
            .WithSummary("Check out a seat: open a session (409 no_seat_available when none is free); with borrowUntil, borrow it with a signed lease.");
        group.MapGet("/", ListSessions).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(400).ProducesProblem(404).WithSummary("Who holds seats now (admins), a page at a time, oldest first.");
        group.MapGet("/{id}", GetSession).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(404).WithSummary("Read one session.");
        group.MapPost("/{id}/heartbeat", Heartbeat).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(410).WithSummary("Keep a session alive and report user activity.");
        group.MapPost("/heartbeats", HeartbeatMany).WithBodyLimit(BodyLimits.Heartbeats).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(400)
            .WithSummary($"Heartbeat many sessions in one call (1 to {HeartbeatsBody.MaxItems}, each with its own sessionToken): one answer per session, in order, "
                + "each the session or the problem its single heartbeat would answer (404, 403, 410 with the reason).");
        group.MapGet("/{id}/events", StreamEvents).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .Produces<string>(StatusCodes.Status200OK, EventStreamContentType).ProducesProblem(403).ProducesProblem(404).ProducesProblem(410)
            .WithSummary("Server-sent events of one session: an `ended` event with the reason the moment the server ends it.");
        group.MapDelete("/{id}", Release).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(410)
            .WithSummary("Sign off with the session's token: frees the seat at once. An admin's or operator's DELETE without it is a stop, recorded with its actor.");
        group.MapPost("/{id}/stop", Stop).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(410)
            .WithSummary("Stop a session (admins): frees the seat; its client learns it at once on the events stream, else at its next call (409 session_borrowed for a borrowed seat). "
                + "With a cool-down (coolDownMinutes, or the policy's stops.coolDownMinutes) the user's checkouts on the license are refused (409 stopped_recently) until it ends.");
        group.MapPut("/{id}/state", SaveState).WithBodyLimit(BodyLimits.SavedState).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .Accepts<object>("application/json").ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(410)
            .WithSummary("Save the session's state (any JSON up to 64 KiB): handed to whoever takes the session over.");
        group.MapGet("/{id}/state", GetState).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(403).ProducesProblem(404).WithSummary("Read the session's saved state (204 when none).");
        return group;
    }
}
