namespace Leasehold.Server.Tests.Usage;

/// <summary>What the usage tests that play a working day share: the day, and a policy with seat and check clients.</summary>
internal static class UsageStory
{
    /// <summary>Tuesday 3 March 2026 in Berlin (UTC+1).</summary>
    public static readonly DateTimeOffset Tuesday = new(2026, 3, 3, 0, 0, 0, TimeSpan.FromHours(1));

    /// <summary>Desktop and web clients hold seats for a day without heartbeats; mobile clients only pass/fail.</summary>
    public static readonly object Policy = new
    {
        seatKey = "session",
        clientTypes = new
        {
            desktop = new { ttlSeconds = 86400, idleTimeoutSeconds = 0 },
            web = new { ttlSeconds = 86400, idleTimeoutSeconds = 0 },
            mobile = new { consumption = "check" },
        },
    };
}
