using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Access;
using Leasehold.Core.Policies;
using Leasehold.Core.Tenants;

namespace Leasehold.Server.Storage;

// Rows as their tables store them (times in Unix milliseconds), shared by every provider.

internal sealed class TenantRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string TimeZone { get; set; } = "";
    public long CreatedAt { get; set; }

    public static TenantRow From(Tenant t) => new() { Id = t.Id, Name = t.Name, TimeZone = t.TimeZone, CreatedAt = t.CreatedAt.ToUnixTimeMilliseconds() };

    public Tenant ToTenant() => new(Id, Name, TimeZone, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
}

internal sealed class ConnectionRow
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string AccessPlan { get; set; } = "";
    public long CreatedAt { get; set; }

    /// <summary>The connection's user (column <c>user_name</c>).</summary>
    public string? UserName { get; set; }

    public static ConnectionRow From(Connection c) => new()
    {
        Id = c.Id,
        UserName = c.User,
        TenantId = c.TenantId,
        Name = c.Name,
        Email = c.Email,
        AccessPlan = JsonSerializer.Serialize(AccessPlanDocument.From(c.AccessPlan), StoredJson.Options),
        CreatedAt = c.CreatedAt.ToUnixTimeMilliseconds(),
    };

    public Connection ToConnection()
    {
        var errors = new List<FieldError>();
        var plan = AccessPlanValidation.Build(JsonSerializer.Deserialize<AccessPlanDocument>(AccessPlan, StoredJson.Options), "accessPlan", errors);
        if (errors.Count > 0)
            throw new InvalidDataException($"Connection {Id} has a stored access plan that no longer validates: {errors[0].Field}: {errors[0].Message}");
        return new Connection(Id, TenantId, Name, Email, plan, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt)) { User = UserName };
    }
}

internal sealed class ApiKeyRow
{
    public string Id { get; set; } = "";
    public string? TenantId { get; set; }
    public string Role { get; set; } = "";
    public string? Name { get; set; }
    public string SecretHash { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? RevokedAt { get; set; }

    public static ApiKeyRow From(ApiKey k) => new()
    {
        Id = k.Id,
        TenantId = k.TenantId,
        Role = k.Role.ToString(),
        Name = k.Name,
        SecretHash = k.SecretHash,
        CreatedAt = k.CreatedAt.ToUnixTimeMilliseconds(),
        RevokedAt = k.RevokedAt?.ToUnixTimeMilliseconds(),
    };

    public ApiKey ToApiKey() => new(Id, TenantId, Enum.Parse<ApiKeyRole>(Role), Name, SecretHash,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), RevokedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null);
}
