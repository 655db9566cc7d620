using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Leasehold.Cli.Output;

/// <summary>How results look: JSON for scripts (<c>--json</c>), tables and grids for people.</summary>
internal static partial class Render
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a terminal, not a web page: '+' stays '+'
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes <paramref name="value"/> as JSON, raw (no markup, no wrapping).</summary>
    public static void WriteJson(this IAnsiConsole console, object? value)
    {
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, Json));
        console.Profile.Out.Writer.Flush();
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        return table;
    }

    /// <summary>
    /// A row. A column of ids (<c>ses_...</c>, <c>lic_...</c>) or keys (<c>lh_...</c>) is never wrapped: on a
    /// narrow terminal the other columns wrap instead, so an id stays whole on one line for copying.
    /// (Piped output is never wrapped at all: <see cref="CliEnvironment.UnboundedWidth"/>.)
    /// </summary>
    public static void AddCells(this Table table, params object?[] cells)
    {
        for (var i = 0; i < cells.Length && i < table.Columns.Count; i++)
        {
            if (cells[i] is string text && IdPattern().IsMatch(text))
                table.Columns[i].NoWrap = true;
        }
        table.AddRow(cells.Select(c => (IRenderable)new Text(Cell(c))).ToArray());
    }

    [GeneratedRegex(@"^[a-z]{2,5}_[A-Za-z0-9_-]{8,}\z")]
    private static partial Regex IdPattern();

    /// <summary>Name/value lines for one object.</summary>
    public static Grid Details(params (string Name, object? Value)[] rows)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in rows)
            grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(Cell(value)));
        return grid;
    }

    public static string Cell(object? value) => value switch
    {
        null => "-",
        DateTimeOffset at => Time(at),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    };

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A span for people: "2 h 5 min", "4 min", "12 s" (as the web console shows one).</summary>
    public static string Span(TimeSpan span) => span switch
    {
        { TotalHours: >= 1 } => $"{(int)span.TotalHours} h {span.Minutes} min",
        { TotalMinutes: >= 1 } => $"{(int)span.TotalMinutes} min",
        _ => $"{Math.Max(0, (int)span.TotalSeconds)} s",
    };

    /// <summary>A line for people (not for --json): plain text, markup-safe.</summary>
    public static void Say(this IAnsiConsole console, string text) => console.WriteLine(text);
}
