using Microsoft.Extensions.Logging;

namespace Leasehold.Client.Http;

/// <summary>The client's log lines, in one place.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Leasehold: attempt {Failures} failed, retrying")]
    public static partial void LogRetry(this ILogger logger, Exception error, int failures);

    [LoggerMessage(2, LogLevel.Warning, "Leasehold: session {SessionId} cannot reach the server ({Code}); offline since {Since}")]
    public static partial void LogOffline(this ILogger logger, string sessionId, string code, DateTimeOffset since);

    [LoggerMessage(3, LogLevel.Information, "Leasehold: session {SessionId} reached the server again")]
    public static partial void LogOnline(this ILogger logger, string sessionId);

    [LoggerMessage(4, LogLevel.Information, "Leasehold: session {SessionId} ended ({Code}): {Message}")]
    public static partial void LogEnded(this ILogger logger, string sessionId, string code, string message);

    [LoggerMessage(5, LogLevel.Debug, "Leasehold: events stream of session {SessionId} closed; reconnecting")]
    public static partial void LogStreamClosed(this ILogger logger, Exception? error, string sessionId);

    [LoggerMessage(6, LogLevel.Error, "Leasehold: an event handler of session {SessionId} threw")]
    public static partial void LogHandlerFailed(this ILogger logger, Exception error, string sessionId);

    [LoggerMessage(7, LogLevel.Warning, "Leasehold: sign-off of session {SessionId} failed; the server frees the seat when its TTL runs out")]
    public static partial void LogSignOffFailed(this ILogger logger, Exception error, string sessionId);

    [LoggerMessage(8, LogLevel.Debug, "Leasehold: events stream of waiting-line place {WaitId} closed; reconnecting")]
    public static partial void LogWaitStreamClosed(this ILogger logger, Exception? error, string waitId);

    [LoggerMessage(9, LogLevel.Warning, "Leasehold: leaving the waiting line ({WaitId}) failed; the place ends when its heartbeats stop")]
    public static partial void LogLeaveFailed(this ILogger logger, Exception error, string waitId);

    [LoggerMessage(10, LogLevel.Error, "Leasehold: the progress handler of waiting-line place {WaitId} threw")]
    public static partial void LogProgressFailed(this ILogger logger, Exception error, string waitId);

    [LoggerMessage(11, LogLevel.Information, "Leasehold: the server did not take a batch of heartbeats ({Status}); sending one heartbeat per session from now on")]
    public static partial void LogNoBatchedHeartbeats(this ILogger logger, int status);

    [LoggerMessage(12, LogLevel.Error, "Leasehold: the heartbeat scheduler failed; going on")]
    public static partial void LogSchedulerFailed(this ILogger logger, Exception error);
}
