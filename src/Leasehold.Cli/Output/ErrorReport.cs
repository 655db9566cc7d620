using System.Text.Json;
using Leasehold.Client;
using Spectre.Console;

namespace Leasehold.Cli.Output;

/// <summary>Turns a failure into what went wrong, what to try, and an exit code.</summary>
internal static class ErrorReport
{
    public static int Show(Exception error, IAnsiConsole console, bool json, Uri? server)
    {
        var (code, message, hint, problem) = error switch
        {
            CliException e => (e.ExitCode, e.Message, e.Hint, (JsonElement?)null),
            LeaseholdException { Status: > 0 and not (502 or 503 or 504) } e when !FromLeasehold(e) => Foreign(e, server),
            LeaseholdException e => (ExitCodeOf(e), Describe(e, server), HintFor(e, server), e.Problem),
            _ => (ExitCodes.Failed, error.Message, "This looks like a bug in leasehold: please report it with the command you ran.", null),
        };
        if (json)
        {
            console.WriteJson(new { error = new { exitCode = code, message, hint, problem } });
            return code;
        }
        console.MarkupLine($"[red]Error:[/] {Markup.Escape(message)}");
        if (error is LeaseholdException { Status: > 0 } le && FromLeasehold(le))
        {
            var facts = new List<string> { $"status {le.Status}", $"code {le.Code}" };
            if (le.Field is not null)
                facts.Add($"field {le.Field}");
            if (le.TraceId is not null)
                facts.Add($"traceId {le.TraceId}");
            console.MarkupLine($"[grey]{Markup.Escape(string.Join(", ", facts))}[/]");
        }
        if (hint is not null)
            console.MarkupLine($"[yellow]Try:[/] {Markup.Escape(hint)}");
        return code;
    }

    /// <summary>JSON, but no Leasehold problem (another API at that URL): the same message as for an HTML answer.</summary>
    private static (int, string, string?, JsonElement?) Foreign(LeaseholdException e, Uri? server)
    {
        var foreign = LeaseholdAnswers.NotLeasehold(server, $"{e.Status} with JSON that is not a Leasehold problem");
        return (foreign.ExitCode, foreign.Message, foreign.Hint, e.Problem);
    }

    /// <summary>
    /// Whether the error answer came from a Leasehold server: its problem+json always has a <c>code</c>
    /// (the SDK makes up <c>http_STATUS</c> when there is none).
    /// </summary>
    private static bool FromLeasehold(LeaseholdException e) =>
        e.Problem is { ValueKind: JsonValueKind.Object } problem && problem.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String;

    public static int ExitCodeOf(LeaseholdException e) => e.Status switch
    {
        0 or 502 or 503 or 504 => ExitCodes.Unavailable,
        401 or 403 => ExitCodes.NotAllowed,
        404 => ExitCodes.NotFound,
        400 or 409 or 410 or 415 => ExitCodes.Refused,
        _ => ExitCodes.Failed,
    };

    /// <summary>Why there was no answer: the connection's own words (refused, no such host), or no answer in time.</summary>
    private static string Reason(LeaseholdException e) =>
        e.InnerException switch
        {
            HttpRequestException { Message: { Length: > 0 } message } => message.TrimEnd('.'),
            OperationCanceledException => "it did not answer in time",
            _ => "it did not answer",
        };

    private static string Describe(LeaseholdException e, Uri? server) =>
        e switch
        {
            { Status: 410 } when Str(e, "code") == "wait_ended" => WaitEnded(e),
            SessionEndedException ended => $"The session has already ended ({ended.End.Code}): {ended.End.Message}",
            { Status: 0 } => $"Could not reach the server at {server}: {Reason(e)}.",
            _ when !FromLeasehold(e) => $"The server at {server} is unavailable: it answered {e.Status} (from a proxy in front of it, or not a Leasehold server).",
            _ => e.Detail ?? e.Code,
        };

    /// <summary>A place in a waiting line that had already ended (410 <c>wait_ended</c>), told for the admin (the problem's <c>detail</c> is worded for the waiting user).</summary>
    private static string WaitEnded(LeaseholdException e) =>
        $"{Str(e, "waitId") ?? "The entry"} is no longer in line: " + Str(e, "reason") switch
        {
            "granted" => $"they got their seat (session {Str(e, "sessionId")}).",
            "left" => "they left the line.",
            "expired" => "their application stopped heart-beating.",
            "timed_out" => "they waited as long as they asked to without a seat.",
            "offer_lapsed" => "a seat was held for them but not taken in time.",
            { } other => $"it ended ({other}).",
            null => "it ended.",
        };

    private static string? Str(LeaseholdException e, string name) =>
        e.Problem is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? HintFor(LeaseholdException e, Uri? server) => e switch
    {
        { Status: 0 } or { Status: 502 or 503 or 504 } =>
            $"Check that the server is running at {server} and reachable (--url or LEASEHOLD_URL); `curl {server}healthz` should answer ok.",
        { Status: 401 } => "Check the API key (--key, LEASEHOLD_KEY or the config file): it may be mistyped or revoked.",
        { Status: 403 } => "This key's role may not do that: use an admin key of the tenant, or an operator key.",
        { Status: 404 } => "Check the id: list what exists with the matching `list` command (ids of other tenants look missing too).",
        { Code: "invalid_request", Field: { } field } => $"Fix '{field}' and run the command again (`leasehold policy validate FILE` checks a policy file offline).",
        { Code: "plan_limit_reached" } => "Stay within the plan's cap, or give the license a bigger plan in its policy.",
        { Status: 410 } when Str(e, "code") == "wait_ended" => "See who still waits with `leasehold waits list`.",
        SeatDeniedException => null,
        _ => null,
    };
}
