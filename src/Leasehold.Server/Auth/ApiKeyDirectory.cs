using System.Collections.Concurrent;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Auth;

/// <summary>
/// Finds the key a request presents. Keys are looked up by the hash of the secret and kept for a
/// short while, so the hot path (heartbeats) does not read the key table on every call. A revoke
/// on this node takes effect at once; on other nodes within <see cref="CacheFor"/>.
/// </summary>
internal sealed class ApiKeyDirectory(IApiKeyStore store, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset FetchedAt)> _cache = new();

    public async Task<ApiKey?> FindActiveAsync(string secret, CancellationToken ct)
    {
        var hash = ApiKeySecrets.Hash(secret);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && now - cached.FetchedAt < CacheFor)
            return cached.Key.RevokedAt is null ? cached.Key : null;

        var key = await store.FindApiKeyAsync(hash, ct);
        if (key is null)
        {
            _cache.TryRemove(hash, out _);
            return null;
        }
        _cache[hash] = (key, now);
        return key.RevokedAt is null ? key : null;
    }

    /// <summary>The key if this node verified it in the last <see cref="CacheFor"/> (no store read): what passes while its address is blocked.</summary>
    public ApiKey? FindRecentlyVerified(string secret) =>
        _cache.TryGetValue(ApiKeySecrets.Hash(secret), out var cached) && clock.GetUtcNow() - cached.FetchedAt < CacheFor && cached.Key.RevokedAt is null
            ? cached.Key
            : null;

    public void Forget(string keyId)
    {
        foreach (var entry in _cache.Where(e => e.Value.Key.Id == keyId))
            _cache.TryRemove(entry.Key, out _);
    }
}
