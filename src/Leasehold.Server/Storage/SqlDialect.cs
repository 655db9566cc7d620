namespace Leasehold.Server.Storage;

/// <summary>
/// The clauses in which one statement's SQLite and PostgreSQL texts differ: each store holds its
/// dialect and the shared SQL (<see cref="TenantSql"/>, <see cref="SessionSql"/>, ...) puts them in,
/// so that such a statement is still written once.
/// </summary>
internal sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new()
    {
        Migrations = "Sqlite",
        IdOrder = "id",
        BigInt = "INTEGER",
        RowLock = "",
        ChainLock = null,
        InList = "{0} IN @{1}",
    };

    public static readonly SqlDialect Postgres = new()
    {
        Migrations = "Postgres",
        IdOrder = "id COLLATE \"C\"",
        BigInt = "BIGINT",
        RowLock = " FOR UPDATE",
        ChainLock = "SELECT pg_advisory_xact_lock(@key)",
        InList = "{0} = ANY(@{1})",
    };

    /// <summary>The folder of the provider's embedded migration scripts (<see cref="MigrationScripts.For"/>).</summary>
    public required string Migrations { get; init; }

    /// <summary>
    /// The id as the last key of an ORDER BY, compared byte by byte on both: SQLite's default
    /// collation is binary already, PostgreSQL's follows the database's locale unless told "C".
    /// </summary>
    public required string IdOrder { get; init; }

    /// <summary>A 64-bit integer column: SQLite's INTEGER is one (and INTEGER PRIMARY KEY its rowid), PostgreSQL's is 32-bit.</summary>
    public required string BigInt { get; init; }

    /// <summary>
    /// After a SELECT of a license row a write depends on: PostgreSQL locks the row against the
    /// other nodes until the transaction ends; SQLite's single writer is serialized already (and
    /// has no FOR UPDATE).
    /// </summary>
    public required string RowLock { get; init; }

    /// <summary>
    /// Taken before reading an audit chain's head to append to it (<see cref="AuditSql.AppendAsync"/>): on
    /// PostgreSQL a transaction-scoped advisory lock on the chain (<c>@key</c>), so nodes append one at a
    /// time and the chain never forks; none on SQLite, whose single writer appends one at a time already.
    /// </summary>
    public required string? ChainLock { get; init; }

    /// <summary>
    /// A column (<c>{0}</c>) matching any value of an array parameter (<c>{1}</c>, named without its @): SQLite's
    /// <c>IN @ids</c> (Dapper spreads the array into one parameter per value), PostgreSQL's <c>= ANY(@ids)</c> (Dapper sends Npgsql the array whole).
    /// </summary>
    public required string InList { get; init; }

    /// <summary><see cref="InList"/> for <paramref name="column"/> and the array parameter <paramref name="parameter"/>.</summary>
    public string AnyOf(string column, string parameter) => string.Format(System.Globalization.CultureInfo.InvariantCulture, InList, column, parameter);
}
