using System.Data.Common;
using Dapper;
using Leasehold.Core.Installations;

namespace Leasehold.Server.Storage;

/// <summary>
/// Installations of company licenses and the files signed for them: the statements both stores run,
/// with their Dapper calls. An installation is read with the files it has not moved past (the
/// newest among them), which is all the allocation rules and the next serial need.
/// </summary>
internal static class InstallationSql
{
    private const string Files =
        """
        SELECT f.* FROM license_files f JOIN installations i ON i.id = f.installation_id
        WHERE f.serial >= i.taken_serial AND {where}
        ORDER BY f.installation_id, f.serial
        """;

    private const string OfLicense = "i.license_id = @licenseId";

    /// <summary>
    /// The two queries (parameter <c>@licenseId</c>) that read a license's installations into its
    /// ledger, for a store that sends them with others in one round trip; <see cref="ReadOfLicenseAsync"/> reads their rows.
    /// </summary>
    public static readonly string OfLicenseQueries =
        $"SELECT i.* FROM installations i WHERE {OfLicense} ORDER BY created_at, id;\n" + Files.Replace("{where}", OfLicense, StringComparison.Ordinal) + ";";

    /// <summary>The installations of one license, for its ledger (inside the deciding transaction).</summary>
    public static Task<List<Installation>> OfLicenseAsync(DbConnection db, DbTransaction? tx, string licenseId) =>
        QueryAsync(db, tx, OfLicense, new { licenseId }, "created_at, id");

    /// <summary>Reads what <see cref="OfLicenseQueries"/> answered.</summary>
    public static async Task<List<Installation>> ReadOfLicenseAsync(SqlMapper.GridReader reads)
    {
        var rows = await reads.ReadAsync<InstallationRow>();
        return Join(rows, await reads.ReadAsync<LicenseFileRow>());
    }

    public static async Task<Installation?> GetAsync(DbConnection db, string id, string? tenantScope) =>
        (await QueryAsync(db, null, "i.id = @id AND (@tenantScope IS NULL OR i.tenant_id = @tenantScope)", new { id, tenantScope }, "id")).SingleOrDefault();

    /// <summary>Installations in scope (of one license, given <paramref name="licenseId"/>) by creation, then id: all, or one <paramref name="page"/>.</summary>
    public static async Task<List<Installation>> ListAsync(DbConnection db, SqlDialect dialect, string? tenantScope, string? licenseId, PageRequest? page)
    {
        var rows = (await db.QueryAsync<InstallationRow>(
            "SELECT i.* FROM installations i " + Keyset.Clauses(dialect, "i.created_at", "i.id", page,
                Keyset.Equal("i.tenant_id", "tenantScope", tenantScope), Keyset.Equal("i.license_id", "licenseId", licenseId)),
            Keyset.Parameters(page, new { tenantScope, licenseId }))).ToList();
        if (rows.Count == 0)
            return [];
        var ids = rows.Select(r => r.Id).ToArray();
        return Join(rows, await db.QueryAsync<LicenseFileRow>(Files.Replace("{where}", dialect.AnyOf("i.id", "ids"), StringComparison.Ordinal), new { ids }));
    }

    /// <summary>Writes an installation whole, and the files of it not stored yet (a file once issued never changes).</summary>
    public static async Task WriteAsync(DbConnection db, DbTransaction tx, Installation installation)
    {
        await db.ExecuteAsync(
            """
            INSERT INTO installations (id, tenant_id, license_id, name, fingerprint, allocated, taken_serial, last_contact_at, created_at)
            VALUES (@Id, @TenantId, @LicenseId, @Name, @Fingerprint, @Allocated, @TakenSerial, @LastContactAt, @CreatedAt)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, allocated = excluded.allocated, taken_serial = excluded.taken_serial,
                last_contact_at = excluded.last_contact_at
            """, InstallationRow.From(installation), tx);
        foreach (var file in installation.Files)
        {
            await db.ExecuteAsync(
                """
                INSERT INTO license_files (installation_id, serial, seats, usable_until, issued_at, key_id)
                VALUES (@InstallationId, @Serial, @Seats, @UsableUntil, @IssuedAt, @KeyId)
                ON CONFLICT (installation_id, serial) DO NOTHING
                """, LicenseFileRow.From(installation.Id, file), tx);
        }
    }

    private static async Task<List<Installation>> QueryAsync(DbConnection db, DbTransaction? tx, string where, object parameters, string order)
    {
        var rows = (await db.QueryAsync<InstallationRow>($"SELECT i.* FROM installations i WHERE {where} ORDER BY {order}", parameters, tx)).ToList();
        if (rows.Count == 0)
            return [];
        return Join(rows, await db.QueryAsync<LicenseFileRow>(Files.Replace("{where}", where, StringComparison.Ordinal), parameters, tx));
    }

    /// <summary>Each installation with its files.</summary>
    private static List<Installation> Join(IEnumerable<InstallationRow> rows, IEnumerable<LicenseFileRow> files)
    {
        var byInstallation = files.ToLookup(f => f.InstallationId, StringComparer.Ordinal);
        return [.. rows.Select(r => r.ToInstallation([.. byInstallation[r.Id].Select(f => f.ToFile())]))];
    }

    private sealed class InstallationRow
    {
        public string Id { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string LicenseId { get; set; } = "";
        public string Name { get; set; } = "";
        public string Fingerprint { get; set; } = "";
        public long Allocated { get; set; }
        public long TakenSerial { get; set; }
        public long? LastContactAt { get; set; }
        public long CreatedAt { get; set; }

        public static InstallationRow From(Installation i) => new()
        {
            Id = i.Id,
            TenantId = i.TenantId,
            LicenseId = i.LicenseId,
            Name = i.Name,
            Fingerprint = i.Fingerprint,
            Allocated = i.Allocated,
            TakenSerial = i.TakenSerial,
            LastContactAt = i.LastContactAt?.ToUnixTimeMilliseconds(),
            CreatedAt = i.CreatedAt.ToUnixTimeMilliseconds(),
        };

        public Installation ToInstallation(IReadOnlyList<IssuedFile> files) => new(Id, TenantId, LicenseId, Name, Fingerprint, (int)Allocated,
            TakenSerial, Ms.ToTime(LastContactAt), DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), files);
    }

    private sealed class LicenseFileRow
    {
        public string InstallationId { get; set; } = "";
        public long Serial { get; set; }
        public long Seats { get; set; }
        public long UsableUntil { get; set; }
        public long IssuedAt { get; set; }
        public string KeyId { get; set; } = "";

        public static LicenseFileRow From(string installationId, IssuedFile f) => new()
        {
            InstallationId = installationId,
            Serial = f.Serial,
            Seats = f.Seats,
            UsableUntil = f.UsableUntil.ToUnixTimeMilliseconds(),
            IssuedAt = f.IssuedAt.ToUnixTimeMilliseconds(),
            KeyId = f.KeyId,
        };

        public IssuedFile ToFile() => new(Serial, (int)Seats, DateTimeOffset.FromUnixTimeMilliseconds(UsableUntil))
        {
            IssuedAt = DateTimeOffset.FromUnixTimeMilliseconds(IssuedAt),
            KeyId = KeyId,
        };
    }
}
