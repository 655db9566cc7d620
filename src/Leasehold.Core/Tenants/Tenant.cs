namespace Leasehold.Core.Tenants;

/// <summary>A customer organization. Its IANA time zone governs every local-time rule.</summary>
public sealed record Tenant(string Id, string Name, string TimeZone, DateTimeOffset CreatedAt);
