namespace Leasehold.Server.Storage;

/// <summary>API keys: only the hash of each secret is stored.</summary>
internal interface IApiKeyStore
{
    /// <summary>Stores a new key; <paramref name="audit"/> is appended to the audit trail in the same transaction.</summary>
    Task CreateApiKeyAsync(ApiKey key, IReadOnlyList<AuditEntry> audit, CancellationToken ct);

    /// <summary>
    /// Stores a tenant's admin or client key unless the tenant holds <paramref name="quota"/> standing keys of
    /// those roles already (false: nothing stored, nothing recorded); the count and the insert are one
    /// transaction, so the quota holds however many nodes create keys at once.
    /// </summary>
    Task<bool> CreateApiKeyWithinQuotaAsync(ApiKey key, int quota, IReadOnlyList<AuditEntry> audit, CancellationToken ct);

    Task<ApiKey?> FindApiKeyAsync(string secretHash, CancellationToken ct);

    /// <summary>A key by its id, revoked or not (the console checks that the key a person signed in with still stands).</summary>
    Task<ApiKey?> GetApiKeyAsync(string id, CancellationToken ct);

    /// <summary>Keys in scope, optionally of one tenant, by creation time, then id: all (<paramref name="page"/> null), or one page.</summary>
    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string? tenantScope, string? tenantId, PageRequest? page, CancellationToken ct);

    /// <summary>
    /// Revokes a key (a second revoke keeps the first time); the key as it now is, or null when not found in scope.
    /// A key revoked now is recorded in the audit trail as <paramref name="actor"/>'s <c>key.revoked</c>, in the same transaction.
    /// </summary>
    Task<ApiKey?> RevokeApiKeyAsync(string id, string? tenantScope, DateTimeOffset at, AuditActor? actor, CancellationToken ct);

    Task<bool> AnyOperatorKeyAsync(CancellationToken ct);

    /// <summary>The keys whose secret is stored with the salted slow hash (human-chosen operator keys), revoked ones too.</summary>
    Task<IReadOnlyList<ApiKey>> ListSlowHashedApiKeysAsync(CancellationToken ct);

    /// <summary>Replaces a key's stored hash if it is still <paramref name="oldHash"/>; false when it was not (another node upgraded it first).</summary>
    Task<bool> ReplaceSecretHashAsync(string id, string oldHash, string newHash, CancellationToken ct);
}

/// <summary>
/// An API key as stored: only a hash of its secret is kept: SHA-256 of a generated secret, or the
/// salted slow hash (<see cref="Auth.ApiKeySecrets.SlowHash"/>) of a human-chosen operator key.
/// </summary>
internal sealed record ApiKey(string Id, string? TenantId, ApiKeyRole Role, string? Name, string SecretHash,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

internal enum ApiKeyRole
{
    /// <summary>The vendor or whoever runs the server: everything, every tenant.</summary>
    Operator,

    /// <summary>A tenant's admin: everything of that one tenant.</summary>
    Admin,

    /// <summary>A licensed application: session calls and checks for its tenant only.</summary>
    Client,

    /// <summary>
    /// An installation of a company license (installations.md): fetches its own license file and says
    /// which one it runs on, nothing else. Made when the installation is registered; its name is the installation's id.
    /// </summary>
    Installation,
}
