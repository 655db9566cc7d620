using System.Text.Json;
using System.Text.Json.Serialization;
using Leasehold.Server.ApiKeys;
using Leasehold.Server.Audit;
using Leasehold.Server.Auth;
using Leasehold.Server.Background;
using Leasehold.Server.Bench;
using Leasehold.Server.Connections;
using Leasehold.Server.Errors;
using Leasehold.Server.Installations;
using Leasehold.Server.Licenses;
using Leasehold.Server.Sessions;
using Leasehold.Server.Sessions.Signals;
using Leasehold.Server.Signing;
using Leasehold.Server.Storage;
using Leasehold.Server.Storage.Postgres;
using Leasehold.Server.Storage.Sqlite;
using Leasehold.Server.Telemetry;
using Leasehold.Server.Tenants;
using Leasehold.Server.Usage;
using Leasehold.Server.Validation;
using Leasehold.Server.WebConsole;
using Leasehold.Server.Waits;
using Microsoft.AspNetCore.HttpOverrides;
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
        services.AddLeaseholdSettings(); // the Leasehold options section and its LEASEHOLD_* aliases, checked at start (LeaseholdOptions)
        // Under systemd (Type=notify, deploy/leasehold.service): tells it when the server is up and logs without colours; elsewhere nothing.
        builder.Host.UseSystemd();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<LeaseholdSettings>().StoreOptions);
        services.AddSingleton<SeatActivity>();
        services.AddSingleton<SessionSignals>();
        services.AddSingleton<Waits.LineSnapshots>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<UsageEventIds>();
        services.AddSingleton<SessionTokens>();
        services.TryAddSingleton<ISessionEndPublisher>(sp => sp.GetRequiredService<SessionSignals>());
        // The store is chosen as the host is composed, from the configuration the builder has by now
        // (command line, environment, appsettings; a test host's settings too), so each provider
        // registers exactly its own services.
        if (LeaseholdSettings.PostgresFrom(builder.Configuration) is { } postgres)
            services.AddPostgresStore(postgres);
        else
            services.AddSqliteStore();
        UsageRecordingSwitch.AddBenchmarkUsageSwitch(services, builder.Configuration);
        // Metrics (/metrics, LEASEHOLD_METRICS) and traces (OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set): docs/operations.md.
        services.AddLeaseholdTelemetry(builder.Configuration);

        services.ConfigureHttpJsonOptions(options =>
        {
            // Strict JSON: a typo'd field, a number sent as a string or a field given twice is an error, not a guess.
            StrictJson.Configure(options.SerializerOptions);
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        services.AddLeaseholdProblems();
        ApiKeyAuthentication.AddApiKeyAuthentication(services);
        services.AddWriteLimits();
        services.AddLeaseholdOpenApi();
        services.AddLeaseholdConsole();
        // The console's static assets (MudBlazor's styles) come from its package, also when the server runs from its build output.
        builder.WebHost.UseStaticWebAssets();
        // No "Server: Kestrel" on every answer: it tells a scanner what to try, and nobody else needs it.
        // The API's bodies are small (the largest, a policy or a saved state, are tens of KiB): a larger one is 413 before it is read.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = LeaseholdSettings.MaxRequestBodyBytes;
        });
        // Behind a reverse proxy: X-Forwarded-For and -Proto are believed only from the proxies named in
        // LEASEHOLD_TRUSTED_PROXIES (docs/operations.md, "TLS and reverse proxies"); with none named, from nobody.
        services.AddOptions<ForwardedHeadersOptions>().Configure<LeaseholdSettings>(TrustedProxies.Configure);

        // Hosted services start in this order, before the server accepts requests.
        services.AddHostedService<StoreInitializer>();
        // Installation mode: the license file is verified and its license written before the server answers.
        if (LeaseholdSettings.LicenseFileFrom(builder.Configuration) is not null)
        {
            services.AddSingleton<InstallationLicense>();
            services.AddHostedService<InstallationMode>();
        }
        services.AddSingleton<LeaseReaper>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaseReaper>());
        services.AddSingleton<UsageRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageRetention>());
        return builder;
    }

    private static readonly Dictionary<string, string?> DefaultLogLevels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        // A start refused for a reason the operator can act on is said in one line by Program, not as a logged stack.
        ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "None",
    };

    public static WebApplication MapLeasehold(this WebApplication app)
    {
        app.UseSecurityHeaders();
        if (app.Services.GetRequiredService<LeaseholdSettings>().TrustedProxies.Count > 0)
            app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseKnownCharsets();
        app.UseLeaseholdConsoleFiles();
        app.UseInstallationClockGate();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // after authorization: writes are counted per key, and a refused key never takes a token
        app.UseAntiforgery(); // the console's forms; the API takes no cookies, so it needs none

        app.MapOpenApi();
        app.MapBenchmarkBaseline();
        UsageRecordingSwitch.MapBenchmarkUsageSwitch(app);
        app.MapJwks();
        app.MapLeaseholdConsole();
        // HEAD too: some load balancers and uptime checkers probe with it.
        app.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], () => TypedResults.Ok(new HealthResponse("ok")))
            .WithSummary("Liveness probe; needs no key.");
        app.MapMethods("/readyz", [HttpMethods.Get, HttpMethods.Head], Readiness.CheckAsync).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Readiness probe: 200 when the database answers, 503 store_unavailable (with Retry-After) while it does not; needs no key.");
        app.MapLeaseholdMetrics();

        // Every feature maps its routes (MapXApi); the host owns where each is mounted. Request
        // records declare their field rules, checked before any handler runs (RequestValidation).
        var v1 = app.MapGroup("/v1").ValidateRequests().RequireRateLimiting(WriteLimits.Policy).WithBodyLimit(BodyLimits.Api)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapGroup("/tenants").WithTags("Tenants").MapTenantsApi();
        v1.MapGroup("/licenses").WithTags("Licenses").MapLicensesApi();
        v1.MapGroup("/licenses/{licenseId}/cool-downs").WithTags("Sessions").MapCoolDownsApi();
        v1.MapGroup("/connections").WithTags("Connections").MapConnectionsApi();
        v1.MapGroup("/api-keys").WithTags("API keys").MapApiKeysApi();
        v1.MapGroup("/sessions").WithTags("Sessions").MapSessionsApi();
        v1.MapGroup("/checks").WithTags("Sessions").MapChecksApi();
        v1.MapGroup("/waits").WithTags("Waiting line").MapWaitsApi();
        v1.MapGroup("/usage").WithTags("Usage").MapUsageApi();
        v1.MapGroup("/installations").WithTags("Installations").MapInstallationsApi();
        v1.MapGroup("/installations/self").WithTags("Installations").MapInstallationSelfApi();
        v1.MapGroup("/installation").WithTags("Installation mode").MapInstallationModeApi();
        v1.MapGroup("/signing-keys").WithTags("Signing keys").MapSigningKeysApi();
        v1.MapGroup("/audit").WithTags("Audit").MapAuditApi();
        return app;
    }
}
