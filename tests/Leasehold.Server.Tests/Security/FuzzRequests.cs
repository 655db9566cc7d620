using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Security;

/// <summary>Who a fuzzed request is sent as.</summary>
internal enum FuzzKey
{
    None, Malformed, Unknown, Revoked, OtherTenantAdmin, OtherTenantClient, OtherTenantInstallation,
    Operator, Admin, Client, Installation,
}

/// <summary>One generated request, printed as CsCheck reports a (shrunk) failing example.</summary>
internal sealed record FuzzRequest(string Method, string Url, FuzzKey Key, string? Body, string? ContentType, string? Accept,
    string? SessionToken, string? IdempotencyKey)
{
    /// <summary>Keys that may change nothing of tenant A (no key, bad keys, revoked keys, tenant B's keys).</summary>
    public bool MayChangeNothingOfA => Key < FuzzKey.Operator;

    public override string ToString()
    {
        var text = new StringBuilder($"{Method} {Url} as {Key}");
        if (ContentType is not null) text.Append($"; Content-Type: {ContentType}");
        if (Accept is not null) text.Append($"; Accept: {Accept}");
        if (SessionToken is not null) text.Append($"; {SessionTokenJar.Header}: {SessionToken}");
        if (IdempotencyKey is not null) text.Append($"; Idempotency-Key: {IdempotencyKey}");
        if (Body is not null) text.Append($"; body ({Body.Length} chars): {(Body.Length > 600 ? Body[..600] + "..." : Body)}");
        return text.ToString();
    }
}

