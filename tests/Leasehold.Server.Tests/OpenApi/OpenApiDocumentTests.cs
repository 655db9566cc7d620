using System.Text.Json;
using System.Text.Json.Nodes;
using Leasehold.Server.Errors;
using Leasehold.Server.Tests.Security;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.OpenApi;

public sealed class OpenApiDocumentTests
{
    /// <summary>
    /// docs/openapi.v1.json is the committed copy of /openapi/v1.json. When the API changes on
    /// purpose, regenerate it: LEASEHOLD_UPDATE_OPENAPI=1 dotnet test --filter OpenApi
    /// </summary>
    [Fact]
    public async Task CommittedOpenApiDocument_MatchesWhatTheServerServes()
    {
        await using var host = await TestHost.StartAsync();
        using var anonymous = host.Client();
        var served = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var pretty = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var path = RepoPaths.Of("docs", "openapi.v1.json");

        if (Environment.GetEnvironmentVariable("LEASEHOLD_UPDATE_OPENAPI") == "1")
            await File.WriteAllTextAsync(path, pretty);

        File.Exists(path).ShouldBeTrue($"{path} is missing: run LEASEHOLD_UPDATE_OPENAPI=1 dotnet test --filter OpenApi");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        JsonNode.DeepEquals(served, committed).ShouldBeTrue(
            "docs/openapi.v1.json is out of date: run LEASEHOLD_UPDATE_OPENAPI=1 dotnet test --filter OpenApi and commit the result.");
        served["paths"]!.AsObject().Select(p => p.Key).ShouldContain("/v1/sessions/{id}/heartbeat");
    }

    /// <summary>
    /// What generated clients rely on, checked on the committed document (which the test above keeps equal to
    /// the served one): an operationId on every operation, unique; every error answer problem+json with the one
    /// ProblemDetails schema, whose code lists every code of the catalogue; the public routes without security.
    /// </summary>
    [Fact]
    public async Task TheDocument_NamesEveryOperation_AndDescribesEveryErrorAsTheServerWritesIt()
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.Of("docs", "openapi.v1.json")))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Key: $"{op.Key.ToUpperInvariant()} {path.Key}", Operation: op.Value!)))
            .ToList();

        var ids = operations.Select(o => (string?)o.Operation["operationId"]).ToList();
        ids.ShouldAllBe(id => id != null && char.IsLower(id[0]) && !id.Contains('_'), "every operation has a camelCase operationId");
        ids.Distinct().Count().ShouldBe(ids.Count, "operationIds are unique");

        foreach (var (key, operation) in operations)
        {
            foreach (var (status, response) in operation["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
            {
                var content = response!["content"]?.AsObject();
                content.ShouldNotBeNull($"{key} {status} has no content");
                content.Select(c => c.Key).ShouldBe(["application/problem+json"], $"{key} {status}");
                ((string?)content["application/problem+json"]!["schema"]!["$ref"]).ShouldBe("#/components/schemas/ProblemDetails", $"{key} {status}");
            }
            var isPublic = ApiRoutes.Public.ContainsKey(key);
            if (isPublic)
                operation["security"]!.AsArray().ShouldBeEmpty($"{key} needs no key");
            else
                operation["responses"]!.AsObject().Select(r => r.Key).ShouldContain("403", $"{key}: a key of another role is answered 403");
        }

        var schemas = document["components"]!["schemas"]!.AsObject();
        schemas.Select(s => s.Key).ShouldNotContain("JsonElement");
        var problem = schemas["ProblemDetails"]!;
        problem["additionalProperties"].ShouldBeNull("a problem may carry more fields than listed");
        problem["properties"]!.AsObject().Select(p => p.Key).ShouldBeSubsetOf(
            ["type", "title", "status", "detail", "instance", "code", "traceId", "field", "errors", "retryAfter", "message", "client", "seatsInUse",
             "seatLimit", "opensAt", "until", "reason", "endedAt", "sessionId", "borrowedUntil", "limit", "maxSeats"]);
        problem["properties"]!.AsObject().Select(p => p.Key).ShouldContain("code");
        schemas["ProblemCode"]!["enum"]!.AsArray().Select(c => (string?)c).ShouldBe(ProblemCodes.All.Select(c => c.Code), ignoreOrder: true);
        document["servers"]!.AsArray().Select(s => (string?)s!["url"]).ShouldBe(["http://localhost:5000"]);
    }
}
