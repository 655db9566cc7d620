using System.Threading.RateLimiting;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.RateLimiting;

namespace Leasehold.Server.Auth;

/// <summary>
/// Writes per key: every <c>POST</c>, <c>PUT</c>, <c>PATCH</c> and <c>DELETE</c> under <c>/v1</c> takes a
/// token from its key's bucket (ASP.NET Core's rate limiter); an empty bucket is 429 <c>too_many_requests</c>
/// with Retry-After, before the handler runs, so nothing changes. A bucket holds a minute's worth and refills
/// continuously, so a burst up to the limit passes at once. Admin, operator and installation keys share one
/// limit (<see cref="LeaseholdSettings.WritesPerMinute"/>: people and scripts managing things); client keys
/// have their own, far higher one (<see cref="LeaseholdSettings.ClientWritesPerMinute"/>), because one client
/// key is shared by every installation of an application: it is a guard against a runaway or stolen key,
/// not a quota on a customer's users. Counted per node.
/// </summary>
internal static class WriteLimits
{
    public const string Policy = "writes";

    public static IServiceCollection AddWriteLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(Policy, context => Partition(context, context.RequestServices.GetRequiredService<LeaseholdSettings>()));
            options.OnRejected = RejectAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, LeaseholdSettings settings)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || context.User.FindFirst(Caller.KeyIdClaim)?.Value is not { } keyId)
            return RateLimitPartition.GetNoLimiter("");
        var perMinute = context.User.IsInRole(nameof(ApiKeyRole.Client)) ? settings.ClientWritesPerMinute : settings.WritesPerMinute;
        if (perMinute <= 0)
            return RateLimitPartition.GetNoLimiter("");
        return RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = Math.Max(1, perMinute / 60),
            ReplenishmentPeriod = TimeSpan.FromSeconds(perMinute >= 60 ? 1 : 60.0 / perMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct) =>
        TooManyRequests.WriteAsync(rejected.HttpContext,
            rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1),
            "This key made more changes in the last minute than the server allows: try again after the Retry-After seconds. Nothing was changed.");
}
