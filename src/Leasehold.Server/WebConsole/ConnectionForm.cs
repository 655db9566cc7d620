using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.WebConsole;

/// <summary>A connection as its form posts it: the fields of POST and PUT /v1/connections, as typed.</summary>
internal sealed class ConnectionForm
{
    public string? TenantId { get; set; }

    public string? Name { get; set; }

    /// <summary>Blank: no shared e-mail (PUT removes one).</summary>
    public string? Email { get; set; }

    /// <summary>JSON: a preset in quotes (<c>"business-hours"</c>, <c>"always"</c>) or a plan document.</summary>
    public string? AccessPlan { get; set; }

    /// <summary>Name and e-mail as the API's body; the access plan is added from <see cref="Plan"/>.</summary>
    public JsonObject Body()
    {
        var body = new JsonObject { ["name"] = Name ?? "" };
        if (!string.IsNullOrWhiteSpace(Email))
            body["email"] = Email;
        return body;
    }

    /// <summary>The access plan typed; false and the problem when it is not JSON.</summary>
    public bool TryPlan(out JsonNode? plan, out ProblemHttpResult? problem) => ApiForms.TryDocument(AccessPlan, "accessPlan", out plan, out problem);
}
