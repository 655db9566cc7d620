using Leasehold.Server.Sessions.Signals;

namespace Leasehold.Server.Storage.Postgres;

internal static class PostgresStoreSetup
{
    /// <summary>
    /// PostgreSQL, for several nodes on one database: the store serving every store interface, and the
    /// listener that brings session ends decided on other nodes to this node's push channels.
    /// </summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(sp => new PostgresStore(connectionString, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ISessionEndPublisher>(), sp.GetRequiredService<StoreOptions>().MaxRefusalEventsPerHour));
        services.AddSingleton<PostgresEndListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresEndListener>());
        return services.AddStoreInterfaces<PostgresStore>();
    }
}
