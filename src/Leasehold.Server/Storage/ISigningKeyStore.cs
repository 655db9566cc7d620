namespace Leasehold.Server.Storage;

/// <summary>A key the server signs license files with, as stored: its private half as PKCS#8 (base64), its public half as a JWK.</summary>
internal sealed record StoredSigningKey(string Id, string PrivateKey, string PublicJwk, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

/// <summary>The keys the server signs license files with (see <c>Signing/SigningKeyRing</c>).</summary>
internal interface ISigningKeyStore
{
    /// <summary>Every key, oldest first.</summary>
    Task<IReadOnlyList<StoredSigningKey>> ListSigningKeysAsync(CancellationToken ct);

    /// <summary>Adds <paramref name="key"/> and retires every key still signing, at its creation time, in one transaction.</summary>
    Task AddSigningKeyAsync(StoredSigningKey key, CancellationToken ct);
}
