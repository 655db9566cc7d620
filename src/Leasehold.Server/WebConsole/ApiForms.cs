using System.Text.Json;
using System.Text.Json.Nodes;
using Leasehold.Core;
using Leasehold.Server.Errors;
using Leasehold.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.WebConsole;

/// <summary>
/// A console form's way into the API: its values become the very body the API would bind (read with
/// the API's own JSON options, so an unknown field or a wrong type is refused in the API's words), then
/// checked by the request's own rules (<see cref="RequestValidation.Check"/>). The page calls the
/// handler with what comes out; every fault is the API's own problem, so no rule lives in a page.
/// </summary>
internal static class ApiForms
{
    /// <summary>The request in <paramref name="body"/>, or null and the problem the API would answer.</summary>
    public static T? Bind<T>(JsonObject body, JsonSerializerOptions options, out ProblemHttpResult? problem) where T : class
    {
        T? request;
        try
        {
            request = body.Deserialize<T>(options);
        }
        catch (JsonException e)
        {
            if (PolicyBodies.Faults(JsonSerializer.SerializeToElement(body), e) is { } faults)
            {
                problem = Problems.Invalid(faults); // a policy's every fault, as the API answers them
                return null;
            }
            var (field, detail) = ProblemSetup.DescribeBody(e);
            problem = Problems.Of(ProblemCodes.InvalidRequest, detail, new Dictionary<string, object?> { ["field"] = field });
            return null;
        }
        if (request is null)
        {
            problem = Problems.Of(ProblemCodes.InvalidRequest, ProblemSetup.DescribeBody(null).Detail);
            return null;
        }
        var errors = RequestValidation.Check(request);
        problem = errors.Count > 0 ? Problems.Invalid(errors) : null;
        return problem is null ? request : null;
    }

    /// <summary>
    /// A JSON document typed into a text area (a policy, an access plan) as the value of <paramref name="field"/>
    /// (<c>null</c> typed is the JSON null); false and a problem naming the field when it is not JSON
    /// (repeated fields are refused, as the API refuses them).
    /// </summary>
    public static bool TryDocument(string? text, string field, out JsonNode? document, out ProblemHttpResult? problem)
    {
        problem = null;
        try
        {
            document = JsonNode.Parse(text ?? "", documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            return true;
        }
        catch (JsonException e)
        {
            (document, problem) = (null, Problems.Invalid(field, "Not valid JSON: " + e.Message));
            return false;
        }
    }
}

/// <summary>What a form shows of an API problem: its detail at the top, and each field's messages next to the field.</summary>
public sealed record FormProblem(string Detail, IReadOnlyDictionary<string, string[]> Fields)
{
    public static FormProblem From(ProblemHttpResult problem)
    {
        var details = problem.ProblemDetails;
        var detail = details.Detail ?? details.Title ?? "The request was refused.";
        if (details.Extensions.TryGetValue("errors", out var errors) && errors is IReadOnlyDictionary<string, string[]> byField)
            return new FormProblem(detail, byField);
        if (details.Extensions.TryGetValue("field", out var field) && field is string name)
            return new FormProblem(detail, new Dictionary<string, string[]> { [name] = [detail] });
        return new FormProblem(detail, new Dictionary<string, string[]>());
    }

    /// <summary>The messages of <paramref name="field"/> and of the fields inside it (<c>policy</c>: also <c>policy.plan.maxSeats</c>), each with its path.</summary>
    public IEnumerable<FieldError> Under(string field) => Fields
        .Where(f => f.Key == field || f.Key.StartsWith(field + ".", StringComparison.Ordinal) || f.Key.StartsWith(field + "[", StringComparison.Ordinal))
        .SelectMany(f => f.Value.Select(message => new FieldError(f.Key, message)));
}
