using System.Globalization;

namespace Leasehold.Server.Errors;

/// <summary>
/// The one 429 answer, for every limit (unknown keys per address, writes per key): <c>too_many_requests</c>
/// with the wait in whole seconds (at least 1) both as the <c>Retry-After</c> header and as <c>retryAfter</c>.
/// </summary>
internal static class TooManyRequests
{
    public static ValueTask WriteAsync(HttpContext context, TimeSpan wait, string detail)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.StatusCode = ProblemCodes.TooManyRequests.Status;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = ProblemCodes.TooManyRequests.Status,
                Title = ProblemCodes.TooManyRequests.Title,
                Detail = detail,
                Extensions = { ["code"] = ProblemCodes.TooManyRequests.Code, ["retryAfter"] = seconds },
            },
        });
    }
}
