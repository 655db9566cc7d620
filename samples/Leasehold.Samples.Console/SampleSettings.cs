namespace Leasehold.Samples.Console;

/// <summary>What the sample reads from its command line and environment.</summary>
internal sealed record SampleSettings(Uri ServerUrl, string ApiKey, string LicenseId, string User, string ClientType,
    string? Connection, string? Email, bool Unattended)
{
    public const string Usage = """
        usage: seat-console --license LICENSE_ID [--user NAME] [--client TYPE] [--connection ID --email ADDRESS] [--unattended]
          the server and key come from LEASEHOLD_URL (default http://localhost:5000) and LEASEHOLD_KEY (a client key of the tenant)
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
        return new SampleSettings(
            new Uri(Environment.GetEnvironmentVariable("LEASEHOLD_URL") ?? "http://localhost:5000"),
            key,
            license,
            Option("--user") ?? Environment.UserName,
            Option("--client") ?? "desktop",
            Option("--connection"),
            Option("--email"),
            args.Contains("--unattended"));
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
