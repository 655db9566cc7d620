using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client.Admin;

/// <summary>
/// The admin API for tools: tenants, licenses, connections, API keys, sessions and waiting lines, their lists (<c>LeaseholdAdminClient.Lists.cs</c>), and usage (<c>LeaseholdAdminClient.Usage.cs</c>). Needs an
/// <c>operator</c> key, or an <c>admin</c> key for its own tenant. Every refusal is a
/// <see cref="LeaseholdException"/> with the server's code, detail and field.
/// </summary>
public sealed partial class LeaseholdAdminClient : IDisposable
{
    private readonly ApiConnection _api;

    /// <summary>A client with its own <see cref="HttpClient"/>, disposed with it.</summary>
    /// <param name="options">The server and an <c>operator</c> or <c>admin</c> key (the lease settings are not used).</param>
    /// <exception cref="InvalidOperationException"><see cref="LeaseholdClientOptions.ServerUrl"/> or <see cref="LeaseholdClientOptions.ApiKey"/> is missing.</exception>
    public LeaseholdAdminClient(LeaseholdClientOptions options) => _api = ApiConnection.Create(options);

    /// <summary>A client over a given <see cref="HttpClient"/> (infinite <c>Timeout</c>), which it does not dispose.</summary>
    /// <param name="http">The client to send with.</param>
    /// <param name="options">The server and an <c>operator</c> or <c>admin</c> key.</param>
    /// <exception cref="InvalidOperationException"><see cref="LeaseholdClientOptions.ServerUrl"/> or <see cref="LeaseholdClientOptions.ApiKey"/> is missing.</exception>
    public LeaseholdAdminClient(HttpClient http, LeaseholdClientOptions options) => _api = ApiConnection.Over(http, options);

    /// <summary>Creates a tenant (operator keys only).</summary>
    /// <param name="name">Its display name.</param>
    /// <param name="timeZone">Its IANA time zone, e.g. <c>Europe/Berlin</c>: the calendar of access windows and usage reports.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 <c>invalid_request</c> (an unknown time zone: <see cref="LeaseholdException.Field"/> <c>timeZone</c>), 403 for a non-operator key.</exception>
    public Task<TenantInfo> CreateTenantAsync(string name, string timeZone, CancellationToken ct = default) =>
        Send<TenantInfo>(HttpMethod.Post, "v1/tenants", new { name, timeZone }, ct);

    /// <summary>Reads one tenant.</summary>
    /// <param name="id">The tenant's id.</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">404 <c>not_found</c>, also for a tenant the key may not see.</exception>
    public Task<TenantInfo> GetTenantAsync(string id, CancellationToken ct = default) =>
        Send<TenantInfo>(HttpMethod.Get, $"v1/tenants/{Escape(id)}", null, ct);

    /// <summary>Creates a license (operator keys only). The policy is checked by the server's rules first.</summary>
    /// <param name="license">The tenant, product, seats, and optionally the policy and term.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 <c>invalid_request</c> or <c>invalid_policy</c> with the <see cref="LeaseholdException.Field"/> at fault; 404 for an unknown tenant; 409 <c>plan_limit_reached</c>.</exception>
    public Task<LicenseInfo> CreateLicenseAsync(NewLicense license, CancellationToken ct = default) =>
        Send<LicenseInfo>(HttpMethod.Post, "v1/licenses", license, ct);

    /// <summary>Changes a license (operator keys only): what <paramref name="changes"/> leaves null stays. A new policy raises its version; a later end is a renewal.</summary>
    /// <param name="id">The license's id.</param>
    /// <param name="changes">The changes.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault; 404 <c>not_found</c>.</exception>
    public Task<LicenseInfo> UpdateLicenseAsync(string id, LicenseChanges changes, CancellationToken ct = default) =>
        Send<LicenseInfo>(new HttpMethod("PATCH"), $"v1/licenses/{Escape(id)}", changes, ct);

