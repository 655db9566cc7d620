using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Leasehold.Core;
using Leasehold.Core.Access;
using Leasehold.Core.Policies;
using Leasehold.Server.Errors;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Leasehold.Server.Hosting;

/// <summary>
/// What the OpenAPI document says of the shapes beyond what reflection gives: the problem+json answer as
/// the server writes it (with <c>code</c>, <c>traceId</c>, <c>field</c>, <c>errors</c> and the rest), the
/// closed sets of words as enums, which request fields are really required (the field rules'
/// view, not the C# nullability), and arbitrary JSON named for what it is.
/// </summary>
internal static class OpenApiSchemas
{
    public const string ProblemDetailsName = "ProblemDetails";

    /// <summary>The schema name of a field that takes any JSON value (a saved state, an audit record's before and after).</summary>
    public const string AnyJsonName = "AnyJson";

    public static readonly string[] UsageKinds = ["admitted", "denied", "checked", "ended"];

    /// <summary>The closed sets of words the API answers or takes, each a schema of its own.</summary>
    private static readonly Dictionary<string, (string Description, string[] Values)> Enums = new(StringComparer.Ordinal)
    {
        ["ProblemCode"] = ("Every code the server's catalogue gives an error answer (docs/api.md, Errors).", [.. ProblemCodes.All.Select(c => c.Code)]),
        ["SessionStatus"] = ("Whether the session holds its seats.", ["active", "ended"]),
        ["EndReason"] = ("Why a session ended.", [.. Enum.GetValues<Core.Sessions.EndReason>().Select(Codes.Of)]),
        ["KeyRole"] = ("An API key's role.", [.. Enum.GetValues<Storage.ApiKeyRole>().Select(r => r.ToString().ToLowerInvariant())]),
        ["CreatableKeyRole"] = ("The role of a key made through the API (installation keys come with their installation).", ["client", "admin", "operator"]),
        ["UsageKind"] = ("What a usage event records.", UsageKinds),
        ["Bucket"] = ("The size of a report's buckets, in the tenant's calendar.", ["hour", "day"]),
        ["LimitMode"] = ("Hard: refuse at the limit; soft: admit beyond it up to the overage and warn.", ["hard", "soft"]),
        ["WarningCode"] = ("A warning an admitted answer carries.", [Codes.OverLimit, Codes.LicenseExpiring, Codes.LicenseInGrace, Codes.AccessWindowClosed]),
        ["SeatKey"] = ("What makes one seat: sessions sharing a key share the seat.", [.. SeatKeyNames.All]),
        ["Consumption"] = ("How a client type uses the license.", ["seat", "check", "none"]),
        ["OnWindowClose"] = ("What happens to sessions when their connection's access window closes.", ["end", "warn"]),
        ["AccessPlanKind"] = ("An access plan's kind.", [.. AccessPlanKinds.All]),
        ["AccessPlanPreset"] = ("A named access plan.", [.. AccessPlanDocument.Presets]),
        ["Weekday"] = ("A day of the week.", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
        ["WaitStatus"] = ("Where a place in the waiting line stands: waiting, a seat held for it (offered), or over (ended).", ["waiting", "offered", "ended"]),
        ["WaitEndReason"] = ("Why a place in the waiting line ended.", [.. Enum.GetValues<Core.Queue.WaitEnd>().Select(Codes.Of)]),
    };

    /// <summary>Which property of which schema takes which enum.</summary>
    private static readonly (string Schema, string Property, string Enum)[] EnumProperties =
    [
        ("SessionResponse", "status", "SessionStatus"),
        ("SessionResponse", "endReason", "EndReason"),
        ("ApiKeyResponse", "role", "KeyRole"),
        ("AuditActorResponse", "role", "KeyRole"),
        ("CreateApiKeyRequest", "role", "CreatableKeyRole"),
        ("UsageEventResponse", "kind", "UsageKind"),
        ("OutcomeResponse", "kind", "UsageKind"),
        ("ConcurrencyResponse", "bucket", "Bucket"),
        ("LimitWarningsResponse", "limitMode", "LimitMode"),
        ("LimitDocument", "mode", "LimitMode"),
        ("WarningResponse", "code", "WarningCode"),
        ("PolicyDocument", "seatKey", "SeatKey"),
        ("ClientTypeDocument", "consumption", "Consumption"),
        ("ConnectionsDocument", "onWindowClose", "OnWindowClose"),
        ("AccessPlanDocument", "kind", "AccessPlanKind"),
        ("WaitResponse", "status", "WaitStatus"),
        ("WaitResponse", "endReason", "WaitEndReason"),
    ];

    /// <summary>Request fields with no field rule that the request's own check requires all the same.</summary>
    private static readonly HashSet<(Type, string)> RequiredByCheck =
    [
        (typeof(Connections.CreateConnectionRequest), nameof(Connections.CreateConnectionRequest.AccessPlan)),
        (typeof(Connections.ReplaceConnectionRequest), nameof(Connections.ReplaceConnectionRequest.AccessPlan)),
        (typeof(Sessions.HeartbeatsBody), nameof(Sessions.HeartbeatsBody.Sessions)),
    ];

    public static JsonSchemaType? WithoutNull(JsonSchemaType? type) => type is { } t ? t & ~JsonSchemaType.Null : null;

    public static OpenApiSchema EnumOf(IEnumerable<string> values, string? description = null) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };

