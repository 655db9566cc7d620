namespace Leasehold.Server.Storage;

/// <summary>A key the server signs license files with, as stored: its private half as PKCS#8 (base64), its public half as a JWK.</summary>
internal sealed record StoredSigningKey(string Id, string PrivateKey, string PublicJwk, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

/// <summary>The server's own keys: those it signs license files with (see <c>Signing/SigningKeyRing</c>), and its secrets (<c>Sessions/SessionTokens</c>).</summary>
internal interface ISigningKeyStore
{
    /// <summary>Every key (<paramref name="page"/> null), or one page, oldest first (<see cref="SigningKeySql.SortKey"/>).</summary>
    Task<IReadOnlyList<StoredSigningKey>> ListSigningKeysAsync(PageRequest? page, CancellationToken ct);

    /// <summary>Adds <paramref name="key"/> and retires every key still signing, at its creation time, in one transaction.</summary>
    Task AddSigningKeyAsync(StoredSigningKey key, CancellationToken ct);

    /// <summary>
    /// The secret stored under <paramref name="name"/>; when there is none yet, stores <paramref name="candidate"/>
    /// and answers it. Nodes racing to make one all get the one that was stored first.
    /// </summary>
    Task<string> GetOrAddSecretAsync(string name, string candidate, DateTimeOffset at, CancellationToken ct);
}