    /// <summary>Reads one license with its full effective policy and seats in use now.</summary>
    /// <param name="id">The license's id.</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">404 <c>not_found</c>, also for a license of another tenant.</exception>
    public Task<LicenseInfo> GetLicenseAsync(string id, CancellationToken ct = default) =>
        Send<LicenseInfo>(HttpMethod.Get, $"v1/licenses/{Escape(id)}", null, ct);

    /// <summary>Creates a connection: a shared access credential of a tenant, open by its access plan. Its user is the first to sign in on it.</summary>
    /// <param name="accessPlan"><c>"business-hours"</c>, <c>"always"</c>, or a plan document.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="name">Its name.</param>
    /// <param name="email">The shared e-mail with which users may share it (take it over); null: nobody shares it.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault (an access plan the server cannot read); 409 <c>connection_exists</c> for a name taken.</exception>
    public Task<ConnectionInfo> CreateConnectionAsync(string tenantId, string name, string? email, JsonElement accessPlan, CancellationToken ct = default) =>
        Send<ConnectionInfo>(HttpMethod.Post, "v1/connections", new { tenantId, name, email, accessPlan }, ct);

    /// <summary>Creates a connection with a named user.</summary>
    /// <param name="user">Its user, the only one who may use it without its shared e-mail; null: the first user to sign in on it.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="name">Its name.</param>
    /// <param name="email">The shared e-mail with which users may share it; null: nobody shares it.</param>
    /// <param name="accessPlan"><c>"business-hours"</c>, <c>"always"</c>, or a plan document.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault; 409 <c>connection_exists</c> for a name taken.</exception>
    public Task<ConnectionInfo> CreateConnectionAsync(string tenantId, string name, string? email, JsonElement accessPlan, string? user, CancellationToken ct = default) =>
        Send<ConnectionInfo>(HttpMethod.Post, "v1/connections", new { tenantId, name, email, accessPlan, user }, ct);

    /// <summary>Changes a connection: what is null stays as it is; <paramref name="user"/> names its user (the only one who may use it without its shared e-mail).</summary>
    /// <param name="id">The connection's id.</param>
    /// <param name="name">A new name; null: unchanged.</param>
    /// <param name="email">A new shared e-mail; null: unchanged.</param>
    /// <param name="accessPlan">A new access plan; null: unchanged.</param>
    /// <param name="user">Its user; null: unchanged.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault; 404 <c>not_found</c>.</exception>
    public Task<ConnectionInfo> UpdateConnectionAsync(string id, string? name, string? email, JsonElement? accessPlan, string? user,
        CancellationToken ct = default) =>
        Send<ConnectionInfo>(new HttpMethod("PATCH"), $"v1/connections/{Escape(id)}", new { name, email, accessPlan, user }, ct);

    /// <summary>Reads one connection, with whether it is open now and when it opens or closes next.</summary>
    /// <param name="id">The connection's id.</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">404 <c>not_found</c>.</exception>
    public Task<ConnectionInfo> GetConnectionAsync(string id, CancellationToken ct = default) =>
        Send<ConnectionInfo>(HttpMethod.Get, $"v1/connections/{Escape(id)}", null, ct);

    /// <summary>Changes a connection: what is null stays as it is (a planned maintenance window is a new <paramref name="accessPlan"/>).</summary>
    /// <param name="id">The connection's id.</param>
    /// <param name="name">A new name; null: unchanged.</param>
    /// <param name="email">A new shared e-mail; null: unchanged (use <see cref="ReplaceConnectionAsync(string, string, string?, JsonElement, CancellationToken)"/> to remove it).</param>
    /// <param name="accessPlan">A new access plan; null: unchanged.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault; 404 <c>not_found</c>.</exception>
    public Task<ConnectionInfo> UpdateConnectionAsync(string id, string? name = null, string? email = null, JsonElement? accessPlan = null,
        CancellationToken ct = default) =>
        Send<ConnectionInfo>(new HttpMethod("PATCH"), $"v1/connections/{Escape(id)}", new { name, email, accessPlan }, ct);

