namespace Leasehold.Core.Policies;

/// <summary>A tenant's right to run a product: a concurrent seat limit and the policy that applies it.</summary>
public sealed record License(
    string Id,
    string TenantId,
    string Product,
    int Seats,
    LicensePolicy Policy,
    DateTimeOffset CreatedAt);
