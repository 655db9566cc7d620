using Leasehold.Server.Auth;
using Leasehold.Server.Sessions;
using Leasehold.Server.Signing;
using Leasehold.Server.Storage;
using Leasehold.Server.Storage.Postgres;

namespace Leasehold.Server.Hosting;

/// <summary>At start, before the server answers: applies migrations and makes sure an operator key and a signing key exist.</summary>
internal sealed class StoreInitializer(IStoreSchema schema, IApiKeyStore keys, ApiKeyDirectory directory, SigningKeyRing signingKeys,
    SessionTokens sessionTokens, LeaseholdSettings settings, TimeProvider clock, ILogger<StoreInitializer> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await schema.MigrateAsync(ct);
        if (settings.Postgres is null)
        {
            log.LogInformation("Leasehold data in {DataDirectory} (durability: {Durability})", settings.DataDirectory, settings.Durability);
            foreach (var path in new[] { settings.DataDirectory, settings.StoreOptions.SqlitePath })
            {
                if (OwnerOnlyFiles.IsOpenToOthers(path))
                    log.LogWarning("{Path} may be read by other users than this one: it holds key hashes and signing keys (chmod go-rwx)", path);
            }
        }
        else
            log.LogInformation("Leasehold data in PostgreSQL ({Database})", PostgresStore.Describe(settings.Postgres));
        await EnsureOperatorKeyAsync(ct);
        await signingKeys.EnsureAsync(ct);
        await sessionTokens.EnsureAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task EnsureOperatorKeyAsync(CancellationToken ct)
    {
        if (settings.AdminKey is { } configured)
        {
            var existing = await FindConfiguredKeyAsync(configured, ct) ?? await CreateConfiguredKeyAsync(configured, ct);
            if (existing.RevokedAt is not null)
                log.LogWarning("The key in Leasehold:AdminKey (LEASEHOLD_ADMIN_KEY) was revoked; it does not work any more");
            else
                directory.Remember(configured, existing);
            log.LogInformation("Operator API key: the value of Leasehold:AdminKey (LEASEHOLD_ADMIN_KEY)");
            return;
        }

        if (await keys.AnyOperatorKeyAsync(ct))
        {
            if (File.Exists(settings.AdminKeyFile))
                log.LogInformation("Operator API key is in {AdminKeyFile}", settings.AdminKeyFile);
            return;
        }

        // The file is written before the key is stored: if we crash in between, the next start
        // finds no operator key and writes a new one, so nobody is ever locked out.
        var secret = ApiKeySecrets.Generate();
        await OwnerOnlyFiles.WriteAsync(settings.AdminKeyFile, secret + "\n", ct);
        await keys.CreateApiKeyAsync(NewOperatorKey(ApiKeySecrets.Hash(secret), "first start"), [], ct); // made by the server at its first start: no audit record
        log.LogWarning("Created the first operator API key and wrote it to {AdminKeyFile} (readable by this user only)", settings.AdminKeyFile);
    }

    /// <summary>
    /// The stored key of <c>LEASEHOLD_ADMIN_KEY</c>, revoked or not: stored the old way (unsalted
    /// SHA-256, by an older version), it is stored again with the salted slow hash now.
    /// </summary>
    private async Task<ApiKey?> FindConfiguredKeyAsync(string configured, CancellationToken ct)
    {
        var hash = ApiKeySecrets.Hash(configured);
        if (await keys.FindApiKeyAsync(hash, ct) is { } old)
        {
            var slow = ApiKeySecrets.SlowHash(configured);
            if (await keys.ReplaceSecretHashAsync(old.Id, hash, slow, ct))
                log.LogInformation("The key in LEASEHOLD_ADMIN_KEY is now stored with a salted slow hash (was SHA-256)");
            return await keys.GetApiKeyAsync(old.Id, ct);
        }
        // A standing key first: duplicates revoked after a race (below) must not hide it.
        return Matching(await keys.ListSlowHashedApiKeysAsync(ct), configured).OrderBy(k => k.RevokedAt is not null).FirstOrDefault();
    }

    /// <summary>
    /// Stores the configured key. Several nodes starting at once on a new PostgreSQL database may each
    /// store it (a salted hash cannot be unique): each then keeps the oldest and revokes the others, so
    /// that revoking the key later revokes it everywhere.
    /// </summary>
    private async Task<ApiKey> CreateConfiguredKeyAsync(string configured, CancellationToken ct)
    {
        var created = NewOperatorKey(ApiKeySecrets.SlowHash(configured), ApiKeyDirectory.ConfiguredKeyName);
        await keys.CreateApiKeyAsync(created, [], ct); // made by the server from its settings, not by a person: no audit record
        if (settings.Postgres is null)
            return created; // one process per data directory: nobody to race
        var same = Matching(await keys.ListSlowHashedApiKeysAsync(ct), configured)
            .Where(k => k.RevokedAt is null).OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal).ToList();
        foreach (var duplicate in same.Skip(1))
            await keys.RevokeApiKeyAsync(duplicate.Id, null, clock.Now(), null, ct);
        return same.FirstOrDefault() ?? created;
    }

    private static IEnumerable<ApiKey> Matching(IEnumerable<ApiKey> slowHashed, string secret) =>
        slowHashed.Where(k => ApiKeySecrets.MatchesSlowHash(secret, k.SecretHash));

    private ApiKey NewOperatorKey(string secretHash, string name) =>
        new(Ids.ApiKey(), null, ApiKeyRole.Operator, name, secretHash, clock.Now(), null);
}
