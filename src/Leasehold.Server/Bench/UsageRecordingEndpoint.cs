using Leasehold.Server.Auth;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Bench;

/// <summary>
/// Benchmark mode only (<c>LEASEHOLD_BENCHMARK=1</c>): <c>POST /bench/usage-events {"enabled": false}</c>
/// stops writing usage events, <c>true</c> resumes. The usage benchmark alternates the two on one
/// server to measure what recording costs checkouts. Never mapped in a normal server: there the
/// history is always complete.
/// </summary>
internal static class UsageRecordingEndpoint
{
    public static void MapBenchmarkUsageSwitch(this WebApplication app)
    {
        if (app.Configuration[BenchmarkEndpoints.Setting] != "1")
            return;
        app.MapPost("/bench/usage-events", (UsageSwitch body, UsageRecording recording) =>
        {
            recording.Enabled = body.Enabled;
            return TypedResults.Ok(body);
        }).RequireAuthorization(ApiKeyAuthentication.OperatorPolicy).ExcludeFromDescription();
    }

    internal sealed record UsageSwitch(bool Enabled);
}