    /// <summary>
    /// Replaces a connection whole: a null <paramref name="email"/> removes its shared e-mail, and its user is
    /// cleared (the next user to sign in on it becomes its user; the overload with a user names one).
    /// </summary>
    /// <param name="id">The connection's id.</param>
    /// <param name="name">Its name.</param>
    /// <param name="email">Its shared e-mail; null: none.</param>
    /// <param name="accessPlan">Its access plan.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault; 404 <c>not_found</c>.</exception>
    public Task<ConnectionInfo> ReplaceConnectionAsync(string id, string name, string? email, JsonElement accessPlan, CancellationToken ct = default) =>
        Send<ConnectionInfo>(HttpMethod.Put, $"v1/connections/{Escape(id)}", new { name, email, accessPlan }, ct);

    /// <summary>Replaces a connection whole with a named user: a null <paramref name="email"/> removes its shared e-mail, a null <paramref name="user"/> its user.</summary>
    /// <param name="id">The connection's id.</param>
    /// <param name="name">Its name.</param>
    /// <param name="email">Its shared e-mail; null: none.</param>
    /// <param name="accessPlan">Its access plan.</param>
    /// <param name="user">Its user, the only one who may use it without its shared e-mail; null: the next user to sign in on it.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault; 404 <c>not_found</c>; 409 <c>connection_exists</c> for a name taken.</exception>
    public Task<ConnectionInfo> ReplaceConnectionAsync(string id, string name, string? email, JsonElement accessPlan, string? user, CancellationToken ct = default) =>
        Send<ConnectionInfo>(HttpMethod.Put, $"v1/connections/{Escape(id)}", new { name, email, accessPlan, user }, ct);

    /// <summary>Removes a connection.</summary>
    /// <exception cref="LeaseholdException">409 <c>connection_in_use</c> while open sessions use it.</exception>
    /// <param name="id">The connection's id.</param>
    /// <param name="ct">Cancels the request.</param>
    public Task DeleteConnectionAsync(string id, CancellationToken ct = default) =>
        Send<JsonElement>(HttpMethod.Delete, $"v1/connections/{Escape(id)}", null, ct);

    /// <summary>Creates an API key. An operator key may create any; an admin key only <c>admin</c> and <c>client</c> keys of its own tenant.</summary>
    /// <param name="role"><c>operator</c>, <c>admin</c> or <c>client</c>.</param>
    /// <param name="tenantId">The tenant of an <c>admin</c> or <c>client</c> key; null for an <c>operator</c> key (or an admin key's own tenant).</param>
    /// <param name="name">What the key is for, shown in lists and the audit trail.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">400 with the <see cref="LeaseholdException.Field"/> at fault; 403 for a role the key may not create.</exception>
    /// <returns>The key with its secret in <see cref="ApiKeyInfo.Key"/>: shown this once.</returns>
    public Task<ApiKeyInfo> CreateApiKeyAsync(string role, string? tenantId = null, string? name = null, CancellationToken ct = default) =>
        Send<ApiKeyInfo>(HttpMethod.Post, "v1/api-keys", new { tenantId, role, name }, ct);

    /// <summary>Revokes an API key: it stops working at once (its requests get 401). The record stays, with <see cref="ApiKeyInfo.RevokedAt"/>.</summary>
    /// <param name="id">The key's id (not its secret).</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">404 <c>not_found</c>, also for another tenant's key.</exception>
    public Task<ApiKeyInfo> RevokeApiKeyAsync(string id, CancellationToken ct = default) =>
        Send<ApiKeyInfo>(HttpMethod.Delete, $"v1/api-keys/{Escape(id)}", null, ct);

    /// <summary>Reads one session, live or ended (then with <see cref="SessionInfo.EndReason"/> and <see cref="SessionInfo.EndedAt"/>).</summary>
    /// <param name="id">The session's id.</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">404 <c>not_found</c>.</exception>
    public Task<SessionInfo> GetSessionAsync(string id, CancellationToken ct = default) =>
        Send<SessionInfo>(HttpMethod.Get, $"v1/sessions/{Escape(id)}", null, ct);

