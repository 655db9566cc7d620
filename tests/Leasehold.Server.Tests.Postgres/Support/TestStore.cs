using System.Security.Cryptography;
using System.Text;

namespace Leasehold.Server.Tests.Support;

/// <summary>
/// This project runs the server tests on PostgreSQL: one throwaway cluster for the whole test run
/// (<see cref="SharedCluster"/>), and for each data directory a fresh schema of its own, named from
/// the directory. Hosts started on one data directory (a restart, or the nodes of a multi-node
/// test) share that schema, as servers share one database.
/// </summary>
public static class TestStore
{
    public const string Provider = "postgres";

    // CREATE SCHEMA IF NOT EXISTS is not safe against itself: two sessions creating the same schema at
    // once can both pass the check, and one fails on pg_namespace's unique index. Nodes of a multi-node
    // test start at once on one data directory, so the schema is created one caller at a time.
    private static readonly SemaphoreSlim CreatingSchema = new(1, 1);

    public static async Task<IReadOnlyDictionary<string, string>> SettingsAsync(string dataDirectory)
    {
        var cluster = await SharedCluster.GetAsync();
        var schema = SchemaOf(dataDirectory);
        await CreatingSchema.WaitAsync();
        try
        {
            await cluster.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {schema}");
        }
        finally
        {
            CreatingSchema.Release();
        }
        return new Dictionary<string, string> { ["LEASEHOLD_POSTGRES"] = cluster.ConnectionString(schema) };
    }

    public static async Task ReleaseAsync(string dataDirectory) =>
        await (await SharedCluster.GetAsync()).ExecuteAsync($"DROP SCHEMA IF EXISTS {SchemaOf(dataDirectory)} CASCADE");

    private static string SchemaOf(string dataDirectory) =>
        "t_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..20];
}

/// <summary>The one cluster of this test run, started on first use and stopped when the test process exits.</summary>
public static class SharedCluster
{
    private static readonly Lazy<Task<PgCluster>> Cluster = new(StartAsync);

    public static Task<PgCluster> GetAsync() => Cluster.Value;

    private static async Task<PgCluster> StartAsync()
    {
        var cluster = await PgCluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return cluster;
    }
}

/// <summary>
/// Why a PostgreSQL test would skip: only when PostgreSQL cannot be found at all and this is not
/// CI (CI=true), where these tests must run and fail loudly instead.
/// </summary>
public static class PostgresAvailability
{
    public static string? SkipReason { get; } =
        PgCluster.FindBinaries() is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? "PostgreSQL is not installed here (./test.sh installs it); CI always runs these tests."
            : null;
}
