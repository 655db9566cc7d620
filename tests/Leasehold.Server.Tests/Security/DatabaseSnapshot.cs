using System.Data.Common;
using System.Globalization;
using System.Text;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Leasehold.Server.Tests.Security;

/// <summary>
/// Every row of every table of a test host's store, read straight from the database (not through the
/// API, whose list answers may change shape and hide what they do not show): equal snapshots before
/// and after a request prove it changed nothing. On SQLite a read-only connection to the file (the
/// server answers only after its transaction is committed to the WAL, which that connection reads);
/// on PostgreSQL a connection to the host's own schema.
/// <para>
/// No column is left out: nothing in the store changes on a read or a refused request (no
/// "last used" time on keys; an installation's <c>last_contact_at</c> moves only when its own key
/// succeeds). The clock is fake and never moves during a comparison, so no session expires in
/// between either.
/// </para>
/// </summary>
internal static class DatabaseSnapshot
{
    public static async Task<string> TakeAsync(TestHost host)
    {
        var store = host.Service<StoreOptions>();
        await using DbConnection connection = LeaseholdSettings.PostgresFrom(host.Service<Microsoft.Extensions.Configuration.IConfiguration>()) is { } postgres
            ? new NpgsqlConnection(postgres)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store.SqlitePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = connection is SqliteConnection
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        }
        tables.Count.ShouldBeGreaterThan(10, "the snapshot found the store's tables");

        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM {table}";
            await using var reader = await select.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                    row.Append(reader.GetName(i)).Append('=').Append(Show(reader.GetValue(i))).Append(" | ");
                rows.Add(row.ToString());
            }
            rows.Sort(StringComparer.Ordinal);
            text.Append("## ").Append(table).Append(" (").Append(rows.Count).AppendLine(" rows)");
            foreach (var row in rows)
                text.AppendLine(row);
        }
        return text.ToString();
    }

    private static string Show(object value) => value switch
    {
        DBNull => "NULL",
        byte[] bytes => Convert.ToHexString(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The first line where two snapshots differ, for a failure message that says what changed.</summary>
    public static string FirstDifference(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "(end)";
            var y = i < b.Length ? b[i] : "(end)";
            if (x != y)
                return $"before: {x.Trim()}\n   after: {y.Trim()}";
        }
        return "(no difference)";
    }
}
