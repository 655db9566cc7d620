using System.Text.Json;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Sessions;

/// <summary>
/// <c>PUT/GET /v1/sessions/{id}/state</c>: an opaque JSON document a client saves (which screens
/// are open, ...). When another user sharing the connection takes the session over, the new session
/// receives it in its checkout answer (SPEC rule 11).
/// </summary>
internal static class SessionStateCalls
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<Results<NoContent, ProblemHttpResult>> SaveAsync(
        string id, HttpRequest request, Caller caller, ILeaseholdStore store, TimeProvider clock, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
            return Problems.Invalid("body", $"The state document is at most {MaxBytes / 1024} KiB.");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxBytes)
            return Problems.Invalid("body", $"The state document is at most {MaxBytes / 1024} KiB.");
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

        if (await store.SaveSessionStateAsync(id, caller.TenantScope, document, clock.Now(), ct))
            return TypedResults.NoContent();
        return await store.GetSessionAsync(id, caller.TenantScope, ct) is { } ended
            ? Problems.Gone(SessionResponse.AsOf(ended, clock.Now()))
            : Problems.NotFound("session");
    }

    public static async Task<Results<Ok<JsonElement>, NoContent, ProblemHttpResult>> GetAsync(
        string id, Caller caller, ILeaseholdStore store, CancellationToken ct)
    {
        if (await store.GetSessionAsync(id, caller.TenantScope, ct) is null)
            return Problems.NotFound("session");
        var document = await store.GetSessionStateAsync(id, ct);
        if (document is null)
            return TypedResults.NoContent();
        using var parsed = JsonDocument.Parse(document);
        return TypedResults.Ok(parsed.RootElement.Clone());
    }
}
