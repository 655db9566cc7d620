using Microsoft.Extensions.Options;

namespace Leasehold.Server.Hosting;

/// <summary>
/// The <c>Leasehold</c> configuration section as given, before it is checked: <c>Leasehold__Data</c>
/// in the environment, <c>"Leasehold": {"Data": ...}</c> in appsettings.json, <c>--Leasehold:Data</c>
/// on the command line. The older names stay aliases of the same settings: <c>LEASEHOLD_DATA</c>
/// (the environment, or any configuration source) and <c>--data</c> (the command line).
/// </summary>
/// <remarks>
/// Precedence follows the configuration's sources, last added wins (the command line, then the
/// environment, then appsettings.{Environment}.json, then appsettings.json): the first source that
/// gives a setting under any of its names decides it. Within one source the section's name wins over
/// the aliases (<c>--Leasehold:Data</c> over <c>--data</c>; <c>Leasehold__Data</c> over <c>LEASEHOLD_DATA</c>).
/// Values are text here; <see cref="LeaseholdSettings.From(LeaseholdOptions)"/> checks and converts them,
/// with an error that names the setting.
/// </remarks>
internal sealed class LeaseholdOptions
{
    public const string Section = "Leasehold";

    public string? Data { get; set; }
    public string? Postgres { get; set; }
    public string? Durability { get; set; }
    public string? AdminKey { get; set; }
    public string? ReaperIntervalSeconds { get; set; }
    public string? UsageRetentionDays { get; set; }
    public string? UsageRollupIntervalSeconds { get; set; }
    public string? FailedKeysPerMinute { get; set; }
    public string? WritesPerMinute { get; set; }
    public string? ClientWritesPerMinute { get; set; }
    public string? MaxKeysPerTenant { get; set; }
    public string? MaxRefusalEventsPerHour { get; set; }
    /// <summary>Comma-separated, or an array in appsettings.json.</summary>
    public string? TrustedProxies { get; set; }
    public string? LicenseFile { get; set; }
    public string? IssuerKeys { get; set; }
    public string? Issuer { get; set; }
    public string? InstallationKey { get; set; }
    public string? AutoRenew { get; set; }
    public string? RenewRetrySeconds { get; set; }
    /// <summary>Who may read /metrics: operator (the default), public or off.</summary>
    public string? Metrics { get; set; }

    /// <summary>One setting: its key in the section, its environment alias and its command-line alias (if it has one).</summary>
    private sealed record Name(string Key, string Alias, string? Switch, Action<LeaseholdOptions, string?> Set);

    // A new setting: a property above and a row here (and in docs/operations.md's table).
    private static readonly Name[] Names =
    [
        new(nameof(Data), "LEASEHOLD_DATA", "data", (o, v) => o.Data = v),
        new(nameof(Postgres), "LEASEHOLD_POSTGRES", "postgres", (o, v) => o.Postgres = v),
        new(nameof(Durability), "LEASEHOLD_DURABILITY", "durability", (o, v) => o.Durability = v),
        new(nameof(AdminKey), "LEASEHOLD_ADMIN_KEY", null, (o, v) => o.AdminKey = v),
        new(nameof(ReaperIntervalSeconds), "LEASEHOLD_REAPER_INTERVAL_SECONDS", null, (o, v) => o.ReaperIntervalSeconds = v),
        new(nameof(UsageRetentionDays), "LEASEHOLD_USAGE_RETENTION_DAYS", null, (o, v) => o.UsageRetentionDays = v),
        new(nameof(UsageRollupIntervalSeconds), "LEASEHOLD_USAGE_ROLLUP_INTERVAL_SECONDS", null, (o, v) => o.UsageRollupIntervalSeconds = v),
        new(nameof(FailedKeysPerMinute), "LEASEHOLD_FAILED_KEYS_PER_MINUTE", null, (o, v) => o.FailedKeysPerMinute = v),
        new(nameof(WritesPerMinute), "LEASEHOLD_WRITES_PER_MINUTE", null, (o, v) => o.WritesPerMinute = v),
        new(nameof(ClientWritesPerMinute), "LEASEHOLD_CLIENT_WRITES_PER_MINUTE", null, (o, v) => o.ClientWritesPerMinute = v),
        new(nameof(MaxKeysPerTenant), "LEASEHOLD_MAX_KEYS_PER_TENANT", null, (o, v) => o.MaxKeysPerTenant = v),
        new(nameof(MaxRefusalEventsPerHour), "LEASEHOLD_MAX_REFUSAL_EVENTS_PER_HOUR", null, (o, v) => o.MaxRefusalEventsPerHour = v),
        new(nameof(TrustedProxies), "LEASEHOLD_TRUSTED_PROXIES", null, (o, v) => o.TrustedProxies = v),
        new(nameof(LicenseFile), "LEASEHOLD_LICENSE_FILE", "license-file", (o, v) => o.LicenseFile = v),
        new(nameof(IssuerKeys), "LEASEHOLD_ISSUER_KEYS", "issuer-keys", (o, v) => o.IssuerKeys = v),
        new(nameof(Issuer), "LEASEHOLD_ISSUER", "issuer", (o, v) => o.Issuer = v),
        new(nameof(InstallationKey), "LEASEHOLD_INSTALLATION_KEY", null, (o, v) => o.InstallationKey = v),
        new(nameof(AutoRenew), "LEASEHOLD_AUTO_RENEW", null, (o, v) => o.AutoRenew = v),
        new(nameof(RenewRetrySeconds), "LEASEHOLD_RENEW_RETRY_SECONDS", null, (o, v) => o.RenewRetrySeconds = v),
        new(nameof(Metrics), "LEASEHOLD_METRICS", "metrics", (o, v) => o.Metrics = v),
    ];

