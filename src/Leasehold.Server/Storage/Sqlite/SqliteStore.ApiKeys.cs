namespace Leasehold.Server.Storage.Sqlite;

/// <summary>API keys on SQLite (<see cref="ApiKeySql"/> holds the SQL).</summary>
internal sealed partial class SqliteStore
{
    public Task CreateApiKeyAsync(ApiKey key, CancellationToken ct) =>
        WriteAsync((db, tx) => ApiKeySql.InsertAsync(db, tx, key), ct);

    public Task<ApiKey?> FindApiKeyAsync(string secretHash, CancellationToken ct) =>
        ReadAsync(db => ApiKeySql.FindAsync(db, secretHash), ct);

    public Task<ApiKey?> GetApiKeyAsync(string id, CancellationToken ct) =>
        ReadAsync(db => ApiKeySql.GetAsync(db, id), ct);

    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string? tenantScope, string? tenantId, CancellationToken ct) =>
        ReadAsync(db => ApiKeySql.ListAsync(db, Dialect, tenantScope, tenantId), ct);

    public Task<ApiKey?> RevokeApiKeyAsync(string id, string? tenantScope, DateTimeOffset at, CancellationToken ct) =>
        WriteAsync((db, tx) => ApiKeySql.RevokeAsync(db, tx, id, tenantScope, at), ct);

    public Task<IReadOnlyList<ApiKey>> ListSlowHashedApiKeysAsync(CancellationToken ct) =>
        ReadAsync(ApiKeySql.ListSlowHashedAsync, ct);

    public Task<bool> ReplaceSecretHashAsync(string id, string oldHash, string newHash, CancellationToken ct) =>
        WriteAsync((db, tx) => ApiKeySql.ReplaceSecretHashAsync(db, tx, id, oldHash, newHash), ct);

    public Task<bool> AnyOperatorKeyAsync(CancellationToken ct) =>
        ReadAsync(ApiKeySql.AnyOperatorAsync, ct);
}
