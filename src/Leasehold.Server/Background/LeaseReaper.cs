using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Leasehold.Server.Telemetry;

namespace Leasehold.Server.Background;

/// <summary>
/// Ends sessions whose heartbeats stopped (<c>expired</c>) or whose user went idle (<c>idle</c>),
/// dated when they were due, and records the end. Checkouts never wait for it: the seat decision
/// already ignores holders past their deadline, so the reaper only makes the record complete.
/// Every node runs one; on PostgreSQL each pass skips licenses another node is working on (their
/// row locks), so no session is ended twice.
/// </summary>
internal sealed class LeaseReaper(ISessionDecisions store, TimeProvider clock, LeaseholdSettings settings, ILogger<LeaseReaper> log, LeaseholdMetrics metrics)
    : BackgroundService
{
    public const int BatchSize = 500;

    /// <summary>One pass at a time on this node: a pass asked for while the timer's runs waits for it, then finds what is left.</summary>
    private readonly SemaphoreSlim _onePass = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.ReaperInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var ended = await ReapOnceAsync(stoppingToken);
                if (ended > 0)
                    log.LogInformation("Reaper ended {Count} sessions", ended);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Reaper pass failed; retrying at the next tick");
            }
        }
    }

    /// <summary>Ends every session due by now, in batches; returns how many it ended.</summary>
    public async Task<int> ReapOnceAsync(CancellationToken ct)
    {
        await _onePass.WaitAsync(ct);
        try
        {
            var total = 0;
            while (true)
            {
                var now = clock.Now();
                var ended = await store.EndDueSessionsAsync(now, BatchSize, ct);
                total += ended.Count;
                if (ended.Count < BatchSize)
                {
                    metrics.ReaperPass(total);
                    return total;
                }
            }
        }
        finally
        {
            _onePass.Release();
        }
    }

    public override void Dispose()
    {
        _onePass.Dispose();
        base.Dispose();
    }
}
