using Leasehold.Core.Policies;

namespace Leasehold.Core.Licenses;

/// <summary>A tenant's right to run a product: a concurrent seat limit and the policy that applies it.</summary>
public sealed record License(
    string Id,
    string TenantId,
    string Product,
    int Seats,
    LicensePolicy Policy,
    DateTimeOffset CreatedAt)
{
    /// <summary>Before this moment sessions are refused (null: from creation).</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>The end date: after it plus the policy's grace days, sessions are refused and open ones end.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>Raised by one on every policy change; a session keeps the version it started under.</summary>
    public int PolicyVersion { get; init; } = 1;

    /// <summary>The moment the license stops admitting (end date plus grace), if it has an end date.</summary>
    public DateTimeOffset? RefusesFrom => EndsAt?.AddDays(Policy.Expiry.GraceDays);
}
