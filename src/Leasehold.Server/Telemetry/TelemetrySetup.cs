using Leasehold.Server.Auth;
using Leasehold.Server.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Leasehold.Server.Telemetry;

/// <summary>Who may read <c>/metrics</c> (<c>LEASEHOLD_METRICS</c>): docs/operations.md, "Metrics and traces".</summary>
internal enum MetricsAccess
{
    /// <summary>The default: <c>/metrics</c> answers the operator key only (Prometheus sends it as <c>authorization: credentials</c>).</summary>
    Operator,

    /// <summary>No key: for a scraper on a private network that cannot send one. Label values name licenses.</summary>
    Public,

    /// <summary>No metrics collected and no <c>/metrics</c> (404): the benchmark's baseline, or a server whose metrics go nowhere.</summary>
    Off,
}

/// <summary>
/// OpenTelemetry in the host: the <c>Leasehold</c> meter (with ASP.NET Core's and Npgsql's) for the
/// Prometheus endpoint and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, OTLP; traces (the
/// <c>Leasehold</c> source, ASP.NET Core and Npgsql) only to OTLP, so without it no span is recorded.
/// </summary>
internal static class TelemetrySetup
{
    public const string Path = "/metrics";

    /// <summary>The <c>Leasehold:Metrics</c> setting (<c>LEASEHOLD_METRICS</c>, <c>--metrics</c>) as given; null: not a value it takes.</summary>
    public static MetricsAccess? Parse(string? value) =>
        value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "operator" or "on" or "true" => MetricsAccess.Operator,
            "public" => MetricsAccess.Public,
            "off" or "false" => MetricsAccess.Off,
            _ => null,
        };

    /// <summary>Whether OTLP export is configured (the standard variable; its siblings, OTEL_EXPORTER_OTLP_PROTOCOL, headers, ..., are read by the exporter).</summary>
    public static bool OtlpConfigured(IConfiguration config) => !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static void AddLeaseholdTelemetry(this IServiceCollection services, IConfiguration config)
    {
        services.AddMetrics();
        services.AddSingleton<SeatGauges>();
        services.AddSingleton<LeaseholdMetrics>();
        // Read while the host is composed; a value it does not take is refused at start by the settings' check.
        var metrics = Parse(Hosting.LeaseholdOptions.Read(config).Metrics) ?? MetricsAccess.Operator;
        var otlp = OtlpConfigured(config);
        if (metrics == MetricsAccess.Off && !otlp)
            return;
        var serviceName = string.IsNullOrWhiteSpace(config["OTEL_SERVICE_NAME"]) ? "leasehold" : config["OTEL_SERVICE_NAME"]!;
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(serviceName));
        if (metrics != MetricsAccess.Off)
        {
            telemetry.WithMetrics(meters =>
            {
                meters.AddMeter(LeaseholdMetrics.Name, "System.Runtime").AddAspNetCoreInstrumentation().AddNpgsqlInstrumentation(); // System.Runtime: the runtime's GC, memory, JIT, thread pool
                meters.AddPrometheusExporter(options =>
                {
                    options.ScrapeResponseCacheDurationMilliseconds = 0; // every scrape sees the counts as they are
                    options.ScopeInfoEnabled = false; // every series would carry otel_scope_name="Leasehold" or the like
                });
                if (otlp)
                    meters.AddOtlpExporter();
            });
        }
        if (otlp)
        {
            telemetry.WithTracing(traces => traces.AddSource(LeaseholdMetrics.Name)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => context.Request.Path != Path)
                .AddNpgsql()
                .AddOtlpExporter());
        }
    }

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus's text format: for the operator key unless <c>LEASEHOLD_METRICS=public</c>;
    /// not mapped when metrics are off. Not in the OpenAPI document: it is for Prometheus, not for API clients.
    /// </summary>
    public static void MapLeaseholdMetrics(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<LeaseholdSettings>().Metrics;
        if (access == MetricsAccess.Off)
            return;
        var endpoint = app.MapPrometheusScrapingEndpoint(Path)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .ExcludeFromDescription();
        if (access == MetricsAccess.Public)
            endpoint.AllowAnonymous();
        else
            endpoint.RequireAuthorization(ApiKeyAuthentication.OperatorPolicy);
    }
}