    /// <summary>
    /// A request record's <c>required</c> as its field rules see it: a field is required when its first rule refuses it
    /// left out (<c>[Text]</c>, <c>[WholeNumber]</c>, <c>[OneOf]</c> without <c>Optional</c>); every other field may be left out.
    /// A required field may not be null either.
    /// </summary>
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        if (context.JsonPropertyInfo is not null || type.Assembly != typeof(OpenApiSchemas).Assembly
            || !(type.Name.EndsWith("Request", StringComparison.Ordinal) || type.Name.EndsWith("Body", StringComparison.Ordinal)))
            return Task.CompletedTask;

        var required = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            var member = property.AttributeProvider as MemberInfo;
            var rules = member?.GetCustomAttributes<RequestRule>(inherit: true).ToArray() ?? [];
            object? nothing = null;
            var isRequired = (rules.Length > 0 && rules[0].Check(ref nothing) is not null)
                || (member is not null && RequiredByCheck.Contains((type, member.Name)));
            if (!isRequired)
                continue;
            required.Add(property.Name);
            if (schema.Properties?.TryGetValue(property.Name, out var field) == true && field is OpenApiSchema plain)
                plain.Type = WithoutNull(plain.Type);
        }
        schema.Required = required;
        return Task.CompletedTask;
    }

    /// <summary>The components the document transformer completes: problem+json, enums, arbitrary JSON.</summary>
    public static void Complete(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        foreach (var (name, (description, values)) in Enums)
            schemas[name] = EnumOf(values, description);
        schemas[ProblemDetailsName] = ProblemDetails(document);
        DescribeTags(document);

        foreach (var (schemaName, propertyName, enumName) in EnumProperties)
        {
            if (Get(schemas, schemaName) is not OpenApiSchema owner || Get(owner.Properties, propertyName) is not OpenApiSchema property)
                throw new InvalidOperationException($"The OpenAPI document has no {schemaName}.{propertyName} to give the enum {enumName}: update OpenApiSchemas.");
            owner.Properties![propertyName] = Ref(document, enumName, nullable: property.Type?.HasFlag(JsonSchemaType.Null) == true, property.Description);
        }
        if (Get(schemas, "WeeklyWindowDocument") is OpenApiSchema window && Get(window.Properties, "days") is OpenApiSchema days)
            days.Items = new OpenApiSchemaReference("Weekday", document);

        // A batch of heartbeats answers, per session, the session or the problem its single heartbeat would.
        if (Get(schemas, "HeartbeatsResponse") is OpenApiSchema batch && Get(batch.Properties, "items") is OpenApiSchema items)
        {
            schemas["HeartbeatError"] = HeartbeatError(document);
            items.Items = new OpenApiSchema
            {
                AnyOf = [new OpenApiSchemaReference("SessionResponse", document), new OpenApiSchemaReference("HeartbeatError", document)],
            };
        }

        if (Get(schemas, AnyJsonName) is OpenApiSchema any)
            any.Description = "Any JSON value.";
        // An access plan is given as a preset's name or as a plan document.
        foreach (var request in new[] { "CreateConnectionRequest", "UpdateConnectionRequest", "ReplaceConnectionRequest" })
        {
            if (Get(schemas, request) is OpenApiSchema owner && owner.Properties is { } properties && properties.ContainsKey("accessPlan"))
            {
                var required = owner.Required?.Contains("accessPlan") == true;
                properties["accessPlan"] = new OpenApiSchema
                {
                    Description = "A preset's name (business-hours, always) or an access plan document (docs/policies.md)." + (required ? "" : " Left out or null: unchanged."),
                    AnyOf = required
                        ? [new OpenApiSchemaReference("AccessPlanPreset", document), new OpenApiSchemaReference("AccessPlanDocument", document)]
                        : [new OpenApiSchema { Type = JsonSchemaType.Null }, new OpenApiSchemaReference("AccessPlanPreset", document), new OpenApiSchemaReference("AccessPlanDocument", document)],
                };
            }
        }
    }

    /// <summary>What each tag of operations is about.</summary>
    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        ["Health"] = "Liveness and readiness probes for load balancers and orchestrators; no key.",
        ["Tenants"] = "Customer organizations: the operator creates them.",
        ["Licenses"] = "A tenant's right to a product: seats, dates and the policy (docs/policies.md).",
        ["Sessions"] = "Seats: checkout, heartbeat, sign-off, the push channel, saved state; checks; an admin's stops and cool-downs.",
        ["Connections"] = "Shared access credentials with an access plan (weekly windows, maintenance).",
        ["API keys"] = "Keys of the four roles: operator, admin, client, installation.",
        ["Usage"] = "The usage history (JSON and CSV) and the reports over it.",
        ["Installations"] = "A company license split across installations that run offline (docs/installations.md).",
        ["Installation mode"] = "A server running as an installation: its license file and updates from the issuer.",
        ["Signing keys"] = "The keys license files and borrowed-seat leases are signed with, and the JWKS to verify them.",
        ["Audit"] = "Every change an admin or operator made, in a hash chain per tenant.",
    };

    /// <summary>The tags with their descriptions, the probes under one tag of their own (not the assembly's name).</summary>
    public static void DescribeTags(OpenApiDocument document)
    {
        foreach (var path in new[] { "/healthz", "/readyz" })
        {
            if (document.Paths.TryGetValue(path, out var item) && item.Operations is { } operations)
            {
                foreach (var operation in operations.Values)
                    operation.Tags = new HashSet<OpenApiTagReference> { new("Health", document) };
            }
        }
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
    }

    private static IOpenApiSchema? Get(IDictionary<string, IOpenApiSchema>? schemas, string name) =>
        schemas is not null && schemas.TryGetValue(name, out var schema) ? schema : null;

    private static IOpenApiSchema Ref(OpenApiDocument document, string name, bool nullable, string? description)
    {
        var reference = new OpenApiSchemaReference(name, document);
        return nullable
            ? new OpenApiSchema { Description = description, OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] }
            : description is null ? reference : new OpenApiSchema { Description = description, AllOf = [reference] };
    }

    /// <summary>One refused item of a batch of heartbeats (Sessions/SessionsApi.Heartbeats.cs): the fields of its single heartbeat's problem.</summary>
    private static OpenApiSchema HeartbeatError(OpenApiDocument document)
    {
        OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A session's heartbeat refused in a batch: 404 not_found (also another tenant's), 403 session_token_invalid, 410 session_ended with its reason.",
            Required = new HashSet<string>(StringComparer.Ordinal) { "id", "status", "code", "title", "detail" },
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["id"] = Text("The session's id, as the item named it."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The status its single heartbeat would answer." },
                ["code"] = new OpenApiSchemaReference("ProblemCode", document),
                ["title"] = Text("A short summary of the kind of problem."),
                ["detail"] = Text("What went wrong, for people."),
                ["field"] = Text("The item's field at fault (sessions[3].sessionToken, sessions[4].id)."),
                ["reason"] = new OpenApiSchema { AllOf = [new OpenApiSchemaReference("EndReason", document)], Description = "Why the session ended (410 only)." },
                ["endedAt"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "When the session ended (410 only)." },
            },
        };
    }

    /// <summary>RFC 9457 problem details as Leasehold writes them (Errors/Problems, ProblemSetup): the five standard fields and its own.</summary>
    private static OpenApiSchema ProblemDetails(OpenApiDocument document)
    {
        OpenApiSchema Text(string description, bool nullable = false) =>
            new() { Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String, Description = description };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An error answer (RFC 9457 problem+json). Branch on code, never on title or detail. Some answers carry more fields than listed (the refused checkout's seatsInUse and seatLimit, say): they are described in docs/api.md.",
            Required = new HashSet<string>(StringComparer.Ordinal) { "title", "status", "code", "traceId" },
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["type"] = Text("A URI reference naming the kind of problem (RFC 9110's section for the status).", nullable: true),
                ["title"] = Text("A short summary of the kind of problem."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
                ["detail"] = Text("What went wrong this time, for people.", nullable: true),
                ["instance"] = Text("The request's path, when given.", nullable: true),
                ["code"] = new OpenApiSchema
                {
                    Description = "The stable machine-readable code: one of the catalogue's, or, for a refused checkout, a client type's own denialCode (a policy setting).",
                    AnyOf = [new OpenApiSchemaReference("ProblemCode", document), new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[a-z][a-z0-9_]{0,63}$" }],
                },
                ["traceId"] = Text("The request's trace id, as the server's log records it."),
                ["field"] = Text("The request field (or header) at fault, where there is one: a JSON path such as policy.clientTypes.desktop.weight.", nullable: true),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "400 invalid_request: every field at fault, with what is wrong with it.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
                ["retryAfter"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "429: the seconds to wait, as in the Retry-After header." },
                ["message"] = Text("409 refusal of a checkout: the message for the user (the client type's).", nullable: true),
                ["client"] = Text("409 refusal of a checkout: the client type asked for.", nullable: true),
                ["seatsInUse"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32", Description = "409 refusal of a checkout: seats in use." },
                ["seatLimit"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32", Description = "409 refusal of a checkout: the seat limit." },
                ["opensAt"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time", Description = "409 outside_access_window: when the connection's window opens." },
                ["until"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time", Description = "409 stopped_recently: when the cool-down ends." },
                ["reason"] = new OpenApiSchema { Description = "410 session_ended: why the session ended.", AllOf = [new OpenApiSchemaReference("EndReason", document)] },
                ["endedAt"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time", Description = "410 session_ended: when it ended." },
                ["sessionId"] = Text("410 session_ended: the session.", nullable: true),
                ["borrowedUntil"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time", Description = "409 session_borrowed: until when the seat is borrowed." },
                ["limit"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32", Description = "409 quota_exceeded: the quota." },
                ["maxSeats"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32", Description = "409 allocation_exceeds_license: the most seats the installation can be given." },
            },
        };
    }
}
