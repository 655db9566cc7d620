namespace Leasehold.Client.Http;

/// <summary>One server-sent event: its name and its data lines joined.</summary>
internal sealed record ServerSentEvent(string Name, string Data);

/// <summary>Reads server-sent events (text/event-stream) from a stream, one at a time; comment lines are skipped.</summary>
internal sealed class ServerSentEventReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    /// <summary>The next event, or null at the end of the stream.</summary>
    public async Task<ServerSentEvent?> ReadAsync()
    {
        string name = "message";
        var data = new List<string>();
        while (await _reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                    return new ServerSentEvent(name, string.Join("\n", data));
                name = "message";
                continue;
            }
            if (line[0] == ':')
                continue;
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line.Substring(0, colon);
            var value = colon < 0 ? "" : line.Substring(colon + 1).TrimStart(' ');
            if (field == "event")
                name = value;
            else if (field == "data")
                data.Add(value);
        }
        return null;
    }

    public void Dispose() => _reader.Dispose();
}
