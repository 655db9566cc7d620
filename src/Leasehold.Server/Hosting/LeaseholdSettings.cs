using Leasehold.Server.Storage;

namespace Leasehold.Server.Hosting;

/// <summary>
/// The server's settings, checked: made from the <c>Leasehold</c> options section
/// (<see cref="LeaseholdOptions"/>, which also reads the older names such as <c>--data DIR</c> and
/// <c>LEASEHOLD_*</c>). See docs/operations.md, "Settings".
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

    /// <summary>The PostgreSQL connection string (<c>Leasehold:Postgres</c>, <c>--postgres</c>, <c>LEASEHOLD_POSTGRES</c>), or null for the embedded SQLite store.</summary>
    public static string? PostgresFrom(IConfiguration config) => NonEmpty(LeaseholdOptions.Read(config).Postgres);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Installation mode's license file as configured (null: a normal server), read while the host is composed.</summary>
    public static string? LicenseFileFrom(IConfiguration config) => NonEmpty(LeaseholdOptions.Read(config).LicenseFile);

    /// <summary>The settings from <paramref name="config"/> (the <c>Leasehold</c> section and its aliases); a bad value throws <see cref="LeaseholdSettingException"/>.</summary>
    public static LeaseholdSettings From(IConfiguration config) => From(LeaseholdOptions.Read(config));

    /// <summary>The settings the options hold, checked: a bad value throws <see cref="LeaseholdSettingException"/> naming it.</summary>
    public static LeaseholdSettings From(LeaseholdOptions options)
    {
        var data = NonEmpty(options.Data) ?? "./data";
        var durabilityName = NonEmpty(options.Durability) ?? "process";
        var durability = durabilityName.ToLowerInvariant() switch
        {
            "process" => Durability.Process,
            "fsync" => Durability.Fsync,
            _ => throw Bad(nameof(options.Durability), $"must be 'process' or 'fsync', not '{durabilityName}'"),
        };
        var adminKey = NonEmpty(options.AdminKey);
        if (adminKey is not null && adminKey.Length < MinAdminKeyLength)
            throw Bad(nameof(options.AdminKey), $"must be at least {MinAdminKeyLength} characters long");
        var reaperSeconds = Number(options.ReaperIntervalSeconds, nameof(options.ReaperIntervalSeconds), 5.0);
        if (reaperSeconds <= 0)
            throw Bad(nameof(options.ReaperIntervalSeconds), "must be positive");
        var retentionDays = Number(options.UsageRetentionDays, nameof(options.UsageRetentionDays), 400.0);
        if (retentionDays < 1)
            throw Bad(nameof(options.UsageRetentionDays), "must be at least 1");
        var rollupSeconds = Number(options.UsageRollupIntervalSeconds, nameof(options.UsageRollupIntervalSeconds), 3600.0);
        if (rollupSeconds <= 0)
            throw Bad(nameof(options.UsageRollupIntervalSeconds), "must be positive");
        var renewRetrySeconds = Number(options.RenewRetrySeconds, nameof(options.RenewRetrySeconds), 60.0);
        if (renewRetrySeconds <= 0)
            throw Bad(nameof(options.RenewRetrySeconds), "must be positive");
        var failedKeys = Whole(options.FailedKeysPerMinute, nameof(options.FailedKeysPerMinute), 60);
        if (failedKeys < 1)
            throw Bad(nameof(options.FailedKeysPerMinute), "must be at least 1");
        var writes = Whole(options.WritesPerMinute, nameof(options.WritesPerMinute), 600);
        if (writes < 0)
            throw Bad(nameof(options.WritesPerMinute), "must be 0 (no limit) or more");
        var clientWrites = Whole(options.ClientWritesPerMinute, nameof(options.ClientWritesPerMinute), 60_000);
        if (clientWrites < 0)
            throw Bad(nameof(options.ClientWritesPerMinute), "must be 0 (no limit) or more");
        var maxKeys = Whole(options.MaxKeysPerTenant, nameof(options.MaxKeysPerTenant), 100);
        if (maxKeys < 1)
            throw Bad(nameof(options.MaxKeysPerTenant), "must be at least 1");
        var maxRefusalEvents = Whole(options.MaxRefusalEventsPerHour, nameof(options.MaxRefusalEventsPerHour), StoreOptions.DefaultMaxRefusalEventsPerHour);
        if (maxRefusalEvents < 1)
            throw Bad(nameof(options.MaxRefusalEventsPerHour), "must be at least 1");
        Uri? issuer = null;
        if (NonEmpty(options.Issuer) is { } issuerText
            && (!Uri.TryCreate(issuerText, UriKind.Absolute, out issuer) || issuer.Scheme is not ("http" or "https")))
            throw Bad(nameof(options.Issuer), $"must be the issuing server's http(s) address, not '{issuerText}'");
        var autoRenew = true;
        if (NonEmpty(options.AutoRenew) is { } autoRenewText && !bool.TryParse(autoRenewText, out autoRenew))
            throw Bad(nameof(options.AutoRenew), $"must be true or false, not '{autoRenewText}'");
        IReadOnlyList<System.Net.IPNetwork> trustedProxies;
        try
        {
            trustedProxies = Hosting.TrustedProxies.Parse(options.TrustedProxies);
        }
        catch (FormatException bad)
        {
            throw Bad(nameof(options.TrustedProxies), bad.Message);
        }
        return new LeaseholdSettings(FullPath(data, nameof(options.Data)), durability, adminKey,
            TimeSpan.FromSeconds(reaperSeconds), NonEmpty(options.Postgres))
        {
            UsageRetention = TimeSpan.FromDays(retentionDays),
            UsageRollupInterval = TimeSpan.FromSeconds(rollupSeconds),
            LicenseFile = NonEmpty(options.LicenseFile) is { } file ? FullPath(file, nameof(options.LicenseFile)) : null,
            IssuerKeysFile = NonEmpty(options.IssuerKeys) is { } keys ? FullPath(keys, nameof(options.IssuerKeys)) : null,
            Issuer = issuer,
            InstallationKey = NonEmpty(options.InstallationKey),
            RenewRetry = TimeSpan.FromSeconds(renewRetrySeconds),
            AutoRenew = autoRenew,
            FailedKeysPerMinute = failedKeys,
            WritesPerMinute = writes,
            ClientWritesPerMinute = clientWrites,
            MaxKeysPerTenant = maxKeys,
            MaxRefusalEventsPerHour = maxRefusalEvents,
            TrustedProxies = trustedProxies,
            Metrics = Telemetry.TelemetrySetup.Parse(options.Metrics)
                ?? throw Bad(nameof(options.Metrics), $"must be 'operator', 'public' or 'off', not '{options.Metrics}'"),
        };
    }

    private static LeaseholdSettingException Bad(string key, string rule) => new($"{LeaseholdOptions.Describe(key)} {rule}.");

    private static double Number(string? text, string key, double otherwise)
    {
        if (NonEmpty(text) is not { } value)
            return otherwise;
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number))
            return number;
        throw Bad(key, $"must be a number, not '{value}'");
    }

    private static int Whole(string? text, string key, int otherwise)
    {
        if (NonEmpty(text) is not { } value)
            return otherwise;
        if (int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number))
            return number;
        throw Bad(key, $"must be a whole number, not '{value}'");
    }

    private static string FullPath(string path, string key)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Bad(key, $"must be a path, not '{path}'");
        }
    }
}

