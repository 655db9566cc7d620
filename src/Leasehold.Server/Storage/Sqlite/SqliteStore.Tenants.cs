using System.Text.Json;
using Dapper;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;

namespace Leasehold.Server.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public Task CreateTenantAsync(Tenant tenant, CancellationToken ct) =>
        WriteAsync((db, tx) => db.ExecuteAsync(
            "INSERT INTO tenants (id, name, time_zone, created_at) VALUES (@Id, @Name, @TimeZone, @CreatedAt)",
            new { tenant.Id, tenant.Name, tenant.TimeZone, CreatedAt = tenant.CreatedAt.ToUnixTimeMilliseconds() }, tx), ct);

    public async Task<Tenant?> GetTenantAsync(string id, string? tenantScope, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var row = await db.QuerySingleOrDefaultAsync<TenantRow>(
            "SELECT * FROM tenants WHERE id = @id AND (@tenantScope IS NULL OR id = @tenantScope)", new { id, tenantScope });
        return row?.ToTenant();
    }

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? tenantScope, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var rows = await db.QueryAsync<TenantRow>(
            "SELECT * FROM tenants WHERE @tenantScope IS NULL OR id = @tenantScope ORDER BY created_at, id", new { tenantScope });
        return rows.Select(r => r.ToTenant()).ToList();
    }

    public Task CreateLicenseAsync(License license, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            var row = LicenseRow.From(license);
            await db.ExecuteAsync(
                """
                INSERT INTO licenses (id, tenant_id, product, seats, policy, created_at, starts_at, ends_at, policy_version)
                VALUES (@Id, @TenantId, @Product, @Seats, @Policy, @CreatedAt, @StartsAt, @EndsAt, @PolicyVersion)
                """, row, tx);
            await InsertPolicyVersionAsync(db, tx, row, license.CreatedAt);
            return 0;
        }, ct);

    public Task UpdateLicenseAsync(License license, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(async (db, tx) =>
        {
            var row = LicenseRow.From(license);
            var previous = await db.ExecuteScalarAsync<long>("SELECT policy_version FROM licenses WHERE id = @Id", row, tx);
            await db.ExecuteAsync(
                """
                UPDATE licenses SET seats = @Seats, policy = @Policy, starts_at = @StartsAt, ends_at = @EndsAt, policy_version = @PolicyVersion
                WHERE id = @Id
                """, row, tx);
            if (row.PolicyVersion != previous)
                await InsertPolicyVersionAsync(db, tx, row, now);
            _ledgers.Update(license);
            await ApplyAsync(db, tx, SessionLifecycle.FollowLicense(_commands!.Live(tx, license.Id), license, now));
            return 0;
        }, ct);

    private static Task InsertPolicyVersionAsync(System.Data.IDbConnection db, System.Data.IDbTransaction tx, LicenseRow row, DateTimeOffset at) =>
        db.ExecuteAsync("INSERT INTO license_policies (license_id, version, policy, created_at) VALUES (@Id, @PolicyVersion, @Policy, @At)",
            new { row.Id, row.PolicyVersion, row.Policy, At = at.ToUnixTimeMilliseconds() }, tx);

    public async Task<License?> GetLicenseAsync(string id, string? tenantScope, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        return (await QueryLicenseAsync(db, null, id, tenantScope))?.ToLicense();
    }

    public async Task<IReadOnlyList<License>> ListLicensesAsync(string? tenantScope, string? tenantId, CancellationToken ct)
    {
        await using var db = await OpenReadAsync(ct);
        var rows = await db.QueryAsync<LicenseRow>(
            """
            SELECT * FROM licenses
            WHERE (@tenantScope IS NULL OR tenant_id = @tenantScope) AND (@tenantId IS NULL OR tenant_id = @tenantId)
            ORDER BY created_at, id
            """, new { tenantScope, tenantId });
        return rows.Select(r => r.ToLicense()).ToList();
    }

    private static Task<LicenseRow?> QueryLicenseAsync(System.Data.IDbConnection db, System.Data.IDbTransaction? tx, string id, string? tenantScope) =>
        db.QuerySingleOrDefaultAsync<LicenseRow>(
            "SELECT * FROM licenses WHERE id = @id AND (@tenantScope IS NULL OR tenant_id = @tenantScope)", new { id, tenantScope }, tx);

    private sealed class TenantRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string TimeZone { get; set; } = "";
        public long CreatedAt { get; set; }

        public Tenant ToTenant() => new(Id, Name, TimeZone, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    /// <summary>
    /// Parsed policies by (license, version): a version's policy never changes, and parsing and
    /// validating it on every checkout and heartbeat would cost more than the rest of the decision.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, long), LicensePolicy> PolicyCache = new();

    private static LicensePolicy ParsePolicy(string json)
    {
        var errors = new List<FieldError>();
        var policy = PolicyValidation.Build(JsonSerializer.Deserialize<PolicyDocument>(json, StoredJson.Options), "policy", errors);
        if (errors.Count > 0)
            throw new InvalidDataException($"A stored policy no longer validates: {errors[0].Field}: {errors[0].Message}");
        return policy;
    }

    private sealed class LicenseRow
    {
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
            var policy = PolicyCache.GetOrAdd((Id, PolicyVersion), static (_, json) => ParsePolicy(json), Policy);
            return new License(Id, TenantId, Product, (int)Seats, policy, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt))
            {
                StartsAt = Ms.ToTime(StartsAt),
                EndsAt = Ms.ToTime(EndsAt),
                PolicyVersion = (int)PolicyVersion,
            };
        }
    }
}