/// <summary>
/// Generators of well-typed-ish requests for every API route: the route's own method most of the
/// time (another now and then), path ids of tenant A, of tenant B, of nobody or junk; the route's
/// query parameters and its request body's fields as the OpenAPI document (docs/openapi.v1.json)
/// names them, with values of the right type, the wrong type, null, huge, negative, unicode,
/// control characters or deeply nested; missing and extra fields; malformed JSON; odd
/// Content-Type and Accept headers; and every kind of key.
/// </summary>
internal static class FuzzRequests
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private static readonly Gen<string> Junk = Gen.OneOf(
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"], 0, 12],
        Gen.String[Gen.Char, 0, 20],
        Gen.OneOf("", " ", "null", "0", "-1", "99999999999999999999", "1e309", "NaN", "true", "\u0000", "\u202e", "💺", "é", "../..", "%00",
            "'; DROP TABLE tenants; --", "<script>", "a/b", "\uD800", new string('x', 5000)));

    private static readonly Gen<string> Number = Gen.OneOf(
        Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Int[-3, 100].Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Long.Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999"),
        Gen.OneOf("99999999999999999999999999999", "-0", "1e308", "1e-400", "0.5", "9007199254740993", "-2147483649"));

    private static readonly Gen<string> Date = Gen.OneOf(
        Gen.DateTimeOffset.Select(d => d.ToString("O", CultureInfo.InvariantCulture)),
        Gen.OneOf("2026-03-02T09:00:00Z", "2026-03-02", "2026-03-02T10:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-02-30", "yesterday"));

    private static Gen<string> Text(Party a, Party b) => Gen.Frequency(
        (3, Junk),
        (3, Gen.OneOf(a.TenantId, a.LicenseId, a.ConnectionId, a.SessionId, a.InstallationId, a.ClientKeyId, a.CoolingUser,
            b.TenantId, b.LicenseId, b.SessionId, b.ConnectionId, "desktop", "web", "client", "admin", "operator", "installation", "always",
            "business-hours", "session", "user", "hard", "soft", "seat", "check", "none", "day", "hour", "alice", "pc-1")),
        (1, Date));

    private static Gen<string> JsonString(Gen<string> text) => text.Select(t => JsonSerializer.Serialize(t));

    private static Gen<string> Scalar(Party a, Party b) => Gen.Frequency(
        (1, Gen.Const("null")),
        (1, Gen.Bool.Select(v => v ? "true" : "false")),
        (2, Number),
        (4, JsonString(Text(a, b))));

    /// <summary>A JSON value: scalars, arrays and objects, nested up to <paramref name="depth"/>.</summary>
    private static Gen<string> Value(Party a, Party b, int depth, string[] names) => depth == 0
        ? Scalar(a, b)
        : Gen.Frequency(
            (6, Scalar(a, b)),
            (1, Value(a, b, depth - 1, names).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Object(a, b, depth - 1, names)));

    private static Gen<string> Object(Party a, Party b, int depth, string[] names) =>
        Gen.Select(Gen.OneOf(Gen.OneOf(names.Length == 0 ? ["x"] : names), Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"], 0, 8], Gen.OneOf("__proto__", "", "$ref", "tenantID", "SEATS")),
                Value(a, b, depth, names))
            .Array[0, 6]
            .Select(fields => "{" + string.Join(",", fields.Select(f => JsonSerializer.Serialize(f.Item1) + ":" + f.Item2)) + "}");

    /// <summary>A value for a field the schema types as <paramref name="type"/>: mostly of that type, sometimes not.</summary>
    private static Gen<string> FieldValue(Party a, Party b, string type, string[] nestedNames) => Gen.Frequency(
        (5, type switch
        {
            "integer" or "number" => Number,
            "boolean" => Gen.Bool.Select(v => v ? "true" : "false"),
            "object" => Object(a, b, 2, nestedNames),
            "array" => Value(a, b, 1, nestedNames).Array[0, 5].Select(items => "[" + string.Join(",", items) + "]"),
            _ => JsonString(Text(a, b)),
        }),
        (1, Gen.Const("null")),
        (2, Value(a, b, 2, nestedNames)));

    /// <summary>A body built from the route's schema: some of its fields (maybe none, maybe an extra), or something else entirely.</summary>
    private static Gen<string?> Body(Party a, Party b, RouteShape shape)
    {
        var field = shape.Fields.Count == 0
            ? Gen.Const(("extra", "1"))
            : Gen.Select(Gen.Int[0, shape.Fields.Count - 1], Gen.Int[0, 9],
                    (i, extra) => (Field: extra == 0 ? "extraField" : shape.Fields[i].Name, Type: shape.Fields[i].Type))
                .SelectMany(f => FieldValue(a, b, f.Type, shape.NestedNames).Select(v => (f.Field, v)));
        var fromSchema = field.Array[0, shape.Fields.Count + 1]
            .Select(fields => "{" + string.Join(",", fields.Select(f => JsonSerializer.Serialize(f.Item1) + ":" + f.Item2)) + "}");
        return Gen.Frequency(
            (12, fromSchema.Select(s => (string?)s)),
            (2, Gen.Const((string?)null)),
            (2, Value(a, b, 3, shape.NestedNames).Select(s => (string?)s)),
            (1, Gen.Int[1, 5000].Select(n => (string?)(new string('[', n) + new string(']', n)))),
            (1, Gen.Int[1, 3000].Select(n => (string?)(string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + new string('}', n)))),
            (1, Gen.String[Gen.Char, 0, 60].Select(s => (string?)s)),
            (1, fromSchema.Select(s => (string?)(s.Length > 2 ? s[..^1] : s + "{"))));
    }

    private static Gen<string> Query(Party a, Party b, RouteShape shape)
    {
        var names = shape.Query.Concat(["limit", "cursor", "from", "to", "tenantId", "x"]).Distinct().ToArray();
        var pair = Gen.Select(Gen.OneOf(names), Gen.Frequency((3, Text(a, b)), (2, Number), (1, Date)),
            (name, value) => Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
        return Gen.Frequency(
            (3, Gen.Const("")),
            (5, pair.Array[1, 4].Select(p => "?" + string.Join("&", p))),
            (1, Gen.OneOf("?", "?&&", "?limit", "?=1", "?%ZZ=1", "?limit=1&limit=2", "?a=%00")));
    }

    private static Gen<string> PathValue(string real, Party b, string nobody) => Gen.Frequency(
        (8, Gen.Const(real)),
        (1, Gen.Const(nobody)),
        (1, Gen.OneOf(b.TenantId, b.LicenseId, b.SessionId, b.InstallationId, b.ConnectionId)),
        // Not NUL: Kestrel refuses a path with a NUL in it (escaped or not) itself, 400 with no body,
        // before the application sees the request: no problem+json can be given there.
        (2, Junk.Select(j => Uri.EscapeDataString(j.Replace("\0", "", StringComparison.Ordinal)).Replace("%00", "", StringComparison.Ordinal))));

    private static Gen<string> Path(ApiRoute route, Party a, Party b)
    {
        var real = a.PathOf(route).Split('/');
        var nobody = Party.Nobody.PathOf(route).Split('/');
        var template = route.Pattern.Split('/');
        Gen<string[]> parts = Gen.Const(Array.Empty<string>());
        for (var i = 0; i < template.Length; i++)
        {
            var index = i;
            var segment = template[i].StartsWith('{') ? PathValue(real[index], b, nobody[index]) : Gen.Const(template[i]);
            parts = parts.SelectMany(done => segment.Select(s => (string[])[.. done, s]));
        }
        return parts.Select(p => string.Join('/', p));
    }

    private static readonly Gen<string?> ContentTypes = Gen.Frequency(
        (10, Gen.Const<string?>("application/json")),
        (1, Gen.Const((string?)null)),
        (2, Gen.OneOf<string?>("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
            "application/problem+json", "application/merge-patch+json", "text/csv", "garbage", "application/json; charset=\"nope\"", "*/*")));

    private static readonly Gen<string?> Accepts = Gen.Frequency(
        (6, Gen.Const((string?)null)),
        (4, Gen.OneOf<string?>("application/json", "text/csv", "text/html", "text/event-stream", "*/*", "application/xml", "garbage/;;",
            "application/problem+json", "text/plain;q=0.1, application/json;q=0", "image/png")));

    /// <summary>
    /// The keys, evenly, but a never-issued key of the right shape only 1 time in 3,000: each costs the
    /// server a slow hash (it could be the human-chosen operator key; docs/security.md, Stored secrets),
    /// one at a time by design, so many would spend the run's budget waiting on that gate.
    /// </summary>
    private static Gen<FuzzKey> KeyOf(FuzzKey[] keys) => keys.Contains(FuzzKey.Unknown)
        ? Gen.Frequency((2999, Gen.OneOf(keys.Where(k => k != FuzzKey.Unknown).ToArray())), (1, Gen.Const(FuzzKey.Unknown)))
        : Gen.OneOf(keys);

    public static Gen<FuzzRequest> For(IReadOnlyList<ApiRoute> routes, IReadOnlyDictionary<string, RouteShape> shapes, Party a, Party b, FuzzKey[] keys) =>
        Gen.Int[0, routes.Count - 1].SelectMany(i =>
        {
            var route = routes[i];
            var shape = shapes.GetValueOrDefault(route.ToString()) ?? RouteShape.Empty;
            var method = Gen.Frequency((9, Gen.Const(route.Method)), (1, Gen.OneOf(Methods)));
            var url = Gen.Select(Path(route, a, b), Query(a, b, shape), (p, q) => p + q);
            var token = Gen.Frequency((3, Gen.Const((string?)null)), (3, Gen.Const<string?>(a.SessionToken)), (1, Gen.Const<string?>(b.SessionToken)),
                (2, Gen.Const<string?>(a.WaitToken)), (1, Junk.Select(j => (string?)j)));
            var idempotency = Gen.Frequency((6, Gen.Const((string?)null)), (1, Junk.Select(j => (string?)j)));
            return Gen.Select(method, url, KeyOf(keys), Body(a, b, shape), ContentTypes, Accepts, Gen.Select(token, idempotency),
                (m, u, k, body, type, accept, headers) => new FuzzRequest(m, u, k, body, body is null ? null : type, accept, headers.Item1, headers.Item2));
        });
}

/// <summary>The fields of a route's request body and its query parameters, from the OpenAPI document.</summary>
internal sealed record RouteShape(IReadOnlyList<(string Name, string Type)> Fields, string[] NestedNames, string[] Query)
{
    public static RouteShape Empty { get; } = new([], [], []);

    /// <summary>Every operation's shape in docs/openapi.v1.json, by "METHOD /path".</summary>
    public static IReadOnlyDictionary<string, RouteShape> FromOpenApi()
    {
        var document = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("docs", "openapi.v1.json")))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var allNames = schemas.SelectMany(s => s.Value?["properties"]?.AsObject().Select(p => p.Key) ?? []).Distinct().ToArray();
        var shapes = new Dictionary<string, RouteShape>();
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var query = operation!["parameters"]?.AsArray().Where(p => (string?)p!["in"] == "query")
                    .Select(p => (string)p!["name"]!).ToArray() ?? [];
                var schema = Resolve(operation["requestBody"]?["content"]?["application/json"]?["schema"], schemas);
                var fields = schema?["properties"]?.AsObject()
                    .Select(p => (p.Key, TypeOf(Resolve(p.Value, schemas)))).ToList() ?? [];
                shapes[$"{method.ToUpperInvariant()} {path}"] = new RouteShape(fields, allNames, query);
            }
        }
        return shapes;
    }

    private static JsonNode? Resolve(JsonNode? schema, JsonObject schemas)
    {
        for (var i = 0; i < 5 && schema is not null; i++)
        {
            if (schema["$ref"] is { } reference)
                schema = schemas[((string)reference!).Split('/')[^1]];
            else if (schema["oneOf"] is JsonArray options)
                schema = options.FirstOrDefault(o => o?["type"]?.ToString() != "null");
            else
                return schema;
        }
        return schema;
    }

    private static string TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray types => types.Select(t => (string?)t).FirstOrDefault(t => t != "null") ?? "string",
        JsonValue type => (string?)type ?? "string",
        _ => schema?["properties"] is not null ? "object" : "string",
    };
}
