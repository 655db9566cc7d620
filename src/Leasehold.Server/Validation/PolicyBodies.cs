using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Policies;

namespace Leasehold.Server.Validation;

/// <summary>
/// Every fault of a license's policy in one 400, as <c>leasehold policy validate</c> lists them. The body
/// binds to <see cref="PolicyDocument"/>, which stops at the first misshapen field (an unknown field, a
/// value of the wrong type); when that field is in the policy, the policy is read again from the buffered
/// body by <see cref="PolicyReader"/> and the policy's rules, and the answer's <c>errors</c> names every
/// fault by its path (<c>policy.clientTypes.web.maxSeats</c>), the first in <c>field</c> and <c>detail</c>.
/// </summary>
internal static class PolicyBodies
{
    /// <summary>Keeps the endpoint's body readable again after binding (in memory, on disk beyond 30 KB; within the call's body limit).</summary>
    public static TBuilder ReadsPolicy<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var next = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = context =>
            {
                context.Request.EnableBuffering();
                return next(context);
            };
        });
        return builder;
    }

    /// <summary>Every fault of the body's policy when <paramref name="json"/> failed inside it; null otherwise (the answer names that one field).</summary>
    public static async Task<List<FieldError>?> FaultsAsync(HttpContext context, JsonException? json)
    {
        if (!InPolicy(json) || !context.Request.Body.CanSeek)
            return null;
        try
        {
            context.Request.Body.Position = 0;
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return Faults(body.RootElement, json);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    /// <summary>Every fault of the policy in <paramref name="body"/> when <paramref name="json"/> (its binding's failure) was inside it; null otherwise.</summary>
    public static List<FieldError>? Faults(JsonElement body, JsonException? json)
    {
        if (!InPolicy(json) || body.ValueKind != JsonValueKind.Object)
            return null;
        var policy = body.EnumerateObject().LastOrDefault(p => p.Name.Equals("policy", StringComparison.OrdinalIgnoreCase));
        if (policy.Name is null)
            return null;
        var errors = new List<FieldError>();
        PolicyValidation.Build(PolicyReader.Read(policy.Value, "policy", errors), "policy", errors);
        return errors.Count > 0 ? errors : null;
    }

    private static bool InPolicy(JsonException? json) =>
        json?.Path is { } path && path.StartsWith("$.policy", StringComparison.OrdinalIgnoreCase) && (path.Length == 8 || path[8] is '.' or '[');
}
