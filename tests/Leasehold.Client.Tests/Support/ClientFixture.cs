using Leasehold.Server.Tests.Support;

namespace Leasehold.Client.Tests.Support;

/// <summary>Clients of the SDK made for one tenancy of a test server.</summary>
public static class ClientFixture
{
    public static LeaseholdClientOptions Options(TestHost host, string key, string? licenseId) => new()
    {
        ServerUrl = host.BaseAddress,
        ApiKey = key,
        LicenseId = licenseId,
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromSeconds(2),
    };

    /// <summary>A desktop client type with a short TTL (heartbeat every TTL/3 seconds), for tests that run in real time.</summary>
    public static object ShortTtlPolicy(int ttlSeconds) => new
    {
        clientTypes = new { desktop = new { ttlSeconds, idleTimeoutSeconds = 3600 } },
    };

    /// <summary>A tenant, a license, and the raw keys (for the SDK).</summary>
    public static async Task<(string TenantId, string LicenseId, string AppKey, string AdminKey)> TenancyAsync(TestHost host, int seats, object? policy = null)
    {
        var tenantId = await host.CreateTenantAsync();
        var licenseId = await host.CreateLicenseAsync(tenantId, seats, policy);
        return (tenantId, licenseId, await host.CreateKeyAsync(tenantId, "client"), await host.CreateKeyAsync(tenantId, "admin"));
    }
}
