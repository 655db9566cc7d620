using Leasehold.Server.Storage;

namespace Leasehold.Server.Hosting;

/// <summary>
/// The server's settings, from the command line (<c>--data DIR</c>), the environment
/// (<c>LEASEHOLD_*</c>) or appsettings, in that order of precedence. See docs/operations.md.
/// </summary>
/// <param name="Postgres">A PostgreSQL connection string: the store is then PostgreSQL (several nodes may share it); null: SQLite in <paramref name="DataDirectory"/>.</param>
internal sealed record LeaseholdSettings(
    string DataDirectory,
    Durability Durability,
    string? AdminKey,
    TimeSpan ReaperInterval,
    string? Postgres = null)
{
    public const int MinAdminKeyLength = 16;

    /// <summary>How long raw usage events are kept before the retention job folds them into hourly rollups.</summary>
    public TimeSpan UsageRetention { get; init; } = TimeSpan.FromDays(400);

    /// <summary>How often the retention job runs.</summary>
    public TimeSpan UsageRollupInterval { get; init; } = TimeSpan.FromHours(1);

    public string AdminKeyFile => Path.Combine(DataDirectory, "admin-key");

    /// <summary>Installation mode: the license file this server enforces by itself (<c>--license-file</c>, <c>LEASEHOLD_LICENSE_FILE</c>); null: a normal server.</summary>
    public string? LicenseFile { get; init; }

    /// <summary>Installation mode: the issuer's public keys this installation trusts, as <c>leasehold signing-keys export</c> writes them.</summary>
    public string? IssuerKeysFile { get; init; }

    /// <summary>Installation mode: the issuing server's address, to fetch new files from (<c>--issuer</c>, <c>LEASEHOLD_ISSUER</c>); null: update by hand only.</summary>
    public Uri? Issuer { get; init; }

    /// <summary>Installation mode: the installation key the issuer made when it registered this installation (<c>LEASEHOLD_INSTALLATION_KEY</c>).</summary>
    public string? InstallationKey { get; init; }

    /// <summary>Installation mode: whether the installation renews its file by itself (<c>LEASEHOLD_AUTO_RENEW</c>, default true); false: only with Update.</summary>
    public bool AutoRenew { get; init; } = true;

    /// <summary>Installation mode: the first wait between attempts to renew inside the renewal window; it doubles up to 6 hours.</summary>
    public TimeSpan RenewRetry { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many unknown or revoked keys one address may present in a minute before it is answered 429
    /// (<c>LEASEHOLD_FAILED_KEYS_PER_MINUTE</c>, default 60): see <see cref="Auth.FailedKeyLimiter"/>.
    /// </summary>
    public int FailedKeysPerMinute { get; init; } = 60;

    /// <summary>
    /// Writes (POST, PUT, PATCH, DELETE under /v1) one admin, operator or installation key may make per
    /// minute on this node (<c>LEASEHOLD_WRITES_PER_MINUTE</c>, default 600; 0: no limit): see <see cref="Auth.WriteLimits"/>.
    /// </summary>
    public int WritesPerMinute { get; init; } = 600;

    /// <summary>
    /// Writes one client key may make per minute on this node (<c>LEASEHOLD_CLIENT_WRITES_PER_MINUTE</c>,
    /// default 60,000; 0: no limit). A client key serves every installation of an application, so this is high.
    /// </summary>
    public int ClientWritesPerMinute { get; init; } = 60_000;

    /// <summary>The largest request body the server reads; larger ones are answered 413 before they are read.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Reverse proxies whose X-Forwarded-For/-Proto headers are believed (<c>LEASEHOLD_TRUSTED_PROXIES</c>); empty: nobody's.</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>
    /// How many standing (not revoked) admin and client keys a tenant may hold (<c>LEASEHOLD_MAX_KEYS_PER_TENANT</c>,
    /// default 100, at least 1); creating one more is refused with <c>quota_exceeded</c>.
    /// </summary>
    public int MaxKeysPerTenant { get; init; } = 100;

    /// <summary>Refusal events one license may gain per clock hour before the rest go into the hour's overflow event (<c>LEASEHOLD_MAX_REFUSAL_EVENTS_PER_HOUR</c>).</summary>
    public int MaxRefusalEventsPerHour { get; init; } = StoreOptions.DefaultMaxRefusalEventsPerHour;

    /// <summary>Who may read <c>/metrics</c>, or metrics off (<c>LEASEHOLD_METRICS</c>: operator, the default; public; off): see <see cref="Telemetry.TelemetrySetup"/>.</summary>
    public Telemetry.MetricsAccess Metrics { get; init; }

    public StoreOptions StoreOptions => new(DataDirectory, Durability) { MaxRefusalEventsPerHour = MaxRefusalEventsPerHour };

    /// <summary>The PostgreSQL connection string (<c>--postgres</c>, <c>LEASEHOLD_POSTGRES</c>), or null for the embedded SQLite store.</summary>
    public static string? PostgresFrom(IConfiguration config) =>
        (config["postgres"] ?? config["LEASEHOLD_POSTGRES"]) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Installation mode's license file as configured (null: a normal server), read while the host is composed.</summary>
    public static string? LicenseFileFrom(IConfiguration config) => NonEmpty(config["license-file"] ?? config["LEASEHOLD_LICENSE_FILE"]);

    public static LeaseholdSettings From(IConfiguration config)
    {
        var data = config["data"] ?? config["LEASEHOLD_DATA"] ?? "./data";
        var durabilityName = config["durability"] ?? config["LEASEHOLD_DURABILITY"] ?? "process";
        var durability = durabilityName.ToLowerInvariant() switch
        {
            "process" => Durability.Process,
            "fsync" => Durability.Fsync,
            _ => throw new InvalidOperationException($"LEASEHOLD_DURABILITY must be 'process' or 'fsync', not '{durabilityName}'."),
        };
        var adminKey = config["LEASEHOLD_ADMIN_KEY"];
        if (adminKey is not null && adminKey.Length < MinAdminKeyLength)
            throw new InvalidOperationException($"LEASEHOLD_ADMIN_KEY must be at least {MinAdminKeyLength} characters long.");
        var reaperSeconds = config.GetValue("LEASEHOLD_REAPER_INTERVAL_SECONDS", 5.0);
        if (reaperSeconds <= 0)
            throw new InvalidOperationException("LEASEHOLD_REAPER_INTERVAL_SECONDS must be positive.");
        var retentionDays = config.GetValue("LEASEHOLD_USAGE_RETENTION_DAYS", 400.0);
        if (retentionDays < 1)
            throw new InvalidOperationException("LEASEHOLD_USAGE_RETENTION_DAYS must be at least 1.");
        var rollupSeconds = config.GetValue("LEASEHOLD_USAGE_ROLLUP_INTERVAL_SECONDS", 3600.0);
        if (rollupSeconds <= 0)
            throw new InvalidOperationException("LEASEHOLD_USAGE_ROLLUP_INTERVAL_SECONDS must be positive.");
        var renewRetrySeconds = config.GetValue("LEASEHOLD_RENEW_RETRY_SECONDS", 60.0);
        if (renewRetrySeconds <= 0)
            throw new InvalidOperationException("LEASEHOLD_RENEW_RETRY_SECONDS must be positive.");
        var failedKeys = config.GetValue("LEASEHOLD_FAILED_KEYS_PER_MINUTE", 60);
        if (failedKeys < 1)
            throw new InvalidOperationException("LEASEHOLD_FAILED_KEYS_PER_MINUTE must be at least 1.");
        var writes = config.GetValue("LEASEHOLD_WRITES_PER_MINUTE", 600);
        if (writes < 0)
            throw new InvalidOperationException("LEASEHOLD_WRITES_PER_MINUTE must be 0 (no limit) or more.");
        var clientWrites = config.GetValue("LEASEHOLD_CLIENT_WRITES_PER_MINUTE", 60_000);
        if (clientWrites < 0)
            throw new InvalidOperationException("LEASEHOLD_CLIENT_WRITES_PER_MINUTE must be 0 (no limit) or more.");
        var maxKeys = config.GetValue("LEASEHOLD_MAX_KEYS_PER_TENANT", 100);
        if (maxKeys < 1)
            throw new InvalidOperationException("LEASEHOLD_MAX_KEYS_PER_TENANT must be at least 1.");
        var maxRefusalEvents = config.GetValue("LEASEHOLD_MAX_REFUSAL_EVENTS_PER_HOUR", StoreOptions.DefaultMaxRefusalEventsPerHour);
        if (maxRefusalEvents < 1)
            throw new InvalidOperationException("LEASEHOLD_MAX_REFUSAL_EVENTS_PER_HOUR must be at least 1.");
        Uri? issuer = null;
        if (NonEmpty(config["issuer"] ?? config["LEASEHOLD_ISSUER"]) is { } issuerText
            && (!Uri.TryCreate(issuerText, UriKind.Absolute, out issuer) || issuer.Scheme is not ("http" or "https")))
            throw new InvalidOperationException($"LEASEHOLD_ISSUER must be the issuing server's http(s) address, not '{issuerText}'.");
        return new LeaseholdSettings(Path.GetFullPath(data), durability, string.IsNullOrEmpty(adminKey) ? null : adminKey,
            TimeSpan.FromSeconds(reaperSeconds), PostgresFrom(config))
        {
            UsageRetention = TimeSpan.FromDays(retentionDays),
            UsageRollupInterval = TimeSpan.FromSeconds(rollupSeconds),
            LicenseFile = LicenseFileFrom(config) is { } file ? Path.GetFullPath(file) : null,
            IssuerKeysFile = NonEmpty(config["issuer-keys"] ?? config["LEASEHOLD_ISSUER_KEYS"]) is { } keys ? Path.GetFullPath(keys) : null,
            Issuer = issuer,
            InstallationKey = NonEmpty(config["LEASEHOLD_INSTALLATION_KEY"]),
            RenewRetry = TimeSpan.FromSeconds(renewRetrySeconds),
            AutoRenew = config.GetValue("LEASEHOLD_AUTO_RENEW", true),
            FailedKeysPerMinute = failedKeys,
            WritesPerMinute = writes,
            ClientWritesPerMinute = clientWrites,
            MaxKeysPerTenant = maxKeys,
            MaxRefusalEventsPerHour = maxRefusalEvents,
            TrustedProxies = Hosting.TrustedProxies.Parse(config["LEASEHOLD_TRUSTED_PROXIES"]),
            Metrics = Telemetry.TelemetrySetup.Parse(config),
        };
    }
}
