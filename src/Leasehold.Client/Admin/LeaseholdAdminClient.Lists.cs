namespace Leasehold.Client.Admin;

/// <summary>
/// The lists of the admin API. The server answers every list a page at a time (<see cref="Page{T}"/>):
/// each <c>ListXAsync</c> reads them all, following <see cref="Page{T}.NextCursor"/> until the last page;
/// each <c>ListXPageAsync</c> reads one page, for a caller that shows or processes a page at a time.
/// </summary>
public sealed partial class LeaseholdAdminClient
{
    /// <summary>The most items a page may hold (the server's maximum <c>limit</c>); the <c>ListXAsync</c> methods read pages this big.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Every tenant this key may see (the operator: all; an admin key: its own), by creation.</summary>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">403 for a key that may not list them (a client key), or the server stayed unreachable while a page was read.</exception>
    public Task<IReadOnlyList<TenantInfo>> ListTenantsAsync(CancellationToken ct = default) =>
        ReadAllAsync<TenantInfo>("v1/tenants", [], ct);

    /// <summary>One page of the tenants, by creation.</summary>
    /// <param name="cursor">The <see cref="Page{T}.NextCursor"/> of the previous page (null: the first).</param>
    /// <param name="limit">Items per page, 1-1000 (the server's default: 100).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    public Task<Page<TenantInfo>> ListTenantsPageAsync(string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        ReadPageAsync<TenantInfo>("v1/tenants", [], cursor, limit, ct);

    /// <summary>Every license this key may see, optionally of one tenant, by creation, with its seats in use now.</summary>
    /// <param name="tenantId">Only this tenant's (an operator key); null: all the key may see.</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">403 for a key that may not list them (a client key), or the server stayed unreachable while a page was read.</exception>
    public Task<IReadOnlyList<LicenseInfo>> ListLicensesAsync(string? tenantId = null, CancellationToken ct = default) =>
        ReadAllAsync<LicenseInfo>("v1/licenses", [("tenantId", tenantId)], ct);

