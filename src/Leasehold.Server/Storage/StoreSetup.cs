namespace Leasehold.Server.Storage;

internal static class StoreSetup
{
    /// <summary>Registers each store interface as the one provider instance <typeparamref name="TStore"/>.</summary>
    public static IServiceCollection AddStoreInterfaces<TStore>(this IServiceCollection services)
        where TStore : class, IStoreSchema, ITenantStore, IApiKeyStore, IConnectionStore, ISessionDecisions, ISessionReads, IWaitReads, IUsageStore, ISigningKeyStore, IInstallationStore, IAuditStore
    {
        services.AddSingleton<IStoreSchema>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ITenantStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IApiKeyStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IConnectionStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ISessionDecisions>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ISessionReads>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IWaitReads>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IUsageStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ISigningKeyStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IInstallationStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IAuditStore>(sp => sp.GetRequiredService<TStore>());
        return services;
    }
}
