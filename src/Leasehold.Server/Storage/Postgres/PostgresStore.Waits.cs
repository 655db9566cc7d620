namespace Leasehold.Server.Storage.Postgres;

internal sealed partial class PostgresStore
{
    public Task<WaitView?> GetWaitAsync(string id, string? tenantScope, CancellationToken ct) =>
        ReadAsync(db => WaitSql.GetAsync(db, id, tenantScope, _clock.GetUtcNow()), ct);

    public Task<IReadOnlyList<WaitView>> ReadLineAsync(string licenseId, CancellationToken ct) =>
        ReadAsync(db => WaitSql.LineAsync(db, licenseId, _clock.GetUtcNow()), ct);

    public Task<IReadOnlyList<WaitView>> ListOpenWaitsAsync(string? tenantScope, string? licenseId, PageRequest? page, CancellationToken ct) =>
        ReadAsync(db => WaitSql.ListOpenAsync(db, Dialect, tenantScope, licenseId, page), ct);
}
