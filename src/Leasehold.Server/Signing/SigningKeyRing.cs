using System.Security.Cryptography;
using System.Text.Json;
using Leasehold.Core.Installations;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Signing;

/// <summary>
/// The keys this server signs license files with: ECDSA P-256 (ES256), made on first start,
/// rotated on demand. One key signs at a time (the newest); a rotated key signs no more but stays
/// published, so every file it signed keeps verifying. Kept in the store, so every node of a
/// deployment signs with the same key and serves the same key set. Read from the store each time:
/// signing and serving the keys are rare, and another node may have rotated.
/// </summary>
internal sealed class SigningKeyRing(ISigningKeyStore store, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Makes the first key when there is none that signs (at start).</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        if (!(await store.ListSigningKeysAsync(null, ct)).Any(k => k.RetiredAt is null))
            await AddNewAsync(ct);
    }

    /// <summary>A new key signs from now on; the one before is retired (still published).</summary>
    public Task<StoredSigningKey> RotateAsync(CancellationToken ct) => AddNewAsync(ct);

    public Task<IReadOnlyList<StoredSigningKey>> ListAsync(CancellationToken ct) => store.ListSigningKeysAsync(null, ct);

    /// <summary>The public keys of every key, signing or retired: what an installation pins.</summary>
    public async Task<IReadOnlyList<SigningJwk>> PublicKeysAsync(CancellationToken ct) =>
        [.. (await store.ListSigningKeysAsync(null, ct)).Select(PublicKey)];

    /// <summary>The key that signs now, with its private half (dispose it after use).</summary>
    public async Task<ECDsa> SignerAsync(CancellationToken ct)
    {
        var active = (await store.ListSigningKeysAsync(null, ct)).LastOrDefault(k => k.RetiredAt is null)
            ?? throw new InvalidOperationException("No signing key: the server makes one at start.");
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(active.PrivateKey), out _);
        return key;
    }

    public static SigningJwk PublicKey(StoredSigningKey key) =>
        JsonSerializer.Deserialize<SigningJwk>(key.PublicJwk, Json) ?? throw new InvalidDataException($"Signing key {key.Id} has no public key.");

    private async Task<StoredSigningKey> AddNewAsync(CancellationToken ct)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = SigningJwk.From(key);
        var stored = new StoredSigningKey(jwk.Kid, Convert.ToBase64String(key.ExportPkcs8PrivateKey()), JsonSerializer.Serialize(jwk, Json), clock.Now(), null);
        await store.AddSigningKeyAsync(stored, ct);
        return stored;
    }
}
