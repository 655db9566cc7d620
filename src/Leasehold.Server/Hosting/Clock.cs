namespace Leasehold.Server.Hosting;

internal static class Clock
{
    /// <summary>Now, cut to whole milliseconds: the precision the store keeps, so an answer and a later read agree.</summary>
    public static DateTimeOffset Now(this TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
