using System.Globalization;
using System.Text.RegularExpressions;

namespace Leasehold.Server.Tests.Telemetry;

/// <summary>One sample of a Prometheus text exposition: its metric name, its labels and its value.</summary>
internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(params (string Label, string Value)[] labels) =>
        labels.All(l => Labels.TryGetValue(l.Label, out var v) && v == l.Value);
}

/// <summary>Reads what <c>GET /metrics</c> answers as Prometheus reads it (the text format: <c>name{label="value",...} value [timestamp]</c>).</summary>
internal static partial class PrometheusText
{
    public static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var match = SampleLine().Match(line);
            if (!match.Success)
                throw new FormatException($"Not a Prometheus sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
                labels[label.Groups["name"].Value] = Regex.Unescape(label.Groups["value"].Value);
            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    /// <summary>The value of the one sample named <paramref name="name"/> with these labels (others may be there too); null when there is none.</summary>
    public static double? Value(this IReadOnlyList<Sample> samples, string name, params (string Label, string Value)[] labels)
    {
        var found = samples.Where(s => s.Name == name && s.Has(labels)).ToList();
        found.Count.ShouldBeLessThanOrEqualTo(1, $"{name} with {string.Join(",", labels)} is in {found.Count} series");
        return found.Count == 0 ? null : found[0].Value;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\S+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
