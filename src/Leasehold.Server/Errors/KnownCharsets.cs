using System.Text;
using Microsoft.Net.Http.Headers;

namespace Leasehold.Server.Errors;

/// <summary>
/// A body whose <c>Content-Type</c> names a charset .NET does not know (<c>application/json;
/// charset=nope</c>) is refused with <c>415 unsupported_media_type</c> before any endpoint reads it:
/// the framework's JSON reader throws on such a charset, which was a 500 with a logged stack trace
/// for anyone, keyed or not. The test is the reader's own (the charset as sent, UTF-8 by name or any
/// encoding <see cref="Encoding.GetEncoding(string)"/> knows), so nothing it reads is refused here.
/// </summary>
internal static class KnownCharsets
{
    public static IApplicationBuilder UseKnownCharsets(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) && type.Charset is { HasValue: true } charset && !IsKnown(charset.ToString()))
        {
            context.Response.StatusCode = ProblemCodes.UnsupportedMediaType.Status;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = ProblemCodes.UnsupportedMediaType.Status,
                    Title = ProblemCodes.UnsupportedMediaType.Title,
                    Detail = $"The charset {charset} is not one this server reads: send the body as JSON in UTF-8 ('Content-Type: application/json').",
                    Extensions = { ["code"] = ProblemCodes.UnsupportedMediaType.Code, ["field"] = "Content-Type" },
                },
            });
            return;
        }
        await next(context);
    });

    private static bool IsKnown(string charset)
    {
        if (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            return true;
        try
        {
            Encoding.GetEncoding(charset);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
