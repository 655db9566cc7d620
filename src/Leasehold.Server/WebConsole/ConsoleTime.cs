using Leasehold.Core.Access;

namespace Leasehold.Server.WebConsole;

/// <summary>Times as a tenant's people read them: in the tenant's own time zone, with its offset shown.</summary>
internal static class ConsoleTime
{
    public static string Show(DateTimeOffset at, string timeZone) =>
        AccessSchedule.ToLocalOffset(at, timeZone).ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A span as "2 h 5 min", "4 min", "12 s".</summary>
    public static string Span(TimeSpan span) => span switch
    {
        { TotalHours: >= 1 } => $"{(int)span.TotalHours} h {span.Minutes} min",
        { TotalMinutes: >= 1 } => $"{(int)span.TotalMinutes} min",
        _ => $"{Math.Max(0, (int)span.TotalSeconds)} s",
    };
}
