using System.Text.Json;
using Leasehold.Client.Http;

namespace Leasehold.Client.Admin;

/// <summary>
/// The admin API for tools: tenants, licenses, connections, API keys and sessions, their lists (<c>LeaseholdAdminClient.Lists.cs</c>), and usage (<c>LeaseholdAdminClient.Usage.cs</c>). Needs an
/// <c>operator</c> key, or an <c>admin</c> key for its own tenant. Every refusal is a
/// <see cref="LeaseholdException"/> with the server's code, detail and field.
/// </summary>
public sealed partial class LeaseholdAdminClient : IDisposable
{
    private readonly ApiConnection _api;

    /// <summary>A client with its own <see cref="HttpClient"/>.</summary>
    public LeaseholdAdminClient(LeaseholdClientOptions options) => _api = ApiConnection.Create(options);

    /// <summary>A client over a given <see cref="HttpClient"/> (infinite <c>Timeout</c>), which it does not dispose.</summary>
    public LeaseholdAdminClient(HttpClient http, LeaseholdClientOptions options) => _api = ApiConnection.Over(http, options);

    public Task<TenantInfo> CreateTenantAsync(string name, string timeZone, CancellationToken ct = default) =>
        Send<TenantInfo>(HttpMethod.Post, "v1/tenants", new { name, timeZone }, ct);

    public Task<TenantInfo> GetTenantAsync(string id, CancellationToken ct = default) =>
        Send<TenantInfo>(HttpMethod.Get, $"v1/tenants/{Escape(id)}", null, ct);

    public Task<LicenseInfo> CreateLicenseAsync(NewLicense license, CancellationToken ct = default) =>
        Send<LicenseInfo>(HttpMethod.Post, "v1/licenses", license, ct);

    public Task<LicenseInfo> UpdateLicenseAsync(string id, LicenseChanges changes, CancellationToken ct = default) =>
        Send<LicenseInfo>(new HttpMethod("PATCH"), $"v1/licenses/{Escape(id)}", changes, ct);

    public Task<LicenseInfo> GetLicenseAsync(string id, CancellationToken ct = default) =>
        Send<LicenseInfo>(HttpMethod.Get, $"v1/licenses/{Escape(id)}", null, ct);

    /// <param name="accessPlan">"business-hours", "always", or a plan document.</param>
    public Task<ConnectionInfo> CreateConnectionAsync(string tenantId, string name, string? email, JsonElement accessPlan, CancellationToken ct = default) =>
        Send<ConnectionInfo>(HttpMethod.Post, "v1/connections", new { tenantId, name, email, accessPlan }, ct);

    /// <param name="user">Its user, the only one who may use it without its shared e-mail; null: the first user to sign in on it.</param>
    public Task<ConnectionInfo> CreateConnectionAsync(string tenantId, string name, string? email, JsonElement accessPlan, string? user, CancellationToken ct = default) =>
        Send<ConnectionInfo>(HttpMethod.Post, "v1/connections", new { tenantId, name, email, accessPlan, user }, ct);

    /// <summary>Changes a connection: what is null stays as it is; <paramref name="user"/> names its user (the only one who may use it without its shared e-mail).</summary>
    public Task<ConnectionInfo> UpdateConnectionAsync(string id, string? name, string? email, JsonElement? accessPlan, string? user,
        CancellationToken ct = default) =>
        Send<ConnectionInfo>(new HttpMethod("PATCH"), $"v1/connections/{Escape(id)}", new { name, email, accessPlan, user }, ct);

    public Task<ConnectionInfo> GetConnectionAsync(string id, CancellationToken ct = default) =>
        Send<ConnectionInfo>(HttpMethod.Get, $"v1/connections/{Escape(id)}", null, ct);

    /// <summary>Changes a connection: what is null stays as it is (a planned maintenance window is a new <paramref name="accessPlan"/>).</summary>
    public Task<ConnectionInfo> UpdateConnectionAsync(string id, string? name = null, string? email = null, JsonElement? accessPlan = null,
        CancellationToken ct = default) =>
        Send<ConnectionInfo>(new HttpMethod("PATCH"), $"v1/connections/{Escape(id)}", new { name, email, accessPlan }, ct);

    /// <summary>Replaces a connection whole: a null <paramref name="email"/> removes its shared e-mail.</summary>
    public Task<ConnectionInfo> ReplaceConnectionAsync(string id, string name, string? email, JsonElement accessPlan, CancellationToken ct = default) =>
        Send<ConnectionInfo>(HttpMethod.Put, $"v1/connections/{Escape(id)}", new { name, email, accessPlan }, ct);

    /// <summary>Removes a connection.</summary>
    /// <exception cref="LeaseholdException">409 <c>connection_in_use</c> while open sessions use it.</exception>
    public Task DeleteConnectionAsync(string id, CancellationToken ct = default) =>
        Send<JsonElement>(HttpMethod.Delete, $"v1/connections/{Escape(id)}", null, ct);

    /// <param name="role"><c>operator</c>, <c>admin</c> or <c>client</c>.</param>
    /// <returns>The key with its secret in <see cref="ApiKeyInfo.Key"/>: shown this once.</returns>
    public Task<ApiKeyInfo> CreateApiKeyAsync(string role, string? tenantId = null, string? name = null, CancellationToken ct = default) =>
        Send<ApiKeyInfo>(HttpMethod.Post, "v1/api-keys", new { tenantId, role, name }, ct);

