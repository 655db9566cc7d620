using System.ComponentModel;
using System.Text.Json;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Sessions;

/// <summary>
/// <c>PUT/GET /v1/sessions/{id}/state</c>: the saved state, an opaque JSON document a client keeps
/// on the server (which screens are open, ...). When another user sharing the connection takes the
/// session over, the new session receives it in its checkout answer and continues where the old one left off.
/// </summary>
internal static partial class SessionsApi
{
    public const int MaxSavedStateBytes = 64 * 1024;

    public static async Task<Results<NoContent, ProblemHttpResult>> SaveState(
        string id, HttpRequest request, [FromHeader(Name = SessionTokens.Header), Description(SessionTokens.HeaderDescription)] string? sessionToken,
        Caller caller, [AsParameters] SessionServices services, CancellationToken ct)
    {
        // The token is judged before the body is read: a refused request costs no more than a read.
        if (await services.Sessions.GetSessionAsync(id, caller.TenantScope, ct) is not { } held)
            return Problems.NotFound("session");
        if (!SessionTokens.MayAct(caller, held, sessionToken))
            return Problems.SessionTokenInvalid(SessionTokens.Header, sessionToken is not null);
        if (request.ContentLength > MaxSavedStateBytes)
            return Problems.Invalid("body", $"The state document is at most {MaxSavedStateBytes / 1024} KiB.");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxSavedStateBytes)
            return Problems.Invalid("body", $"The state document is at most {MaxSavedStateBytes / 1024} KiB.");
        if (buffer.Length == 0)
            return Problems.Invalid("body", "Send the state as a JSON document.");
        string document;
        try
        {
            using var parsed = JsonDocument.Parse(buffer.ToArray());
            document = parsed.RootElement.GetRawText();
        }
        catch (JsonException e)
        {
            return Problems.Invalid("body", $"The state is not valid JSON: {e.Message}");
        }

        var now = services.Clock.Now();
        if (await services.Sessions.SaveStateAsync(id, caller.TenantScope, document, now, ct))
            return TypedResults.NoContent();
        return await services.Sessions.GetSessionAsync(id, caller.TenantScope, ct) is { } ended
            ? Problems.Gone(SessionResponse.AsOf(ended, now))
            : Problems.NotFound("session");
    }

    public static async Task<Results<Ok<JsonElement>, NoContent, ProblemHttpResult>> GetState(
        string id, [FromHeader(Name = SessionTokens.Header), Description(SessionTokens.HeaderDescription)] string? sessionToken,
        Caller caller, [AsParameters] SessionServices services, CancellationToken ct)
    {
        if (await services.Sessions.GetSessionAsync(id, caller.TenantScope, ct) is not { } session)
            return Problems.NotFound("session");
        if (!SessionTokens.MayAct(caller, session, sessionToken))
            return Problems.SessionTokenInvalid(SessionTokens.Header, sessionToken is not null);
        var document = await services.Sessions.GetSavedStateAsync(id, caller.TenantScope, ct);
        if (document is null)
            return TypedResults.NoContent();
        using var parsed = JsonDocument.Parse(document);
        return TypedResults.Ok(parsed.RootElement.Clone());
    }
}
