using System.Data.Common;
using Dapper;

namespace Leasehold.Server.Storage;

/// <summary>
/// Applying the migrations: the bookkeeping both stores run alike (the scripts themselves are per
/// provider, under <c>Sqlite/Migrations</c> and <c>Postgres/Migrations</c>).
/// </summary>
internal static class SchemaSql
{
    /// <summary>
    /// Applies, in <paramref name="tx"/>, the dialect's migrations not recorded in
    /// <c>schema_migrations</c> yet, and records each with the time it was applied. A store running
    /// several nodes serializes them first (PostgreSQL's advisory lock).
    /// </summary>
    public static async Task MigrateAsync(DbConnection db, DbTransaction tx, SqlDialect dialect, TimeProvider clock)
    {
        await db.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS schema_migrations (version {dialect.BigInt} PRIMARY KEY, name TEXT NOT NULL, applied_at {dialect.BigInt} NOT NULL)",
            transaction: tx);
        var applied = (await db.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: tx)).ToHashSet();
        foreach (var migration in MigrationScripts.For(dialect.Migrations).Where(m => !applied.Contains(m.Version)))
        {
            await db.ExecuteAsync(migration.Sql, transaction: tx);
            await db.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
        }
    }
}