    /// <summary>One page of the licenses, optionally of one tenant, by creation.</summary>
    /// <param name="tenantId">Only this tenant's (an operator key); null: all the key may see.</param>
    /// <param name="cursor">The <see cref="Page{T}.NextCursor"/> of the previous page (null: the first).</param>
    /// <param name="limit">Items per page, 1-1000 (the server's default: 100).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault (a bad cursor or limit); 403 for a key that may not list them.</exception>
    public Task<Page<LicenseInfo>> ListLicensesPageAsync(string? tenantId = null, string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        ReadPageAsync<LicenseInfo>("v1/licenses", [("tenantId", tenantId)], cursor, limit, ct);

    /// <summary>Every connection this key may see, optionally of one tenant, by creation.</summary>
    /// <param name="tenantId">Only this tenant's (an operator key); null: all the key may see.</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">403 for a key that may not list them (a client key), or the server stayed unreachable while a page was read.</exception>
    public Task<IReadOnlyList<ConnectionInfo>> ListConnectionsAsync(string? tenantId = null, CancellationToken ct = default) =>
        ReadAllAsync<ConnectionInfo>("v1/connections", [("tenantId", tenantId)], ct);

    /// <summary>One page of the connections, optionally of one tenant, by creation.</summary>
    /// <param name="tenantId">Only this tenant's (an operator key); null: all the key may see.</param>
    /// <param name="cursor">The <see cref="Page{T}.NextCursor"/> of the previous page (null: the first).</param>
    /// <param name="limit">Items per page, 1-1000 (the server's default: 100).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault (a bad cursor or limit); 403 for a key that may not list them.</exception>
    public Task<Page<ConnectionInfo>> ListConnectionsPageAsync(string? tenantId = null, string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        ReadPageAsync<ConnectionInfo>("v1/connections", [("tenantId", tenantId)], cursor, limit, ct);

    /// <summary>Every API key this key may see (never their secrets), optionally of one tenant, by creation.</summary>
    /// <param name="tenantId">Only this tenant's (an operator key); null: all the key may see.</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">403 for a key that may not list them (a client key), or the server stayed unreachable while a page was read.</exception>
    public Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string? tenantId = null, CancellationToken ct = default) =>
        ReadAllAsync<ApiKeyInfo>("v1/api-keys", [("tenantId", tenantId)], ct);

    /// <summary>One page of the API keys, optionally of one tenant, by creation.</summary>
    /// <param name="tenantId">Only this tenant's (an operator key); null: all the key may see.</param>
    /// <param name="cursor">The <see cref="Page{T}.NextCursor"/> of the previous page (null: the first).</param>
    /// <param name="limit">Items per page, 1-1000 (the server's default: 100).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault (a bad cursor or limit); 403 for a key that may not list them.</exception>
    public Task<Page<ApiKeyInfo>> ListApiKeysPageAsync(string? tenantId = null, string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        ReadPageAsync<ApiKeyInfo>("v1/api-keys", [("tenantId", tenantId)], cursor, limit, ct);

    /// <summary>Who holds seats now: every live session, oldest first; of one license or the whole tenant.</summary>
    /// <param name="licenseId">Only this license's; null: all the key may see.</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">403 for a key that may not list them (a client key), or the server stayed unreachable while a page was read.</exception>
    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(string? licenseId = null, CancellationToken ct = default) =>
        ReadAllAsync<SessionInfo>("v1/sessions", [("licenseId", licenseId)], ct);

    /// <summary>One page of who holds seats now, oldest first.</summary>
    /// <param name="licenseId">Only this license's; null: all the key may see.</param>
    /// <param name="cursor">The <see cref="Page{T}.NextCursor"/> of the previous page (null: the first).</param>
    /// <param name="limit">Items per page, 1-1000 (the server's default: 100).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault (a bad cursor or limit); 403 for a key that may not list them.</exception>
    public Task<Page<SessionInfo>> ListSessionsPageAsync(string? licenseId = null, string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        ReadPageAsync<SessionInfo>("v1/sessions", [("licenseId", licenseId)], cursor, limit, ct);

    /// <summary>Who waits for a seat: every open place in a waiting line (docs/waiting-line.md), by join time, each with its position in its license's line.</summary>
    /// <param name="licenseId">Only this license's line; null: every line the key may see.</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">404 <c>not_found</c> (field <c>licenseId</c>) for an unknown license; 403 for a key that may not list them (a client key), or the server stayed unreachable while a page was read.</exception>
    public Task<IReadOnlyList<WaitingEntry>> ListWaitsAsync(string? licenseId = null, CancellationToken ct = default) =>
        ReadAllAsync<WaitingEntry>("v1/waits", [("licenseId", licenseId)], ct);

    /// <summary>One page of who waits for a seat, by join time.</summary>
    /// <param name="licenseId">Only this license's line; null: every line the key may see.</param>
    /// <param name="cursor">The <see cref="Page{T}.NextCursor"/> of the previous page (null: the first).</param>
    /// <param name="limit">Items per page, 1-1000 (the server's default: 100).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault (a bad cursor or limit); 404 for an unknown license; 403 for a key that may not list them.</exception>
    public Task<Page<WaitingEntry>> ListWaitsPageAsync(string? licenseId = null, string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        ReadPageAsync<WaitingEntry>("v1/waits", [("licenseId", licenseId)], cursor, limit, ct);

    /// <summary>Users an admin stopped whose cool-down on the license is in force, soonest end first.</summary>
    /// <param name="licenseId">The license.</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">403 for a key that may not list them (a client key), or the server stayed unreachable while a page was read.</exception>
    public Task<IReadOnlyList<CoolDownInfo>> ListCoolDownsAsync(string licenseId, CancellationToken ct = default) =>
        ReadAllAsync<CoolDownInfo>($"v1/licenses/{Escape(licenseId)}/cool-downs", [], ct);

    /// <summary>One page of the cool-downs in force on the license, soonest end first.</summary>
    /// <param name="licenseId">The license.</param>
    /// <param name="cursor">The <see cref="Page{T}.NextCursor"/> of the previous page (null: the first).</param>
    /// <param name="limit">Items per page, 1-1000 (the server's default: 100).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault (a bad cursor or limit); 403 for a key that may not list them.</exception>
    public Task<Page<CoolDownInfo>> ListCoolDownsPageAsync(string licenseId, string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        ReadPageAsync<CoolDownInfo>($"v1/licenses/{Escape(licenseId)}/cool-downs", [], cursor, limit, ct);

    /// <summary>Every installation this key may see, optionally of one license, by registration.</summary>
    /// <param name="licenseId">Only this license's; null: all the key may see.</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">403 for a key that may not list them (a client key), or the server stayed unreachable while a page was read.</exception>
    public Task<IReadOnlyList<InstallationInfo>> ListInstallationsAsync(string? licenseId = null, CancellationToken ct = default) =>
        ReadAllAsync<InstallationInfo>("v1/installations", [("licenseId", licenseId)], ct);

    /// <summary>One page of the installations, optionally of one license, by registration.</summary>
    /// <param name="licenseId">Only this license's; null: all the key may see.</param>
    /// <param name="cursor">The <see cref="Page{T}.NextCursor"/> of the previous page (null: the first).</param>
    /// <param name="limit">Items per page, 1-1000 (the server's default: 100).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault (a bad cursor or limit); 403 for a key that may not list them.</exception>
    public Task<Page<InstallationInfo>> ListInstallationsPageAsync(string? licenseId = null, string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        ReadPageAsync<InstallationInfo>("v1/installations", [("licenseId", licenseId)], cursor, limit, ct);

    /// <summary>The keys license files are signed with (operator): which one signs now, and when each was made and retired; oldest first.</summary>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">403 for a key that may not list them (a client key), or the server stayed unreachable while a page was read.</exception>
    public Task<IReadOnlyList<SigningKeyInfo>> ListSigningKeysAsync(CancellationToken ct = default) =>
        ReadAllAsync<SigningKeyInfo>("v1/signing-keys", [], ct);

    /// <summary>One page of the signing keys, oldest first.</summary>
    /// <param name="cursor">The <see cref="Page{T}.NextCursor"/> of the previous page (null: the first).</param>
    /// <param name="limit">Items per page, 1-1000 (the server's default: 100).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault (a bad cursor or limit); 403 for a key that may not list them.</exception>
    public Task<Page<SigningKeyInfo>> ListSigningKeysPageAsync(string? cursor = null, int? limit = null, CancellationToken ct = default) =>
        ReadPageAsync<SigningKeyInfo>("v1/signing-keys", [], cursor, limit, ct);

    private Task<Page<T>> ReadPageAsync<T>(string path, (string Name, string? Value)[] filters, string? cursor, int? limit, CancellationToken ct) =>
        Send<Page<T>>(HttpMethod.Get, path + Query([.. filters, ("cursor", cursor), ("limit", Number(limit))]), null, ct);

    /// <summary>Every page, in order: what the list held while it was read (an item added meanwhile may or may not be in it).</summary>
    private async Task<IReadOnlyList<T>> ReadAllAsync<T>(string path, (string Name, string? Value)[] filters, CancellationToken ct)
    {
        var all = new List<T>();
        string? cursor = null;
        do
        {
            var page = await ReadPageAsync<T>(path, filters, cursor, MaxPageSize, ct).ConfigureAwait(false);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }
}

/// <summary>
/// One page of a list: its <see cref="Items"/> in the list's order, and <see cref="NextCursor"/> to pass
/// as <c>cursor</c> for the next page (null: this is the last). A page may hold fewer items than asked and
/// still not be the last.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
