using System.Text.Json;
using Leasehold.Server.Auth;

namespace Leasehold.Server.Bench;

/// <summary>
/// The benchmark baseline, mapped only when <c>LEASEHOLD_BENCHMARK=1</c>: an endpoint that reads
/// and answers a JSON body of the same size as a checkout, through the same host, middleware and
/// serializer, but decides and stores nothing. Every figure in docs/benchmarks.md is quoted as a
/// ratio to it, measured in the same run, so the figures hold on a noisy machine.
/// </summary>
internal static class BenchmarkEndpoints
{
    public const string Setting = "LEASEHOLD_BENCHMARK";

    public static void MapBenchmarkBaseline(this WebApplication app)
    {
        if (app.Configuration[Setting] != "1")
            return;
        app.MapPost("/bench/noop", (JsonElement body) => TypedResults.Ok(new NoopResponse("noop", body, 1, "active")))
            .RequireAuthorization(ApiKeyAuthentication.AnyKeyPolicy) // the same key check as the calls it is compared with
            .ExcludeFromDescription();
    }

    private sealed record NoopResponse(string Id, JsonElement Received, int Seats, string Status);
}
