using System.Data.Common;
using Dapper;

namespace Leasehold.Server.Storage;

/// <summary>Signing keys and server secrets: the statements both stores run, with their Dapper calls; each store opens the connection and the transaction.</summary>
internal static class SigningKeySql
{
    /// <summary>Oldest first; at one instant, retired keys before the one that signs (a rotation made them in the same millisecond).</summary>
    /// <summary>
    /// The keys oldest first, of two made in one millisecond the retired one first (the one signing is the
    /// newest): ordered by <see cref="SortKey"/>, then id. All, or one <paramref name="page"/>.
    /// </summary>
    public static async Task<IReadOnlyList<StoredSigningKey>> ListAsync(DbConnection db, SqlDialect dialect, PageRequest? page) =>
        (await db.QueryAsync<SigningKeyRow>("SELECT * FROM signing_keys " + Keyset.Clauses(dialect, SortKey, "id", page), Keyset.Parameters(page, new { })))
            .Select(r => r.ToKey()).ToList();

    /// <summary>A key's place in the list: its creation time, doubled, plus one while it signs (a page's cursor carries it).</summary>
    public const string SortKey = "(created_at * 2 + CASE WHEN retired_at IS NULL THEN 1 ELSE 0 END)";

    /// <summary>The value of <see cref="SortKey"/> for <paramref name="key"/>.</summary>
    public static long SortKeyOf(StoredSigningKey key) => key.CreatedAt.ToUnixTimeMilliseconds() * 2 + (key.RetiredAt is null ? 1 : 0);

    public static async Task<int> AddAsync(DbConnection db, DbTransaction tx, StoredSigningKey key)
    {
        var row = SigningKeyRow.From(key);
        await db.ExecuteAsync("UPDATE signing_keys SET retired_at = @CreatedAt WHERE retired_at IS NULL", row, tx);
        return await db.ExecuteAsync(
            "INSERT INTO signing_keys (id, private_key, public_jwk, created_at) VALUES (@Id, @PrivateKey, @PublicJwk, @CreatedAt)", row, tx);
    }

    /// <summary>The server secret named <paramref name="name"/>, stored as <paramref name="candidate"/> if there is none yet.</summary>
    public static async Task<string> GetOrAddSecretAsync(DbConnection db, DbTransaction tx, string name, string candidate, DateTimeOffset at)
    {
        await db.ExecuteAsync("INSERT INTO server_secrets (name, secret, created_at) VALUES (@name, @candidate, @at) ON CONFLICT (name) DO NOTHING",
            new { name, candidate, at = at.ToUnixTimeMilliseconds() }, tx);
        return await db.ExecuteScalarAsync<string>("SELECT secret FROM server_secrets WHERE name = @name", new { name }, tx)
            ?? throw new InvalidOperationException($"Server secret {name} was not stored.");
    }

    private sealed class SigningKeyRow
    {
        public string Id { get; set; } = "";
        public string PrivateKey { get; set; } = "";
        public string PublicJwk { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? RetiredAt { get; set; }

        public static SigningKeyRow From(StoredSigningKey k) => new()
        {
            Id = k.Id,
            PrivateKey = k.PrivateKey,
            PublicJwk = k.PublicJwk,
            CreatedAt = k.CreatedAt.ToUnixTimeMilliseconds(),
            RetiredAt = k.RetiredAt?.ToUnixTimeMilliseconds(),
        };

        public StoredSigningKey ToKey() => new(Id, PrivateKey, PublicJwk, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), Ms.ToTime(RetiredAt));
    }
}
