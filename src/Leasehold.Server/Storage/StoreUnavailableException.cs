using Npgsql;

namespace Leasehold.Server.Storage;

/// <summary>
/// The database cannot be reached or cannot take the work now (connection lost, server restarting,
/// pool exhausted): nothing was decided, or the outcome is unknown. The API answers 503 with a
/// retry hint; a retry with the same <c>Idempotency-Key</c> gets the session back if the write
/// did commit.
/// </summary>
internal sealed class StoreUnavailableException(Exception inner)
    : Exception("The database is unavailable: " + inner.Message, inner)
{
    /// <summary>Whether <paramref name="e"/> means the database is out of reach rather than a bug or a bad request.</summary>
    public static bool Means(Exception e) => e is NpgsqlException { IsTransient: true }
        || (e is InvalidOperationException && e.InnerException is NpgsqlException { IsTransient: true });
}
