using System.Globalization;

namespace Leasehold.Bench;

/// <summary><c>--name value</c> pairs and bare <c>--flag</c>s, after the subcommand.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public static Options Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Unexpected argument '{arg}'.");
            var name = arg[2..];
            if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                options._values[name] = args[++i];
            else
                options._flags.Add(name);
        }
        return options;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Find(string name) => _values.GetValueOrDefault(name);

    public string Get(string name) => Find(name) ?? throw new ArgumentException($"--{name} is required.");

    public int Int(string name, int fallback) =>
        Find(name) is { } value ? int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        Find(name) is { } value ? double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    public TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(Double(name, fallback));
}
