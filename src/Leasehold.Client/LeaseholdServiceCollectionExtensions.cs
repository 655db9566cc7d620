using Leasehold.Client.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leasehold.Client;

/// <summary>Registration for hosts with dependency injection (ASP.NET Core, the generic host, MAUI, WPF with a host).</summary>
public static class LeaseholdServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LeaseholdClient"/> and <see cref="LeaseholdAdminClient"/> as singletons over a
    /// named HttpClient from IHttpClientFactory, configured by <paramref name="configure"/> (bind it from
    /// configuration there if you like). The options' logger defaults to the host's.
    /// </summary>
    public static IServiceCollection AddLeaseholdClient(this IServiceCollection services, Action<LeaseholdClientOptions> configure)
    {
        services.AddOptions<LeaseholdClientOptions>().Configure(configure);
        services.AddHttpClient(nameof(LeaseholdClient), http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp => new LeaseholdClient(HttpFor(sp), OptionsFor(sp)));
        services.AddSingleton(sp => new LeaseholdAdminClient(HttpFor(sp), OptionsFor(sp)));
        return services;
    }

    /// <summary>
    /// The same, with the options bound from the configuration section <paramref name="section"/>
    /// (<c>Leasehold:ServerUrl</c>, <c>Leasehold:ApiKey</c>, <c>Leasehold:LicenseId</c>, <c>Leasehold:ClientType</c>,
    /// <c>Leasehold:OfflineGrace</c>, ...), then <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddLeaseholdClient(this IServiceCollection services, string section = "Leasehold",
        Action<LeaseholdClientOptions>? configure = null)
    {
        services.AddOptions<LeaseholdClientOptions>().BindConfiguration(section);
        return services.AddLeaseholdClient(configure ?? (_ => { }));
    }

    private static HttpClient HttpFor(IServiceProvider sp) =>
        sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(LeaseholdClient));

    private static LeaseholdClientOptions OptionsFor(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<LeaseholdClientOptions>>().Value;
        options.Logger ??= sp.GetService<ILoggerFactory>()?.CreateLogger<LeaseholdClient>();
        return options;
    }
}
