using System.Text.Json.Nodes;
using Leasehold.Server.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Leasehold.Server.Hosting;

/// <summary>
/// What the OpenAPI document says of each operation beyond what the handlers' typed results give: its
/// operationId (the SDK's method name, camelCase), every error status the pipeline around the handler can
/// answer (who may call, the body, the write limits, the database), the public endpoints' empty security,
/// and the media types of the CSV export and the push channel. Derived from each endpoint's own metadata
/// (its authorization policy, whether it reads a body, its method), so a new endpoint is described by itself.
/// </summary>
internal static class OpenApiOperations
{
    /// <summary>The operationId of every operation, by method and route: named like the SDK's methods.</summary>
    public static readonly IReadOnlyDictionary<string, string> Ids = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GET /.well-known/jwks.json"] = "getJwks",
        ["GET /healthz"] = "getHealth",
        ["HEAD /healthz"] = "headHealth",
        ["GET /readyz"] = "getReadiness",
        ["HEAD /readyz"] = "headReadiness",
        ["POST /v1/tenants"] = "createTenant",
        ["GET /v1/tenants"] = "listTenants",
        ["GET /v1/tenants/{id}"] = "getTenant",
        ["POST /v1/licenses"] = "createLicense",
        ["GET /v1/licenses"] = "listLicenses",
        ["GET /v1/licenses/{id}"] = "getLicense",
        ["PATCH /v1/licenses/{id}"] = "updateLicense",
        ["GET /v1/licenses/{licenseId}/cool-downs"] = "listCoolDowns",
        ["DELETE /v1/licenses/{licenseId}/cool-downs/{user}"] = "liftCoolDown",
        ["POST /v1/connections"] = "createConnection",
        ["GET /v1/connections"] = "listConnections",
        ["GET /v1/connections/{id}"] = "getConnection",
        ["PATCH /v1/connections/{id}"] = "updateConnection",
        ["PUT /v1/connections/{id}"] = "replaceConnection",
        ["DELETE /v1/connections/{id}"] = "deleteConnection",
        ["POST /v1/api-keys"] = "createApiKey",
        ["GET /v1/api-keys"] = "listApiKeys",
        ["DELETE /v1/api-keys/{id}"] = "revokeApiKey",
        ["POST /v1/sessions"] = "checkout",
        ["GET /v1/sessions"] = "listSessions",
        ["GET /v1/sessions/{id}"] = "getSession",
        ["DELETE /v1/sessions/{id}"] = "signOff",
        ["POST /v1/sessions/{id}/heartbeat"] = "heartbeat",
        ["POST /v1/sessions/heartbeats"] = "heartbeatMany",
        ["GET /v1/sessions/{id}/events"] = "openSessionEvents",
        ["POST /v1/sessions/{id}/stop"] = "stopSession",
        ["PUT /v1/sessions/{id}/state"] = "saveSessionState",
        ["GET /v1/sessions/{id}/state"] = "getSessionState",
        ["POST /v1/checks"] = "check",
        ["POST /v1/waits"] = "checkoutOrWait",
        ["GET /v1/waits"] = "listWaits",
        ["GET /v1/waits/{id}"] = "getWait",
        ["POST /v1/waits/{id}/heartbeat"] = "waitHeartbeat",
        ["GET /v1/waits/{id}/events"] = "openWaitEvents",
        ["POST /v1/waits/{id}/session"] = "takeOffer",
        ["DELETE /v1/waits/{id}"] = "leaveLine",
        ["GET /v1/usage/events"] = "listUsageEvents",
        ["GET /v1/usage/events.csv"] = "exportUsageCsv",
        ["GET /v1/usage/licenses/{id}/concurrency"] = "getConcurrency",
        ["GET /v1/usage/licenses/{id}/holders"] = "getHolders",
        ["GET /v1/usage/licenses/{id}/denials"] = "getDenials",
        ["GET /v1/usage/licenses/{id}/limit-warnings"] = "getLimitWarnings",
        ["GET /v1/usage/licenses/{id}/what-if"] = "getWhatIf",
        ["GET /v1/usage/licenses/{id}/right-size"] = "getRightSize",
        ["GET /v1/usage/licenses/{id}/idle-holders"] = "getIdleHolders",
        ["POST /v1/installations"] = "registerInstallation",
        ["GET /v1/installations"] = "listInstallations",
        ["GET /v1/installations/{id}"] = "getInstallation",
        ["PATCH /v1/installations/{id}"] = "allocateInstallation",
        ["POST /v1/installations/{id}/license-file"] = "issueLicenseFile",
        ["POST /v1/installations/{id}/key"] = "replaceInstallationKey",
        ["GET /v1/installations/self"] = "getInstallationSelf",
        ["POST /v1/installations/self/license-file"] = "fetchLicenseFile",
        ["POST /v1/installations/self/taken"] = "reportTakenFile",
        ["GET /v1/installation"] = "getInstallationStatus",
        ["POST /v1/installation/update"] = "updateInstallationLicense",
        ["GET /v1/signing-keys"] = "listSigningKeys",
        ["POST /v1/signing-keys"] = "rotateSigningKey",
        ["GET /v1/audit"] = "listAudit",
    };

    /// <summary>Numeric query parameters: bound as text (so a bad one is a 400 naming it), documented as the integers they must be.</summary>
    private static readonly Dictionary<string, (long Min, long? Max)> IntegerQueries = new(StringComparer.Ordinal)
    {
        ["limit"] = (1, Lists.Paging.MaxLimit),
        ["seats"] = (0, Licenses.LicensesApi.MaxSeats),
        ["maxRefusals"] = (0, null),
        ["maxWaitMinutes"] = (0, Usage.UsageApi.MaxWaitMinutesLimit),
        ["top"] = (1, null),
    };

    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var method = description.HttpMethod ?? "GET";
        var route = "/" + (description.RelativePath ?? "").Trim('/'); // a group's own route ends in '/'

        var key = $"{method} {route}";
        operation.OperationId = Ids.TryGetValue(key, out var id) ? id : null;

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Query && IntegerQueries.TryGetValue(parameter.Name ?? "", out var range))
            {
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer,
                    Format = "int32",
                    Minimum = range.Min.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Maximum = range.Max?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
            }
            if (parameter.In == ParameterLocation.Query && parameter.Name is "from" or "to" or "at")
            {
                // Text, not date-time: the usage reports also read a local date or time in the tenant's zone.
                parameter.Description ??= route.StartsWith("/v1/usage/", StringComparison.Ordinal)
                    ? "A time: an instant with its offset (2026-03-03T09:00:00Z), or a local date or date-time read in the tenant's time zone (2026-03-03, 2026-03-03T10:00)."
                    : "An instant, ISO 8601 (2026-03-03T09:00:00Z; without an offset: UTC).";
            }
            if (parameter.In == ParameterLocation.Query && parameter.Name == "bucket")
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("hour"), JsonValue.Create("day")], Default = JsonValue.Create("day") };
            if (parameter.In == ParameterLocation.Query && parameter.Name == "kind")
                parameter.Schema = OpenApiSchemas.EnumOf(OpenApiSchemas.UsageKinds);
        }

        var metadata = description.ActionDescriptor.EndpointMetadata;
        var authorized = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var readsBody = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body);
        var write = method is "POST" or "PUT" or "PATCH" or "DELETE";
        var hasInput = readsBody || (operation.Parameters?.Any(p => p.In is ParameterLocation.Query || p is { In: ParameterLocation.Header, Name: "Idempotency-Key" }) ?? false);

        operation.Responses ??= [];
        if (!authorized)
        {
            operation.Security = []; // public: no key is asked for (the document's default is the bearer key)
        }
        else
        {
            // Every call with a key: a missing, unknown or revoked key; a key of another role; an address guessing keys.
            Problem(operation, context, ProblemCodes.Unauthorized, "No key, or an unknown or revoked key.");
            Problem(operation, context, ProblemCodes.Forbidden, "This key's role may not call this (see docs/api.md, Authentication).");
            Problem(operation, context, ProblemCodes.TooManyRequests,
                write ? "Too many writes with this key in the last minute, or too many unknown keys from this address." : "Too many unknown keys from this address.",
                retryAfter: true);
        }
        if (hasInput)
            Problem(operation, context, ProblemCodes.InvalidRequest, "The request is not valid: errors names every field at fault.");
        if (readsBody)
        {
            Problem(operation, context, ProblemCodes.RequestTooLarge, "The body is larger than this call reads (docs/api.md, Limits); nothing was read.");
            Problem(operation, context, ProblemCodes.UnsupportedMediaType, "The body is not sent as Content-Type: application/json.");
        }
        if (route.StartsWith("/v1/", StringComparison.Ordinal) || route == "/readyz")
            Problem(operation, context, ProblemCodes.StoreUnavailable, "The database cannot be reached (or an installation's clock moved back); nothing was decided.", retryAfter: true);
        if (route.Contains('{', StringComparison.Ordinal))
            Problem(operation, context, ProblemCodes.NotFound, "No such object, or it belongs to another tenant.");

        // Every error the framework described as a bare ProblemDetails: the one problem+json shape, with a description.
        foreach (var (status, response) in operation.Responses.ToList())
        {
            if (status.Length == 3 && status[0] is '4' or '5' && response is OpenApiResponse problem)
            {
                problem.Content = ProblemContent(context);
                if (problem.Description is null or "" || problem.Description == ReasonPhrase(status))
                    problem.Description = Describe(status);
            }
        }

        if (key == "GET /v1/usage/events.csv" && operation.Responses.TryGetValue("200", out var csv) && csv is OpenApiResponse csvResponse)
        {
            csvResponse.Description = "The usage events as CSV (a header row, then one row per event), streamed.";
            csvResponse.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }
        if (key == "GET /v1/sessions/{id}/events" && operation.Responses.TryGetValue("200", out var sse) && sse is OpenApiResponse sseResponse)
        {
            sseResponse.Description =
                "Server-sent events: one 'ended' event (data: the session as JSON, with endReason) when the session ends, and ': keep-alive' comments between.";
            sseResponse.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/event-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }
        return Task.CompletedTask;
    }

    private static void Problem(OpenApiOperation operation, OpenApiOperationTransformerContext context, ProblemCode code, string description, bool retryAfter = false)
    {
        var status = code.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses!.TryGetValue(status, out var existing) || existing is not OpenApiResponse response)
            operation.Responses[status] = response = new OpenApiResponse();
        response.Description = string.IsNullOrEmpty(response.Description) || response.Description == ReasonPhrase(status)
            ? description
            : response.Description;
        response.Content = ProblemContent(context);
        if (retryAfter)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds to wait before trying again.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            };
        }
    }

    private static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiOperationTransformerContext context) => new()
    {
        ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(OpenApiSchemas.ProblemDetailsName, context.Document) },
    };

    private static string ReasonPhrase(string status) =>
        int.TryParse(status, out var code) ? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code) : "";

    /// <summary>The description of an error status a handler declared itself (the codes it carries are in docs/api.md's table).</summary>
    private static string Describe(string status) => status switch
    {
        "400" => "The request is not valid: errors names every field at fault.",
        "403" => "This key may not do that (its role, or a session token that is missing or wrong: session_token_invalid).",
        "404" => "No such object, or it belongs to another tenant.",
        "409" => "The rules refused (code says why: no_seat_available, license_expired, ...), or the request conflicts with what exists.",
        "410" => "The session has ended: reason, endedAt and sessionId say how.",
        "502" => "The issuer could not be reached or its license file was refused; nothing changed.",
        "503" => "The database cannot be reached (or an installation's clock moved back); nothing was decided.",
        _ => ReasonPhrase(status),
    };
}
