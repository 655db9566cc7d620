namespace Leasehold.Server.Storage.Sqlite;

/// <summary>Signing keys on SQLite (<see cref="SigningKeySql"/> holds the SQL).</summary>
internal sealed partial class SqliteStore
{
    public Task<IReadOnlyList<StoredSigningKey>> ListSigningKeysAsync(PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => SigningKeySql.ListAsync(db, Dialect, page), ct);

    public Task AddSigningKeyAsync(StoredSigningKey key, CancellationToken ct) =>
        WriteAsync((db, tx) => SigningKeySql.AddAsync(db, tx, key), ct);

    public Task<string> GetOrAddSecretAsync(string name, string candidate, DateTimeOffset at, CancellationToken ct) =>
        WriteAsync((db, tx) => SigningKeySql.GetOrAddSecretAsync(db, tx, name, candidate, at), ct);
}