    public Task<ApiKeyInfo> RevokeApiKeyAsync(string id, CancellationToken ct = default) =>
        Send<ApiKeyInfo>(HttpMethod.Delete, $"v1/api-keys/{Escape(id)}", null, ct);

    public Task<SessionInfo> GetSessionAsync(string id, CancellationToken ct = default) =>
        Send<SessionInfo>(HttpMethod.Get, $"v1/sessions/{Escape(id)}", null, ct);

    /// <summary>Ends a session at once and frees its seat; its application learns it on its push channel.</summary>
    /// <exception cref="SessionEndedException">It had already ended (the reason says how).</exception>
    public Task<SessionInfo> StopSessionAsync(string id, CancellationToken ct = default) =>
        Send<SessionInfo>(HttpMethod.Post, $"v1/sessions/{Escape(id)}/stop", null, ct);

    /// <summary>
    /// Ends a session at once and keeps its user out of the license for <paramref name="coolDownMinutes"/>
    /// (0: not at all): their checkouts are refused with <c>stopped_recently</c> until
    /// <see cref="SessionInfo.CoolDownUntil"/>, so the seat goes to someone else.
    /// </summary>
    public Task<SessionInfo> StopSessionAsync(string id, int coolDownMinutes, CancellationToken ct = default) =>
        Send<SessionInfo>(HttpMethod.Post, $"v1/sessions/{Escape(id)}/stop", new { coolDownMinutes }, ct);

    /// <summary>Lifts a user's cool-down: they may check out again at once.</summary>
    /// <exception cref="LeaseholdException">404 <c>not_found</c> when the user is not cooling down on the license.</exception>
    public Task LiftCoolDownAsync(string licenseId, string user, CancellationToken ct = default) =>
        Send<JsonElement>(HttpMethod.Delete, $"v1/licenses/{Escape(licenseId)}/cool-downs/{Escape(user)}", null, ct);

    /// <summary>Registers an installation of a company license with its share of the seats.</summary>
    /// <exception cref="LeaseholdException">409 <c>allocation_exceeds_license</c> when the license cannot give the share (<c>maxSeats</c> says how many it can).</exception>
    public Task<InstallationInfo> RegisterInstallationAsync(string licenseId, string name, string fingerprint, int seats, CancellationToken ct = default) =>
        Send<InstallationInfo>(HttpMethod.Post, "v1/installations", new { licenseId, name, fingerprint, seats }, ct);

    /// <summary>Changes an installation's share: lower always; higher within what the license has free.</summary>
    public Task<InstallationInfo> AllocateInstallationAsync(string id, int seats, CancellationToken ct = default) =>
        Send<InstallationInfo>(new HttpMethod("PATCH"), $"v1/installations/{Escape(id)}", new { seats }, ct);

    /// <summary>Signs the installation's next license file (its share now, the license's policy and end).</summary>
    public Task<LicenseFileInfo> IssueLicenseFileAsync(string id, CancellationToken ct = default) =>
        Send<LicenseFileInfo>(HttpMethod.Post, $"v1/installations/{Escape(id)}/license-file", null, ct);

    /// <summary>Makes the installation a new installation key (in <see cref="InstallationInfo.InstallationKey"/>) and revokes its old ones.</summary>
    public Task<InstallationInfo> ReplaceInstallationKeyAsync(string id, CancellationToken ct = default) =>
        Send<InstallationInfo>(HttpMethod.Post, $"v1/installations/{Escape(id)}/key", null, ct);

    /// <summary>On an installation-mode server: the license file it runs on, when it renews by itself, the last attempt.</summary>
    public Task<InstallationStatus> GetInstallationStatusAsync(CancellationToken ct = default) =>
        Send<InstallationStatus>(HttpMethod.Get, "v1/installation", null, ct);

    /// <summary>On an installation-mode server: fetch a new license file from the issuer now (the Update button).</summary>
    /// <exception cref="LeaseholdException">502 (<c>issuer_unreachable</c>, <c>issuer_refused</c>, a <c>license_file_*</c> code) or 409 <c>issuer_not_configured</c>: the current file is kept.</exception>
    public Task<InstallationUpdate> UpdateInstallationAsync(CancellationToken ct = default) =>
        Send<InstallationUpdate>(HttpMethod.Post, "v1/installation/update", null, ct);

    /// <summary>A new key signs from now on (operator); the old one is retired but still published.</summary>
    public Task<SigningKeyInfo> RotateSigningKeyAsync(CancellationToken ct = default) =>
        Send<SigningKeyInfo>(HttpMethod.Post, "v1/signing-keys", null, ct);

    /// <summary>The public keys license files are signed with, as the JSON Web Key Set the server publishes (to pin them).</summary>
    public Task<JsonElement> GetJwksAsync(CancellationToken ct = default) =>
        Send<JsonElement>(HttpMethod.Get, ".well-known/jwks.json", null, ct);

    /// <summary>Any other call of the API, for what this client does not wrap yet: the answer as JSON (default for 204).</summary>
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

    public void Dispose() => _api.Dispose();
}
