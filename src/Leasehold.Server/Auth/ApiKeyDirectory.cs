using System.Collections.Concurrent;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Auth;

/// <summary>
/// Finds the key a request presents. Keys are looked up by the SHA-256 of the secret and kept for a
/// short while, so the hot path (heartbeats) does not read the key table on every call. A revoke
/// on this node takes effect at once; on other nodes within <see cref="CacheFor"/>.
/// </summary>
/// <remarks>
/// A human-chosen operator key is stored with a salted slow hash (<see cref="ApiKeySecrets.SlowHash"/>),
/// which no lookup can find: a secret no SHA-256 finds is tried against those few keys, once per key and
/// process (the one in <c>LEASEHOLD_ADMIN_KEY</c> not even that: the start remembers it). Once found, it
/// is cached under its SHA-256 like any key and refreshed by its id, never hashed slowly again. Guesses
/// meet the slow hash one at a time, so a flood of them costs one core at most.
/// </remarks>
internal sealed class ApiKeyDirectory(IApiKeyStore store, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>How long a secret waits for its turn at the slow hash before it is taken as not valid.</summary>
    private static readonly TimeSpan SlowGateWait = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset FetchedAt)> _cache = new();
    private readonly SemaphoreSlim _slowGate = new(1, 1);
    private (IReadOnlyList<ApiKey> Keys, DateTimeOffset FetchedAt)? _slowHashed;

    public async Task<ApiKey?> FindActiveAsync(string secret, CancellationToken ct)
    {
        var hash = ApiKeySecrets.Hash(secret);
        var now = clock.GetUtcNow();
        var hit = _cache.TryGetValue(hash, out var cached);
        if (hit && now - cached.FetchedAt < CacheFor)
            return cached.Key.RevokedAt is null ? cached.Key : null;

        var key = hit && ApiKeySecrets.IsSlowHash(cached.Key.SecretHash)
            ? await store.GetApiKeyAsync(cached.Key.Id, ct) // verified once already: its id says whether it still stands
            : await store.FindApiKeyAsync(hash, ct) is { } found
                ? await UpgradeAsync(found, secret, ct)
                : await FindSlowHashedAsync(secret, now, ct);
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

    /// <summary>The key made from <c>LEASEHOLD_ADMIN_KEY</c>, verified at start: its first request needs no slow hash.</summary>
    public void Remember(string secret, ApiKey key) => _cache[ApiKeySecrets.Hash(secret)] = (key, clock.GetUtcNow());

    public void Forget(string keyId)
    {
        foreach (var entry in _cache.Where(e => e.Value.Key.Id == keyId))
            _cache.TryRemove(entry.Key, out _);
        _slowHashed = null;
    }

    /// <summary>
    /// A key made from <c>LEASEHOLD_ADMIN_KEY</c> by an older version is stored as unsalted SHA-256:
    /// at its first use (or the next start while it is configured) it is stored again with the slow hash.
    /// </summary>
    private async Task<ApiKey> UpgradeAsync(ApiKey key, string secret, CancellationToken ct)
    {
        if (!IsHumanChosen(key) || ApiKeySecrets.IsSlowHash(key.SecretHash))
            return key;
        var slow = ApiKeySecrets.SlowHash(secret);
        return await store.ReplaceSecretHashAsync(key.Id, key.SecretHash, slow, ct)
            ? key with { SecretHash = slow }
            : await store.GetApiKeyAsync(key.Id, ct) ?? key;
    }

    /// <summary>Whether a stored key was made from a secret a person chose (the operator key in <c>LEASEHOLD_ADMIN_KEY</c>).</summary>
    public static bool IsHumanChosen(ApiKey key) => key is { Role: ApiKeyRole.Operator, Name: ConfiguredKeyName };

    /// <summary>The name a key made from <c>LEASEHOLD_ADMIN_KEY</c> is stored under.</summary>
    public const string ConfiguredKeyName = "LEASEHOLD_ADMIN_KEY";

    private async Task<ApiKey?> FindSlowHashedAsync(string secret, DateTimeOffset now, CancellationToken ct)
    {
        if (_slowHashed is not { } list || now - list.FetchedAt >= CacheFor)
            _slowHashed = list = (await store.ListSlowHashedApiKeysAsync(ct), now);
        var candidates = list.Keys.Where(k => k.RevokedAt is null).ToList();
        if (candidates.Count == 0 || !await _slowGate.WaitAsync(SlowGateWait, ct))
            return null;
        try
        {
            return candidates.FirstOrDefault(k => ApiKeySecrets.MatchesSlowHash(secret, k.SecretHash));
        }
        finally
        {
            _slowGate.Release();
        }
    }
}
