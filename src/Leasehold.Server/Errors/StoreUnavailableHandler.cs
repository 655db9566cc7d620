using Microsoft.AspNetCore.Diagnostics;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Errors;

/// <summary>
/// The database is out of reach: 503 problem+json with the stable code <c>store_unavailable</c> and a
/// <c>Retry-After</c> header. Never a guess: the server admits nothing it could not record.
/// </summary>
internal sealed class StoreUnavailableHandler(IProblemDetailsService problems, ILogger<StoreUnavailableHandler> log) : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not StoreUnavailableException)
            return false;
        log.LogWarning("Database unavailable: {Message}", exception.InnerException?.Message);
        context.Response.StatusCode = ProblemCodes.StoreUnavailable.Status;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = ProblemCodes.StoreUnavailable.Status,
                Title = ProblemCodes.StoreUnavailable.Title,
                Detail = $"Nothing was decided. Retry in {RetryAfterSeconds} seconds (with the same Idempotency-Key for a checkout).",
                Extensions = { ["code"] = ProblemCodes.StoreUnavailable.Code },
            },
        });
    }
}
