namespace Leasehold.Client.Http;

/// <summary>Pauses between retries: doubling from the first, capped, with jitter so many clients do not retry in step.</summary>
internal static class Backoff
{
    private static readonly Random Shared = new();

    /// <summary>A number in [0, 1).</summary>
    public static double Random()
    {
        lock (Shared)
            return Shared.NextDouble();
    }

    /// <summary>The pause after <paramref name="failures"/> failures in a row (1 = the first): between half and all of the doubled value.</summary>
    public static TimeSpan After(int failures, TimeSpan initial, TimeSpan max)
    {
        var doubled = initial.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = Math.Min(doubled, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random() / 2)));
    }

    /// <summary>A heartbeat interval with jitter: between 80% and 100% of the advised one.</summary>
    public static TimeSpan Jittered(TimeSpan interval) => TimeSpan.FromMilliseconds(interval.TotalMilliseconds * (0.8 + (Random() * 0.2)));

    public static Task DelayAsync(TimeProvider clock, TimeSpan delay, CancellationToken ct) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask :
#if NET
        Task.Delay(delay, clock, ct);
#else
        clock.Delay(delay, ct);
#endif

    /// <summary>
    /// The wait before the next attempt: the backoff, or what a 429 asked for when that is longer (never beyond <paramref name="max"/>).
    /// </summary>
    private static TimeSpan Longer(TimeSpan backoff, TimeSpan? asked, TimeSpan max) =>
        asked is { } wait && wait > backoff ? (wait < max ? wait : max) : backoff;

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds, fails for good, or transient failures
    /// have gone on for <see cref="LeaseholdClientOptions.RetryFor"/>; then the last failure is thrown.
    /// </summary>
    public static async Task<T> RetryAsync<T>(LeaseholdClientOptions options, Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        var clock = options.TimeProvider;
        var started = clock.GetUtcNow();
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await attempt(ct).ConfigureAwait(false);
            }
            catch (LeaseholdException e) when (e.IsTransient && clock.GetUtcNow() - started < options.RetryFor)
            {
                options.Logger?.LogRetry(e, failures);
                await DelayAsync(clock, Longer(After(failures, options.InitialBackoff, options.MaxBackoff), e.RetryAfter, options.MaxBackoff), ct)
                    .ConfigureAwait(false);
            }
        }
    }
}
