using System.Net;
using System.Threading.RateLimiting;

namespace Leasehold.Server.Auth;

/// <summary>
/// Slows down guessing keys: an address that presented more than
/// <see cref="Hosting.LeaseholdSettings.FailedKeysPerMinute"/> unknown or revoked keys (API or console
/// sign-in) in the last minute is answered 429 with Retry-After for any key this node has not
/// verified lately, so a guess is not even checked. Keys verified in the last 30 s still pass, so an
/// application behind the same address (an office's NAT) keeps working while someone there guesses.
/// ASP.NET Core's rate limiter (a sliding window of six 10 s segments per address) counts the failures.
/// </summary>
internal sealed class FailedKeyLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _failures;

    public FailedKeyLimiter(Hosting.LeaseholdSettings settings)
    {
        var limit = settings.FailedKeysPerMinute;
        _failures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetSlidingWindowLimiter(address,
            _ => new SlidingWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6, QueueLimit = 0 }));
    }

    /// <summary>Whether <paramref name="address"/> has used up its failures; then how long until it may try again.</summary>
    public bool IsBlocked(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (address is null)
            return false;
        using var lease = _failures.AttemptAcquire(address, 0);
        if (lease.IsAcquired)
            return false;
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(10);
        return true;
    }

    /// <summary>Counts one unknown or revoked key presented from <paramref name="address"/>.</summary>
    public void Failed(IPAddress? address)
    {
        if (address is not null)
            _failures.AttemptAcquire(address, 1).Dispose();
    }

    public void Dispose() => _failures.Dispose();
}
