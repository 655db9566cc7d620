using Leasehold.Server.Sessions.Signals;

namespace Leasehold.Server.Storage.Sqlite;

internal static class SqliteStoreSetup
{
    /// <summary>The embedded store (the default): one SQLite file in the data directory, serving every store interface.</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services)
    {
        services.AddSingleton(sp => new SqliteStore(sp.GetRequiredService<StoreOptions>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ISessionEndPublisher>(), sp.GetService<Telemetry.LeaseholdMetrics>()));
        return services.AddStoreInterfaces<SqliteStore>();
    }
}
