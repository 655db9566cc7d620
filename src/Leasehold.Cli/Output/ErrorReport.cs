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
            LeaseholdException e => (ExitCodeOf(e), Describe(e), HintFor(e, server), e.Problem),
            _ => (ExitCodes.Failed, error.Message, "This looks like a bug in leasehold: please report it with the command you ran.", null),
        };
        if (json)
        {
            console.WriteJson(new { error = new { exitCode = code, message, hint, problem } });
            return code;
        }
        console.MarkupLine($"[red]Error:[/] {Markup.Escape(message)}");
        if (error is LeaseholdException { Status: > 0 } le)
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

    public static int ExitCodeOf(LeaseholdException e) => e.Status switch
    {
        0 or 502 or 503 or 504 => ExitCodes.Unavailable,
        401 or 403 => ExitCodes.NotAllowed,
        404 => ExitCodes.NotFound,
        400 or 409 or 410 or 415 => ExitCodes.Refused,
        _ => ExitCodes.Failed,
    };

    private static string Describe(LeaseholdException e) =>
        e switch
        {
            SessionEndedException ended => $"The session has already ended ({ended.End.Code}): {ended.End.Message}",
            { Status: 0 } => e.Detail ?? "The server did not answer.",
            _ => e.Detail ?? e.Code,
        };

    private static string? HintFor(LeaseholdException e, Uri? server) => e switch
    {
        { Status: 0 } or { Status: 502 or 503 or 504 } =>
            $"Check that the server is running at {server} and reachable (--url or LEASEHOLD_URL); `curl {server}healthz` should answer ok.",
        { Status: 401 } => "Check the API key (--key, LEASEHOLD_KEY or the config file): it may be mistyped or revoked.",
        { Status: 403 } => "This key's role may not do that: use an admin key of the tenant, or an operator key.",
        { Status: 404 } => "Check the id: list what exists with the matching `list` command (ids of other tenants look missing too).",
        { Code: "invalid_request", Field: { } field } => $"Fix '{field}' and run the command again (`leasehold policy validate FILE` checks a policy file offline).",
        { Code: "plan_limit_reached" } => "Stay within the plan's cap, or give the license a bigger plan in its policy.",
        SeatDeniedException => null,
        _ => null,
    };
}
