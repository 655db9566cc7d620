using System.Data.Common;
using Dapper;
using Leasehold.Core.Sessions;

namespace Leasehold.Server.Storage;

/// <summary>Cool-downs after admin stops: the statements both stores run (each opens the connection and the transaction).</summary>
internal static class CoolDownSql
{
    /// <summary>Inserts a cool-down, or overwrites it whole (a lift).</summary>
    public static Task<int> WriteAsync(DbConnection db, DbTransaction tx, CoolDown coolDown) =>
        db.ExecuteAsync(
            """
            INSERT INTO cool_downs (session_id, tenant_id, license_id, user_name, user_key, at, until, actor, lifted_at, lifted_by)
            VALUES (@SessionId, @TenantId, @LicenseId, @UserName, @UserKey, @At, @Until, @Actor, @LiftedAt, @LiftedBy)
            ON CONFLICT (session_id) DO UPDATE SET until = excluded.until, lifted_at = excluded.lifted_at, lifted_by = excluded.lifted_by
            """, CoolDownRow.From(coolDown), tx);

    /// <summary>The cool-downs of one license not lifted and not over at <paramref name="now"/> (what a ledger carries).</summary>
    public static async Task<List<CoolDown>> InForceAsync(DbConnection db, DbTransaction? tx, string licenseId, DateTimeOffset now) =>
        [.. (await db.QueryAsync<CoolDownRow>(
            "SELECT * FROM cool_downs WHERE license_id = @licenseId AND lifted_at IS NULL AND until > @now",
            new { licenseId, now = now.ToUnixTimeMilliseconds() }, tx)).Select(r => r.ToCoolDown())];

    /// <summary>
    /// The cool-downs in force in scope, optionally of one license, one per user and license (the one that ends
    /// last, as <see cref="CoolDowns.InForce"/> folds them), soonest end first, then by the stopped session's id:
    /// all, or one <paramref name="page"/>.
    /// </summary>
    public static async Task<IReadOnlyList<CoolDown>> ListInForceAsync(
        DbConnection db, SqlDialect dialect, string? tenantScope, string? licenseId, DateTimeOffset now, PageRequest? page) =>
        [.. (await db.QueryAsync<CoolDownRow>(
            "SELECT c.* FROM cool_downs c " + Keyset.Clauses(dialect, "c.until", "c.session_id", page,
                "c.lifted_at IS NULL AND c.until > @now", Keyset.Equal("c.tenant_id", "tenantScope", tenantScope),
                Keyset.Equal("c.license_id", "licenseId", licenseId), LastOfItsUser),
            Keyset.Parameters(page, new { tenantScope, licenseId, now = now.ToUnixTimeMilliseconds() }))).Select(r => r.ToCoolDown())];

    /// <summary>No later cool-down in force of the same user on the same license.</summary>
    private const string LastOfItsUser =
        """
        NOT EXISTS (SELECT 1 FROM cool_downs d WHERE d.license_id = c.license_id AND d.user_key = c.user_key AND d.lifted_at IS NULL
            AND d.until > @now AND (d.until > c.until OR (d.until = c.until AND d.session_id > c.session_id)))
        """;
}

/// <summary>A <c>cool_downs</c> row.</summary>
internal sealed class CoolDownRow
{
    public string SessionId { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string LicenseId { get; set; } = "";
    public string UserName { get; set; } = "";
    public string UserKey { get; set; } = "";
    public long At { get; set; }
    public long Until { get; set; }
    public string? Actor { get; set; }
    public long? LiftedAt { get; set; }
    public string? LiftedBy { get; set; }

    public static CoolDownRow From(CoolDown c) => new()
    {
        SessionId = c.SessionId,
        TenantId = c.TenantId,
        LicenseId = c.LicenseId,
        UserName = c.User,
        UserKey = c.UserKey,
        At = c.At.ToUnixTimeMilliseconds(),
        Until = c.Until.ToUnixTimeMilliseconds(),
        Actor = c.Actor,
        LiftedAt = c.LiftedAt?.ToUnixTimeMilliseconds(),
        LiftedBy = c.LiftedBy,
    };

    public CoolDown ToCoolDown() => new(SessionId, TenantId, LicenseId, UserName, DateTimeOffset.FromUnixTimeMilliseconds(At),
        DateTimeOffset.FromUnixTimeMilliseconds(Until), Actor)
    {
        LiftedAt = LiftedAt is { } lifted ? DateTimeOffset.FromUnixTimeMilliseconds(lifted) : null,
        LiftedBy = LiftedBy,
    };
}
