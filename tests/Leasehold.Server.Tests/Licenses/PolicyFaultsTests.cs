using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Licenses;

/// <summary>An operator sends a policy with several mistakes: one 400 names every one by its path, not only the first.</summary>
public sealed class PolicyFaultsTests : HostedTests
{
    private const string Faulty = """
        {"seatKee": "user", "clientTypes": {"web": {"maxSeats": 3, "ttlSeconds": "60", "weight": 0}}, "namedUsers": ["ann", 7]}
        """;

    private static readonly string[] Faults =
        ["policy.seatKee", "policy.clientTypes.web.maxSeats", "policy.clientTypes.web.ttlSeconds", "policy.namedUsers[1]", "policy.clientTypes.web.weight"];

    [Fact]
    public async Task CreatingALicense_WithAPolicyOfManyFaults_ListsThemAll_AndCreatesNothing()
    {
        var tenant = await Host.CreateTenantAsync();
        var before = await Host.SnapshotAsync();

        var reply = await Host.Operator.SendRawAsync(HttpMethod.Post, "/v1/licenses",
            $$"""{"tenantId": "{{tenant}}", "product": "cad", "seats": 2, "policy": {{Faulty}}}""");

        reply.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_request", "policy.seatKee");
        ShouldNameEveryFault(reply.Body);
        await Host.ShouldBeUnchangedSinceAsync(before, "a license with a faulty policy");
    }

    [Fact]
    public async Task ChangingAPolicy_WithManyFaults_ListsThemAll_AndKeepsTheOldOne()
    {
        var tenant = await Host.CreateTenantAsync();
        var license = await Host.CreateLicenseAsync(tenant, seats: 2);

        var reply = await Host.Operator.SendRawAsync(HttpMethod.Patch, $"/v1/licenses/{license}", $$"""{"policy": {{Faulty}}}""");

        reply.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_request", "policy.seatKee");
        ShouldNameEveryFault(reply.Body);
        (await Host.Operator.GetJsonAsync($"/v1/licenses/{license}")).Int("policyVersion").ShouldBe(1);
    }

    private static void ShouldNameEveryFault(JsonElement problem)
    {
        problem.Str("detail").ShouldStartWith("policy.seatKee: Unknown field; the fields here are: seatKey,");
        var errors = problem.GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(Faults, ignoreOrder: true);
        errors.GetProperty("policy.clientTypes.web.ttlSeconds")[0].GetString().ShouldBe("Must be a whole number, not text.");
        errors.GetProperty("policy.clientTypes.web.weight")[0].GetString().ShouldBe("Must be between 1 and 10000.");
        problem.GetRawText().ShouldNotContain("Document");
    }
}
