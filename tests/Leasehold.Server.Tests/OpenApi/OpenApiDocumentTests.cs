using System.Text.Json;
using System.Text.Json.Nodes;
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
}
