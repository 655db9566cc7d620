using Leasehold.Server.Auth;
using Leasehold.Server.Signing;
using Leasehold.Server.Storage;
using Leasehold.Server.Storage.Postgres;

namespace Leasehold.Server.Hosting;

/// <summary>At start, before the server answers: applies migrations and makes sure an operator key and a signing key exist.</summary>
internal sealed class StoreInitializer(IStoreSchema schema, IApiKeyStore keys, SigningKeyRing signingKeys, LeaseholdSettings settings, TimeProvider clock, ILogger<StoreInitializer> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await schema.MigrateAsync(ct);
        if (settings.Postgres is null)
            log.LogInformation("Leasehold data in {DataDirectory} (durability: {Durability})", settings.DataDirectory, settings.Durability);
        else
            log.LogInformation("Leasehold data in PostgreSQL ({Database})", PostgresStore.Describe(settings.Postgres));
        await EnsureOperatorKeyAsync(ct);
        await signingKeys.EnsureAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task EnsureOperatorKeyAsync(CancellationToken ct)
    {
        if (settings.AdminKey is { } configured)
        {
            var existing = await keys.FindApiKeyAsync(ApiKeySecrets.Hash(configured), ct);
            if (existing is null)
                await CreateConfiguredKeyAsync(configured, ct);
            else if (existing.RevokedAt is not null)
                log.LogWarning("The key in LEASEHOLD_ADMIN_KEY was revoked; it does not work any more");
            log.LogInformation("Operator API key: the value of LEASEHOLD_ADMIN_KEY");
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
        await CreateOperatorKeyAsync(secret, "first start", ct);
        log.LogWarning("Created the first operator API key and wrote it to {AdminKeyFile} (readable by this user only)", settings.AdminKeyFile);
    }

    /// <summary>Stores the configured key; several nodes starting at once may race to do so, and one winning is enough.</summary>
    private async Task CreateConfiguredKeyAsync(string configured, CancellationToken ct)
    {
        try
        {
            await CreateOperatorKeyAsync(configured, "LEASEHOLD_ADMIN_KEY", ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (await keys.FindApiKeyAsync(ApiKeySecrets.Hash(configured), ct) is null)
                throw;
        }
    }

    private Task CreateOperatorKeyAsync(string secret, string name, CancellationToken ct) =>
        keys.CreateApiKeyAsync(new ApiKey(Ids.ApiKey(), null, ApiKeyRole.Operator, name,
            ApiKeySecrets.Hash(secret), clock.Now(), null), [], ct); // made by the server at its first start, not by a person: no audit record
}
