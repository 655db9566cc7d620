namespace Leasehold.Server.Storage;

/// <summary>
/// The store's schema. Every store interface reads and writes one aggregate (<see cref="ITenantStore"/>,
/// <see cref="IApiKeyStore"/>, <see cref="IConnectionStore"/>, <see cref="ISessionDecisions"/>,
/// <see cref="ISessionReads"/>, <see cref="IUsageStore"/>); each provider (SQLite, PostgreSQL) implements
/// them all and registers them (<c>AddSqliteStore</c>, <c>AddPostgresStore</c>). Reads take a
/// <c>tenantScope</c>: null for the operator, else the caller's tenant, and a row of another tenant is
/// simply not found.
/// </summary>
internal interface IStoreSchema
{
    /// <summary>Applies the provider's migrations not applied yet (several nodes starting at once apply each once).</summary>
    Task MigrateAsync(CancellationToken ct);

    /// <summary>Reads one value from the database (the readiness probe): <see cref="StoreUnavailableException"/> when it is out of reach.</summary>
    Task PingAsync(CancellationToken ct);
}
