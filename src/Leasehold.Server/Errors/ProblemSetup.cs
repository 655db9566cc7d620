using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Leasehold.Server.Errors;

/// <summary>Makes every error, including the framework's own (404 route, 405, bad JSON), one problem+json shape.</summary>
internal static class ProblemSetup
{
    public static IServiceCollection AddLeaseholdProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.TryAdd("code", ProblemCodes.ForStatus(status).Code);
            if (status == StatusCodes.Status415UnsupportedMediaType && problem.Detail is null)
            {
                problem.Detail = "Send the body as JSON with the header 'Content-Type: application/json'.";
                problem.Extensions.TryAdd("field", "Content-Type");
            }
            if (status == StatusCodes.Status413PayloadTooLarge && problem.Detail is null)
            {
                problem.Detail = TooLarge(context.HttpContext);
                problem.Extensions.TryAdd("field", "body");
            }
            problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        });
        services.AddSingleton<IProblemDetailsWriter, AnyAcceptWriter>(); // after the framework's JSON writer: consulted when that one declines
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<StoreUnavailableHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>
    /// The problem+json answer whatever the request's <c>Accept</c> says. The framework's writer
    /// declines a request that accepts only <c>text/event-stream</c>, <c>text/csv</c> or
    /// <c>text/html</c>, and an error with no writer became a 500 with an empty body and a logged
    /// stack trace. An error has one shape; a client that cannot read it still gets its status.
    /// </summary>
    private sealed class AnyAcceptWriter(Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> options,
        Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) => true;

        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            var problem = context.ProblemDetails;
            var http = context.HttpContext;
            problem.Status ??= http.Response.StatusCode;
            problem.Title ??= ProblemCodes.ForStatus(problem.Status.Value).Title;
            options.Value.CustomizeProblemDetails?.Invoke(context);
            return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, "application/problem+json"));
        }
    }

    /// <summary>
    /// What is wrong with a body that did not bind (<paramref name="json"/> null: there was none), and
    /// the field at fault: the API's words, also for the console's forms that bind a body themselves.
    /// </summary>
    public static (string Field, string Detail) DescribeBody(JsonException? json)
    {
        var field = json?.Path is { Length: > 2 } path ? path[2..] : "body";
        var detail = json is null
            ? "A JSON body is required (Content-Type: application/json)."
            : json.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"Unknown field '{field}'. See docs/api.md for the fields this call takes."
                : json.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)
                ? $"The field '{field}' is given more than once."
                : json.Message.Contains("could not be converted", StringComparison.Ordinal)
                    ? $"The value of '{field}' has the wrong type. See docs/api.md for the fields this call takes."
                    : $"The body is not valid JSON: {FirstSentence(json.Message)}";
        return (field, detail);
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }

    /// <summary>The 413's detail: the limit of the call (its own, docs/api.md "Limits", or the server's).</summary>
    private static string TooLarge(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        return limit is { } bytes
            ? $"The body is larger than this call reads ({bytes / 1024} KiB): nothing was read or changed. docs/api.md lists each call's limit."
            : "The body is larger than this call reads: nothing was read or changed.";
    }

    /// <summary>Malformed JSON, a wrong type, an unknown field, a missing body: 400 naming the field; a body too large: 413.</summary>
    private sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            if (exception is not BadHttpRequestException bad)
                return false;
            if (bad.StatusCode == StatusCodes.Status400BadRequest
                && await Validation.PolicyBodies.FaultsAsync(context, bad.InnerException as JsonException) is { } faults)
            {
                // Every fault of a policy at once, by its path; the first in field and detail, as for any other 400.
                var errors = faults.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
                return await WriteAsync(context, bad, faults[0].Field, $"{faults[0].Field}: {faults[0].Message}", errors);
            }
            var (field, detail) = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ("body", TooLarge(context))
                : DescribeBody(bad.InnerException as JsonException);
            return await WriteAsync(context, bad, field, detail, errors: null);
        }

        private ValueTask<bool> WriteAsync(HttpContext context, BadHttpRequestException bad, string field, string detail, Dictionary<string, string[]>? errors)
        {
            context.Response.StatusCode = bad.StatusCode;
            var problem = new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = bad,
                ProblemDetails =
                {
                    Status = bad.StatusCode,
                    Title = ProblemCodes.InvalidRequest.Title,
                    Detail = detail,
                    Extensions = { ["code"] = ProblemCodes.ForStatus(bad.StatusCode).Code, ["field"] = field },
                },
            };
            if (errors is not null)
                problem.ProblemDetails.Extensions["errors"] = errors;
            return problems.TryWriteAsync(problem);
        }
    }
}