    /// <summary>Ends a session at once and frees its seat; its application learns it on its push channel.</summary>
    /// <exception cref="SessionEndedException">It had already ended (the reason says how).</exception>
    /// <param name="id">The session's id.</param>
    /// <param name="ct">Cancels the request.</param>
    public Task<SessionInfo> StopSessionAsync(string id, CancellationToken ct = default) =>
        Send<SessionInfo>(HttpMethod.Post, $"v1/sessions/{Escape(id)}/stop", null, ct);

    /// <summary>
    /// Ends a session at once and keeps its user out of the license for <paramref name="coolDownMinutes"/>
    /// (0: not at all): their checkouts are refused with <c>stopped_recently</c> until
    /// <see cref="SessionInfo.CoolDownUntil"/>, so the seat goes to someone else.
    /// </summary>
    public Task<SessionInfo> StopSessionAsync(string id, int coolDownMinutes, CancellationToken ct = default) =>
        Send<SessionInfo>(HttpMethod.Post, $"v1/sessions/{Escape(id)}/stop", new { coolDownMinutes }, ct);

    /// <summary>Reads one place in a waiting line, open or ended (then with <see cref="WaitingEntry.EndReason"/> and <see cref="WaitingEntry.EndedAt"/>).</summary>
    /// <param name="id">The entry's id (<c>wait_...</c>).</param>
    /// <param name="ct">Cancels the request (reads are retried on transient failures).</param>
    /// <exception cref="LeaseholdException">404 <c>not_found</c>, also for another tenant's entry.</exception>
    public Task<WaitingEntry> GetWaitAsync(string id, CancellationToken ct = default) =>
        Send<WaitingEntry>(HttpMethod.Get, $"v1/waits/{Escape(id)}", null, ct);

    /// <summary>
    /// Removes an entry from its waiting line: it ends as <c>left</c> (its application learns it on its next call or at once on its
    /// event stream), a seat held for it passes to the next in line, and the removal is recorded in the audit trail
    /// (<c>wait.removed</c>, with this key).
    /// </summary>
    /// <param name="id">The entry's id (<c>wait_...</c>).</param>
    /// <param name="ct">Cancels the request.</param>
    /// <exception cref="LeaseholdException">404 <c>not_found</c>; <see cref="LeaseholdException.Status"/> 410 (the problem <c>wait_ended</c>) when it had already ended otherwise: its <c>reason</c> is in <see cref="LeaseholdException.Problem"/>.</exception>
    public Task RemoveWaitAsync(string id, CancellationToken ct = default) =>
        Send<JsonElement>(HttpMethod.Delete, $"v1/waits/{Escape(id)}", null, ct);

    /// <summary>Lifts a user's cool-down: they may check out again at once.</summary>
    /// <exception cref="LeaseholdException">404 <c>not_found</c> when the user is not cooling down on the license.</exception>
    /// <param name="licenseId">The license.</param>
    /// <param name="user">The user.</param>
    /// <param name="ct">Cancels the request.</param>
    public Task LiftCoolDownAsync(string licenseId, string user, CancellationToken ct = default) =>
        Send<JsonElement>(HttpMethod.Delete, $"v1/licenses/{Escape(licenseId)}/cool-downs/{Escape(user)}", null, ct);

    /// <summary>Registers an installation of a company license with its share of the seats.</summary>
    /// <exception cref="LeaseholdException">409 <c>allocation_exceeds_license</c> when the license cannot give the share (<c>maxSeats</c> says how many it can).</exception>
    /// <param name="licenseId">The license.</param>
    /// <param name="name">Its name (the site or server it runs on).</param>
    /// <param name="fingerprint">The fingerprint of the machine it runs on.</param>
    /// <param name="seats">Its share of the license's seats.</param>
    /// <param name="ct">Cancels the request.</param>
    public Task<InstallationInfo> RegisterInstallationAsync(string licenseId, string name, string fingerprint, int seats, CancellationToken ct = default) =>
        Send<InstallationInfo>(HttpMethod.Post, "v1/installations", new { licenseId, name, fingerprint, seats }, ct);