    /// <summary>How an error names a setting: <c>Leasehold:Durability (LEASEHOLD_DURABILITY)</c>.</summary>
    public static string Describe(string key) =>
        Names.FirstOrDefault(n => n.Key == key) is { } name ? $"{Section}:{name.Key} ({name.Alias})" : $"{Section}:{key}";

    /// <summary>The section and its aliases from <paramref name="config"/>, by the precedence above.</summary>
    public static LeaseholdOptions Read(IConfiguration config)
    {
        var options = new LeaseholdOptions();
        Bind(options, config);
        return options;
    }

    /// <summary>Fills <paramref name="options"/> from <paramref name="config"/>: the options pattern's Configure step.</summary>
    public static void Bind(LeaseholdOptions options, IConfiguration config)
    {
        foreach (var name in Names)
        {
            if (Find(config, name) is { } value)
                name.Set(options, value);
        }
    }

    private static string? Find(IConfiguration config, Name name)
    {
        string[] keys = name.Switch is null ? [$"{Section}:{name.Key}", name.Alias] : [$"{Section}:{name.Key}", name.Switch, name.Alias];
        if (config is IConfigurationRoot root)
        {
            // The last source added is the strongest; in one source, the section's name first.
            foreach (var provider in root.Providers.Reverse())
            {
                foreach (var key in keys)
                {
                    if (provider.TryGet(key, out var value))
                        return value;
                }
                if (ListIn(provider, $"{Section}:{name.Key}") is { } list)
                    return list;
            }
            return null;
        }
        return keys.Select(key => config[key]).FirstOrDefault(value => value is not null)
            ?? ListIn(config.GetSection($"{Section}:{name.Key}"));
    }

    /// <summary>An array in appsettings.json (<c>"TrustedProxies": ["10.0.0.5", "10.0.1.0/24"]</c>), as one comma-separated value.</summary>
    private static string? ListIn(IConfigurationProvider provider, string key)
    {
        var items = new List<string>();
        foreach (var index in provider.GetChildKeys([], key).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (provider.TryGet($"{key}:{index}", out var item) && item is not null)
                items.Add(item);
        }
        return items.Count == 0 ? null : string.Join(',', items);
    }

    private static string? ListIn(IConfigurationSection section)
    {
        var items = section.GetChildren().Select(child => child.Value).OfType<string>().ToList();
        return items.Count == 0 ? null : string.Join(',', items);
    }
}

/// <summary>A setting with a value the server cannot run with; the message names it (<c>Leasehold:Durability (LEASEHOLD_DURABILITY) must be ...</c>).</summary>
internal sealed class LeaseholdSettingException(string message) : InvalidOperationException(message);

/// <summary>Checks the <c>Leasehold</c> section when the options are first read, and at start (ValidateOnStart).</summary>
internal sealed class LeaseholdOptionsValidator : IValidateOptions<LeaseholdOptions>
{
    public ValidateOptionsResult Validate(string? name, LeaseholdOptions options)
    {
        try
        {
            LeaseholdSettings.From(options);
            return ValidateOptionsResult.Success;
        }
        catch (LeaseholdSettingException bad)
        {
            return ValidateOptionsResult.Fail(bad.Message);
        }
    }
}

internal static class LeaseholdOptionsSetup
{
    /// <summary>
    /// The options pattern: the <c>Leasehold</c> section (with its aliases) bound from the final
    /// configuration, validated when first read and at start, and <see cref="LeaseholdSettings"/>
    /// made from it once for the rest of the server.
    /// </summary>
    public static IServiceCollection AddLeaseholdSettings(this IServiceCollection services)
    {
        services.AddOptions<LeaseholdOptions>()
            .Configure<IConfiguration>(LeaseholdOptions.Bind)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<LeaseholdOptions>, LeaseholdOptionsValidator>();
        services.AddSingleton(sp => LeaseholdSettings.From(sp.GetRequiredService<IOptions<LeaseholdOptions>>().Value));
        return services;
    }
}
