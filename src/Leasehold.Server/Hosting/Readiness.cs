using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Hosting;

/// <summary>
/// <c>/readyz</c>: whether this node can serve, which is whether its database answers. A balancer
/// sends traffic only to ready nodes; <c>/healthz</c> (the process is alive) stays 200 meanwhile, so
/// an orchestrator does not restart a node for an outage of the database it shares with all the others.
/// </summary>
internal static class Readiness
{
    /// <summary>How long the probe waits for the database: a database that hangs is as unready as one that refuses.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<Ok<HealthResponse>> CheckAsync(IStoreSchema store, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(Timeout);
        try
        {
            await store.PingAsync(wait.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new StoreUnavailableException(new TimeoutException($"The database did not answer within {Timeout.TotalSeconds} s.", e));
        }
        return TypedResults.Ok(new HealthResponse("ready"));
    }
}
