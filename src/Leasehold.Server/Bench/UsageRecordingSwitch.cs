using Leasehold.Core.Sessions;
using Leasehold.Server.Auth;
using Leasehold.Server.Sessions.Signals;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Bench;

/// <summary>
/// Benchmark mode only (<c>LEASEHOLD_BENCHMARK=1</c>): <c>POST /bench/usage-events {"enabled": false}</c>
/// makes decisions record no usage events, <c>true</c> records them again. The usage benchmark
/// alternates the two on one server to measure what recording costs checkouts. It wraps the store's
/// decisions (it drops the events from their changes before the store sees them), so the stores'
/// write path knows nothing of it, and a normal server, where the history is always complete, has
/// neither the wrapper nor the endpoint.
/// </summary>
internal sealed class UsageRecordingSwitch(ISessionDecisions store) : ISessionDecisions
{
    private volatile bool _enabled = true;

    public bool Enabled
    {
        get => _enabled;
        set => _enabled = value;
    }

    public Task<T?> DecideOnLicenseAsync<T>(LedgerQuery query, Func<LicenseLedger, Decided<T>> decide, CancellationToken ct) where T : class =>
        store.DecideOnLicenseAsync(query, _enabled ? decide : ledger => WithoutEvents(decide(ledger)), ct);

    public Task<T?> DecideOnLicenseAsync<T>(LedgerQuery query, Func<LicenseLedger, Decided<T>> decide,
        Func<T, IReadOnlyList<AuditEntry>> audit, CancellationToken ct) where T : class =>
        store.DecideOnLicenseAsync(query, _enabled ? decide : ledger => WithoutEvents(decide(ledger)), audit, ct);

    public Task<T?> DecideOnSessionAsync<T>(string sessionId, string? tenantScope, Func<Session, SessionContext, Decided<T>> decide, CancellationToken ct)
        where T : class =>
        store.DecideOnSessionAsync(sessionId, tenantScope, _enabled ? decide : (session, context) => WithoutEvents(decide(session, context)), ct);

    public Task<T?> DecideOnSessionAsync<T>(string sessionId, string? tenantScope, Func<Session, SessionContext, Decided<T>> decide,
        Func<T, IReadOnlyList<AuditEntry>> audit, CancellationToken ct) where T : class =>
        store.DecideOnSessionAsync(sessionId, tenantScope, _enabled ? decide : (session, context) => WithoutEvents(decide(session, context)), audit, ct);

    public Task<IReadOnlyList<T?>> DecideOnSessionsAsync<T>(IReadOnlyList<string> sessionIds, string? tenantScope,
        Func<Session, SessionContext, Decided<T>> decide, CancellationToken ct) where T : class =>
        store.DecideOnSessionsAsync(sessionIds, tenantScope, _enabled ? decide : (session, context) => WithoutEvents(decide(session, context)), ct);

    public Task<IReadOnlyList<SessionEnd>> EndDueSessionsAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        store.EndDueSessionsAsync(now, limit, ct);

    private static Decided<T> WithoutEvents<T>(Decided<T> decided) => decided with { Changes = decided.Changes with { Events = [] } };

    /// <summary>Wraps the store's <see cref="ISessionDecisions"/> and maps the switch, in benchmark mode only.</summary>
    public static IServiceCollection AddBenchmarkUsageSwitch(IServiceCollection services, IConfiguration config)
    {
        if (config[BenchmarkEndpoints.Setting] != "1")
            return services;
        var provider = services.Last(d => d.ServiceType == typeof(ISessionDecisions));
        services.Remove(provider);
        services.AddSingleton(sp => new UsageRecordingSwitch((ISessionDecisions)provider.ImplementationFactory!(sp)));
        services.AddSingleton<ISessionDecisions>(sp => sp.GetRequiredService<UsageRecordingSwitch>());
        return services;
    }

    public static void MapBenchmarkUsageSwitch(WebApplication app)
    {
        if (app.Configuration[BenchmarkEndpoints.Setting] != "1")
            return;
        app.MapPost("/bench/usage-events", (UsageSwitch body, UsageRecordingSwitch recording) =>
        {
            recording.Enabled = body.Enabled;
            return TypedResults.Ok(body);
        }).RequireAuthorization(ApiKeyAuthentication.OperatorPolicy).ExcludeFromDescription();
    }

    internal sealed record UsageSwitch(bool Enabled);
}
