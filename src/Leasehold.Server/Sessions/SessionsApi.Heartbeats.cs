using System.Text.Json.Serialization;
using Leasehold.Core;
using Leasehold.Core.Sessions;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Telemetry;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Sessions;

/// <summary>
/// Many heartbeats in one call: a remote-desktop host or an integration holding many sessions keeps them all alive
/// with one request (and one store transaction) instead of one request per session.
/// </summary>
/// <param name="Sessions">From 1 to <see cref="MaxItems"/> sessions, each listed once.</param>
internal sealed record HeartbeatsBody(IReadOnlyList<HeartbeatItemBody?>? Sessions) : ICheckedRequest
{
    /// <summary>The most sessions one call heartbeats: a host of a thousand users in one request of about 120 KB.</summary>
    public const int MaxItems = 1000;

    public void Check(List<FieldError> errors)
    {
        if (Sessions is null)
        {
            errors.Add(new FieldError("sessions", "Required."));
            return;
        }
        if (Sessions.Count is 0 or > MaxItems)
        {
            errors.Add(new FieldError("sessions", $"From 1 to {MaxItems} sessions."));
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var id = new TextAttribute(64);
        var token = new TextAttribute(128) { Optional = true };
        for (var i = 0; i < Sessions.Count; i++)
        {
            if (Sessions[i] is not { } item)
            {
                errors.Add(new FieldError($"sessions[{i}]", "Required."));
                continue;
            }
            object? value = item.Id;
            if (id.Check(ref value) is { } idFault)
                errors.Add(new FieldError($"sessions[{i}].id", idFault));
            else if (!seen.Add((string)value!))
                errors.Add(new FieldError($"sessions[{i}].id", "Listed twice: send each session once."));
            else
                item.Id = (string)value!;
            value = item.SessionToken;
            if (token.Check(ref value) is { } tokenFault)
                errors.Add(new FieldError($"sessions[{i}].sessionToken", tokenFault));
        }
    }
}

/// <param name="Id">The session's id.</param>
/// <param name="Active">Whether its user did anything since the last heartbeat; absent counts as true.</param>
/// <param name="SessionToken">The session's token (the checkout answer's sessionToken): required of client keys, as the header is on a single heartbeat; admins need none.</param>
/// <remarks>Its field rules are checked by <see cref="HeartbeatsBody.Check"/>, which names each fault by its path (<c>sessions[3].id</c>).</remarks>
internal sealed record HeartbeatItemBody(
    string? Id,
    bool? Active = null,
    [property: Text(128, Optional = true)] string? SessionToken = null)
{
    [Text(64)]
    public string? Id { get; set; } = Id;
}

/// <summary>One answer per session, in the request's order.</summary>
/// <param name="Items">
/// Each either the session as a single heartbeat answers it (<c>status</c> <c>"active"</c>, <c>expiresAt</c>, <c>warnings</c>,
/// <c>heartbeatIntervalSeconds</c>, ...) or an error with the fields of the problem a single heartbeat would answer:
/// <c>id</c>, <c>status</c> (404, 403, 410), <c>code</c> (not_found, session_token_invalid, session_ended), <c>title</c>, <c>detail</c>,
/// and <c>reason</c> and <c>endedAt</c> for an ended session.
/// </param>
internal sealed record HeartbeatsResponse(IReadOnlyList<object> Items);

/// <summary>A session's heartbeat refused in a batch: the fields of the problem its single heartbeat answers.</summary>
internal sealed record HeartbeatError(
    string Id,
    int Status,
    string Code,
    string Title,
    string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EndedAt = null);

internal static partial class SessionsApi
{
    /// <summary>Heartbeats many sessions in one store transaction; each judged exactly as <see cref="Heartbeat"/> judges one.</summary>
    public static async Task<Results<Ok<HeartbeatsResponse>, ProblemHttpResult>> HeartbeatMany(
        HeartbeatsBody body, Caller caller, [AsParameters] SessionServices services, LeaseholdMetrics metrics, CancellationToken ct)
    {
        using var measured = LeaseholdMetrics.Start(DecisionKind.Heartbeat);
        var items = body.Sessions!;
        var byId = new Dictionary<string, HeartbeatItemBody>(items.Count, StringComparer.Ordinal);
        var ids = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            ids[i] = items[i]!.Id!;
            byId[ids[i]] = items[i]!;
        }
        var refused = new HashSet<string>(StringComparer.Ordinal);
        var now = services.Clock.Now();
        var outcomes = await services.Decisions.DecideOnSessionsAsync(ids, caller.TenantScope, (session, context) =>
        {
            var item = byId[session.Id];
            if (!SessionTokens.MayAct(caller, session, item.SessionToken))
            {
                refused.Add(session.Id);
                return Unchanged(session);
            }
            return SessionLifecycle.Heartbeat(session, item.Active ?? true, now, context);
        }, ct);

        var answers = new object[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var outcome = outcomes[i];
            var token = refused.Contains(ids[i]);
            metrics.Heartbeat(measured, outcome is null ? "not_found" : token ? "token_invalid" : outcome.Session.IsActive ? "ok" : "ended", outcome?.Session.LicenseId);
            answers[i] = outcome switch
            {
                null => new HeartbeatError(ids[i], ProblemCodes.NotFound.Status, ProblemCodes.NotFound.Code, "No such session.",
                    "No session with that id exists, or it belongs to another tenant.", Field: $"sessions[{i}].id"),
                _ when token => new HeartbeatError(ids[i], ProblemCodes.SessionTokenInvalid.Status, ProblemCodes.SessionTokenInvalid.Code,
                    ProblemCodes.SessionTokenInvalid.Title,
                    byId[ids[i]].SessionToken is null ? "Send the session's token (the checkout answer's sessionToken) in the item's sessionToken."
                        : "The item's sessionToken is not this session's token.", Field: $"sessions[{i}].sessionToken"),
                { Session.IsActive: true } => SessionResponse.From(outcome.Session, now) with { Warnings = WarningResponse.From(outcome.Warnings) },
                _ => new HeartbeatError(ids[i], ProblemCodes.SessionEnded.Status, ProblemCodes.SessionEnded.Code, ProblemCodes.SessionEnded.Title,
                    EndMessages.For(outcome.Session.EndReason!.Value), Reason: Codes.Of(outcome.Session.EndReason!.Value), EndedAt: outcome.Session.EndedAt),
            };
        }
        return TypedResults.Ok(new HeartbeatsResponse(answers));
    }
}