    /// <summary>Changes an installation's share: lower always; higher within what the license has free.</summary>
    /// <param name="id">The installation's id.</param>
    /// <param name="seats">Its new share of the license's seats.</param>
    /// <param name="ct">Cancels the request.</param>
    public Task<InstallationInfo> AllocateInstallationAsync(string id, int seats, CancellationToken ct = default) =>
        Send<InstallationInfo>(new HttpMethod("PATCH"), $"v1/installations/{Escape(id)}", new { seats }, ct);

    /// <summary>Signs the installation's next license file (its share now, the license's policy and end).</summary>
    /// <param name="id">The installation's id.</param>
    /// <param name="ct">Cancels the request.</param>
    public Task<LicenseFileInfo> IssueLicenseFileAsync(string id, CancellationToken ct = default) =>
        Send<LicenseFileInfo>(HttpMethod.Post, $"v1/installations/{Escape(id)}/license-file", null, ct);

    /// <summary>Makes the installation a new installation key (in <see cref="InstallationInfo.InstallationKey"/>) and revokes its old ones.</summary>
    /// <param name="id">The installation's id.</param>
    /// <param name="ct">Cancels the request.</param>
    public Task<InstallationInfo> ReplaceInstallationKeyAsync(string id, CancellationToken ct = default) =>
        Send<InstallationInfo>(HttpMethod.Post, $"v1/installations/{Escape(id)}/key", null, ct);

    /// <summary>On an installation-mode server: the license file it runs on, when it renews by itself, the last attempt.</summary>
    /// <param name="ct">Cancels the request.</param>
    public Task<InstallationStatus> GetInstallationStatusAsync(CancellationToken ct = default) =>
        Send<InstallationStatus>(HttpMethod.Get, "v1/installation", null, ct);

    /// <summary>On an installation-mode server: fetch a new license file from the issuer now (the Update button).</summary>
    /// <exception cref="LeaseholdException">502 (<c>issuer_unreachable</c>, <c>issuer_refused</c>, a <c>license_file_*</c> code) or 409 <c>issuer_not_configured</c>: the current file is kept.</exception>
    /// <param name="ct">Cancels the request.</param>
    public Task<InstallationUpdate> UpdateInstallationAsync(CancellationToken ct = default) =>
        Send<InstallationUpdate>(HttpMethod.Post, "v1/installation/update", null, ct);

    /// <summary>A new key signs from now on (operator); the old one is retired but still published.</summary>
    /// <param name="ct">Cancels the request.</param>
    public Task<SigningKeyInfo> RotateSigningKeyAsync(CancellationToken ct = default) =>
        Send<SigningKeyInfo>(HttpMethod.Post, "v1/signing-keys", null, ct);

    /// <summary>The public keys license files are signed with, as the JSON Web Key Set the server publishes (to pin them).</summary>
    /// <param name="ct">Cancels the request.</param>
    public Task<JsonElement> GetJwksAsync(CancellationToken ct = default) =>
        Send<JsonElement>(HttpMethod.Get, ".well-known/jwks.json", null, ct);

    /// <summary>Any other call of the API, for what this client does not wrap yet: the answer as JSON (default for 204).</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path under the server's URL, e.g. <c>v1/usage/licenses/lic_.../holders</c> (a leading slash is ignored).</param>
    /// <param name="body">The request body, serialised as JSON (camelCase); null: none.</param>
    /// <param name="ct">Cancels the request.</param>
    public Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null, CancellationToken ct = default) =>
        Send<JsonElement>(method, path.TrimStart('/'), body, ct);

    private Task<T> Send<T>(HttpMethod method, string path, object? body, CancellationToken ct) =>
        method == HttpMethod.Get
            ? Backoff.RetryAsync(_api.Options, attempt => _api.SendAsync<T>(method, path, body, attempt), ct)
            : _api.SendAsync<T>(method, path, body, ct); // a write is not retried blindly: it may have been applied

    internal static string Escape(string id) => Uri.EscapeDataString(id);

    internal static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToArray();
        return present.Length == 0 ? "" : "?" + string.Join("&", present);
    }

    /// <summary>Disposes the client's own <see cref="HttpClient"/> (not one it was given).</summary>
    public void Dispose() => _api.Dispose();
}
