namespace Leasehold.Samples.Console;

/// <summary>What the sample reads from its command line and environment.</summary>
/// <param name="WaitMinutes">With <c>--wait MINUTES</c>: wait in the license's line up to that long when every seat is taken.</param>
internal sealed record SampleSettings(Uri ServerUrl, string ApiKey, string LicenseId, string User, string ClientType,
    string? Connection, string? Email, bool Unattended, double? WaitMinutes = null)
{
    public const string Usage = """
        usage: seat-console --license LICENSE_ID [--user NAME] [--client TYPE] [--connection ID --email ADDRESS] [--wait MINUTES] [--unattended]
          the server and key come from LEASEHOLD_URL (default http://localhost:5000) and LEASEHOLD_KEY (a client key of the tenant)
          --wait: when every seat is taken, wait in the license's waiting line up to MINUTES (Ctrl+C leaves the line)
        """;

    public static SampleSettings? From(string[] args)
    {
        string? Option(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        var key = Environment.GetEnvironmentVariable("LEASEHOLD_KEY");
        var license = Option("--license");
        if (string.IsNullOrEmpty(key) || license is null)
            return null;
        double? wait = null;
        if (Option("--wait") is { } minutes)
        {
            if (!double.TryParse(minutes, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var m) || m <= 0 || m > 1440)
                return null;
            wait = m;
        }
        return new SampleSettings(
            new Uri(Environment.GetEnvironmentVariable("LEASEHOLD_URL") ?? "http://localhost:5000"),
            key,
            license,
            Option("--user") ?? Environment.UserName,
            Option("--client") ?? "desktop",
            Option("--connection"),
            Option("--email"),
            args.Contains("--unattended"),
            wait);
    }
}

/// <summary>Console output that is flushed at once (the sample's output is read by people and by a test).</summary>
internal static class Out
{
    public static void Line(string text)
    {
        System.Console.Out.WriteLine(text);
        System.Console.Out.Flush();
    }
}
