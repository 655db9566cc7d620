using System.Net.ServerSentEvents;

namespace Leasehold.Client.Http;

/// <summary>
/// Reads the events of one push-channel connection (text/event-stream) with the BCL's
/// <see cref="SseParser"/>, so the stream is read as the server-sent events spec has it: exactly one
/// space after a field's colon is stripped, data lines are joined with "\n", comment lines (the
/// server's keep-alives) are skipped, and a <c>retry</c> field is kept for the reconnect (<see cref="Retry"/>).
/// </summary>
internal sealed class ServerSentEventReader(Stream stream)
{
    private readonly SseParser<string> _parser = SseParser.Create(stream);

    /// <summary>The events until the stream ends (the name is "message" where the server gives none); enumerate once.</summary>
    public IAsyncEnumerable<SseItem<string>> ReadAllAsync(CancellationToken ct) => _parser.EnumerateAsync(ct);

    /// <summary>How long the server asked clients to wait before reconnecting (its last <c>retry</c> field), or null if it did not say.</summary>
    public TimeSpan? Retry => _parser.ReconnectionInterval == Timeout.InfiniteTimeSpan ? null : _parser.ReconnectionInterval;
}
