using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Leasehold.Cli.Output;

/// <summary>How results look: JSON for scripts (<c>--json</c>), tables and grids for people.</summary>
internal static class Render
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
    /// A row. A column that holds a single word (an id, a key, an e-mail, a code) or a time is never wrapped:
    /// on a narrow terminal the other columns wrap instead, so every id stays whole on one line.
    /// </summary>
    public static void AddCells(this Table table, params object?[] cells)
    {
        for (var i = 0; i < cells.Length && i < table.Columns.Count; i++)
        {
            if (IsOneWord(cells[i]))
                table.Columns[i].NoWrap = true;
        }
        table.AddRow(cells.Select(c => (IRenderable)new Text(Cell(c))).ToArray());
    }

    private static bool IsOneWord(object? value) => value switch
    {
        DateTimeOffset or IFormattable => true,
        string text => text.Length > 0 && !text.Any(char.IsWhiteSpace),
        _ => false,
    };

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

    /// <summary>A line for people (not for --json): plain text, markup-safe.</summary>
    public static void Say(this IAnsiConsole console, string text) => console.WriteLine(text);
}
