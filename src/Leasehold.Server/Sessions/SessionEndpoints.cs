using Leasehold.Server.Auth;

namespace Leasehold.Server.Sessions;

/// <summary>
/// Sessions: what a licensed application calls (checkout, heartbeat, sign-off, checks) and what a
/// tenant admin uses to see and stop who holds seats.
/// </summary>
internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessions(this RouteGroupBuilder group)
    {
        group.MapPost("/", Checkout.HandleAsync).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(410)
            .WithSummary("Check out a seat: open a session (409 no_seat_available when none is free).");
        group.MapGet("/", SessionCalls.ListAsync).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(404).WithSummary("Who holds seats now (admins).");
        group.MapGet("/{id}", SessionCalls.GetAsync).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(404).WithSummary("Read one session.");
        group.MapPost("/{id}/heartbeat", SessionCalls.HeartbeatAsync).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(404).ProducesProblem(410).WithSummary("Keep a session alive and report user activity.");
        group.MapGet("/{id}/events", SessionEvents.StreamAsync).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .Produces<string>(StatusCodes.Status200OK, SessionEvents.ContentType).ProducesProblem(404).ProducesProblem(410)
            .WithSummary("Server-sent events of one session: an `ended` event with the reason the moment the server ends it.");
        group.MapDelete("/{id}", SessionCalls.ReleaseAsync).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(404).ProducesProblem(410).WithSummary("Sign off: frees the seat at once.");
        group.MapPost("/{id}/stop", SessionCalls.StopAsync).RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(404).ProducesProblem(410).WithSummary("Stop a session (admins): frees the seat; its client learns it at once on the events stream, else at its next call.");
        group.MapPut("/{id}/state", SessionStateCalls.SaveAsync).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .Accepts<object>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(410)
            .WithSummary("Save the session's state (any JSON up to 64 KiB): handed to whoever takes the session over.");
        group.MapGet("/{id}/state", SessionStateCalls.GetAsync).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(404).WithSummary("Read the session's saved state (204 when none).");
        return group;
    }

    public static RouteGroupBuilder MapChecks(this RouteGroupBuilder group)
    {
        group.MapPost("/", Checks.HandleAsync).RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy)
            .ProducesProblem(400).ProducesProblem(404).WithSummary("Pass/fail: is a seat free? Holds nothing.");
        return group;
    }
}
