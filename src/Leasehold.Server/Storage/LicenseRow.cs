using System.Collections.Concurrent;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;

namespace Leasehold.Server.Storage;

/// <summary>A license as its table stores it (the policy as its JSON document); shared by every provider.</summary>
internal class LicenseRow
{
    /// <summary>
    /// Parsed policies by (license, version): a version's policy never changes in one store, and
    /// parsing and validating it on every checkout and heartbeat would cost more than the rest of the
    /// decision. The document is kept beside it and compared: two stores in one process (an issuer
    /// and an installation of the same license, whose versions count apart) never share an entry.
    /// </summary>
    private static readonly ConcurrentDictionary<(string, long), (string Json, LicensePolicy Policy)> PolicyCache = new();

    private static LicensePolicy ParsePolicy(string json)
    {
        var errors = new List<FieldError>();
        var policy = PolicyValidation.Build(JsonSerializer.Deserialize<PolicyDocument>(json, StoredJson.Options), "policy", errors);
        if (errors.Count > 0)
            throw new InvalidDataException($"A stored policy no longer validates: {errors[0].Field}: {errors[0].Message}");
        return policy;
    }

    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Product { get; set; } = "";
    public long Seats { get; set; }
    public string Policy { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? StartsAt { get; set; }
    public long? EndsAt { get; set; }
    public long PolicyVersion { get; set; } = 1;

    public static LicenseRow From(License license) => new()
    {
        Id = license.Id,
        TenantId = license.TenantId,
        Product = license.Product,
        Seats = license.Seats,
        Policy = JsonSerializer.Serialize(PolicyDocument.From(license.Policy), StoredJson.Options),
        CreatedAt = license.CreatedAt.ToUnixTimeMilliseconds(),
        StartsAt = license.StartsAt?.ToUnixTimeMilliseconds(),
        EndsAt = license.EndsAt?.ToUnixTimeMilliseconds(),
        PolicyVersion = license.PolicyVersion,
    };

    public License ToLicense()
    {
        if (!PolicyCache.TryGetValue((Id, PolicyVersion), out var cached) || !string.Equals(cached.Json, Policy, StringComparison.Ordinal))
            PolicyCache[(Id, PolicyVersion)] = cached = (Policy, ParsePolicy(Policy));
        var policy = cached.Policy;
        return new License(Id, TenantId, Product, (int)Seats, policy, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt))
        {
            StartsAt = Ms.ToTime(StartsAt),
            EndsAt = Ms.ToTime(EndsAt),
            PolicyVersion = (int)PolicyVersion,
        };
    }
}
