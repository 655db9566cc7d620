using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Leasehold.Bench;

/// <summary>
/// What one part of the run found: named figures (for the results row) and a human-readable
/// report (markdown), saved as <c>PART.json</c> and <c>PART.md</c> in the results directory, where
/// <c>report</c> gathers them. The report is echoed to the console as it is written.
/// </summary>
internal sealed class Results(string directory, string part)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly Dictionary<string, double> _figures = new(StringComparer.Ordinal);
    private readonly StringBuilder _markdown = new();

    public void Set(string name, double value) => _figures[name] = value;

    public void Line(string text = "")
    {
        _markdown.AppendLine(text);
        Console.WriteLine(text);
    }

    public void Save()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, part + ".json"), JsonSerializer.Serialize(_figures, Indented));
        File.WriteAllText(Path.Combine(directory, part + ".md"), _markdown.ToString());
    }

    public static Dictionary<string, double> LoadFigures(string directory)
    {
        var all = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(file))!)
                all[name] = value;
        }
        return all;
    }
}

/// <summary>Number formats of the reports (invariant: the same on every machine).</summary>
internal static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string N0(double value) => double.IsNaN(value) ? "n/a" : value.ToString("N0", Invariant);

    public static string F(double value, int decimals) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F" + decimals.ToString(Invariant), Invariant);

    public static string Ms(double value) => double.IsNaN(value) ? "n/a" : value switch
    {
        < 10 => value.ToString("F2", Invariant),
        < 100 => value.ToString("F1", Invariant),
        _ => value.ToString("N0", Invariant),
    };

    public static string Ratio(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F2", Invariant) + "x";

    /// <summary>A byte count per request: B under 1 KiB, else KiB with one decimal.</summary>
    public static string Bytes(double bytes) => double.IsNaN(bytes) ? "n/a" : Math.Abs(bytes) < 1024
        ? bytes.ToString("N0", Invariant) + " B"
        : (bytes / 1024).ToString("N1", Invariant) + " KiB";

    public static string MiB(double bytes) => bytes < 0 || double.IsNaN(bytes) ? "n/a" : (bytes / 1024 / 1024).ToString("N0", Invariant) + " MiB";

    public static string Count(long n) => n switch
    {
        >= 1_000_000 when n % 1_000_000 == 0 => (n / 1_000_000).ToString(Invariant) + "M",
        >= 1_000 when n % 1_000 == 0 => (n / 1_000).ToString(Invariant) + "k",
        _ => n.ToString("N0", Invariant),
    };

    public static string Seconds(double seconds) => double.IsNaN(seconds) ? "n/a" : seconds switch
    {
        < 10 => seconds.ToString("F2", Invariant) + " s",
        < 120 => seconds.ToString("F0", Invariant) + " s",
        _ => $"{seconds.ToString("F0", Invariant)} s ({(seconds / 60).ToString("F1", Invariant)} min)",
    };
}
