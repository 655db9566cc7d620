using System.Text.Json;
using System.Text.Json.Serialization;
using Leasehold.Server.ApiKeys;
using Leasehold.Server.Auth;
using Leasehold.Server.Background;
using Leasehold.Server.Bench;
using Leasehold.Server.Connections;
using Leasehold.Server.Errors;
using Leasehold.Server.Licenses;
using Leasehold.Server.Sessions;
using Leasehold.Server.Sessions.Signals;
using Leasehold.Server.Storage;
using Leasehold.Server.Storage.Postgres;
using Leasehold.Server.Storage.Sqlite;
using Leasehold.Server.Tenants;
using Leasehold.Server.Usage;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Leasehold.Server.Hosting;

internal sealed record HealthResponse(string Status);

/// <summary>The composition of the host: one place that names every feature and where it is mounted.</summary>
internal static class LeaseholdHost
{
    public static WebApplicationBuilder AddLeasehold(this WebApplicationBuilder builder)
    {
        // With no --urls / ASPNETCORE_URLS, Kestrel listens on http://localhost:5000 (loopback only).
        // Settings are read from the final configuration (tests and hosts may add sources after this call).
        // Log levels that hold wherever the server is started from: appsettings.json is read from the
        // working directory, so a server started elsewhere (a service, `dotnet path/Leasehold.Server.dll`)
        // would otherwise log every request at Information. Lowest precedence: appsettings.json,
        // environment variables and the command line still override them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DefaultLogLevels });
        var services = builder.Services;
        services.AddSingleton(sp => LeaseholdSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<LeaseholdSettings>().StoreOptions);
        services.AddSingleton<UsageRecording>();
        services.AddSingleton<SessionSignals>();
        services.TryAddSingleton<ISessionEndPublisher>(sp => sp.GetRequiredService<SessionSignals>());
        services.AddSingleton<ILeaseholdStore>(sp => sp.GetRequiredService<LeaseholdSettings>().Postgres is { } postgres
            ? new PostgresStore(postgres, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ISessionEndPublisher>(),
                sp.GetRequiredService<UsageRecording>())
            : new SqliteStore(sp.GetRequiredService<StoreOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<UsageRecording>(),
                sp.GetRequiredService<ISessionEndPublisher>()));

        services.ConfigureHttpJsonOptions(options =>
        {
            // Strict JSON: a typo'd field, a number sent as a string or a field given twice is an error, not a guess.
            StrictJson.Configure(options.SerializerOptions);
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        services.AddLeaseholdProblems();
        ApiKeyAuthentication.AddApiKeyAuthentication(services);
        services.AddLeaseholdOpenApi();

        // Hosted services start in this order, before the server accepts requests.
        services.AddHostedService<StoreInitializer>();
        services.AddSingleton<LeaseReaper>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaseReaper>());
        services.AddSingleton<UsageRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageRetention>());
        // On PostgreSQL, session ends decided on other nodes reach this node's push channels.
        services.AddSingleton<PostgresEndListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresEndListener>());
        return builder;
    }

    private static readonly Dictionary<string, string?> DefaultLogLevels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    public static WebApplication MapLeasehold(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi();
        app.MapBenchmarkBaseline();
        app.MapBenchmarkUsageSwitch();
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthResponse("ok"))).WithSummary("Liveness probe; needs no key.");

        var v1 = app.MapGroup("/v1").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapGroup("/tenants").WithTags("Tenants").MapTenants();
        v1.MapGroup("/licenses").WithTags("Licenses").MapLicenses();
        v1.MapGroup("/connections").WithTags("Connections").MapConnections();
        v1.MapGroup("/api-keys").WithTags("API keys").MapApiKeys();
        v1.MapGroup("/sessions").WithTags("Sessions").MapSessions();
        v1.MapGroup("/checks").WithTags("Sessions").MapChecks();
        v1.MapGroup("/usage").WithTags("Usage").MapUsage();
        return app;
    }
}
