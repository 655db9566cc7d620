using System.Net;
using System.Text.Json;

namespace Leasehold.Server.Tests.Support;

/// <summary>A minimal reader of a server-sent event stream: one event at a time, or "(closed)" at its end.</summary>
public sealed class SseReader : IAsyncDisposable
{
    /// <summary>How long to wait for the next event before failing: generous, the machine may be busy.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<SseReader> OpenAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        return new SseReader(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    public async Task<(string Name, JsonElement Data)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        string? name = null, data = null;
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
                name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                data = line["data: ".Length..];
            else if (line.Length == 0 && name is not null)
                return (name, JsonDocument.Parse(data ?? "null").RootElement.Clone());
        }
        return ("(closed)", default);
    }

    /// <summary>
    /// The next event not named <paramref name="skipped"/> (a place in line's <c>waiting</c> updates, say: its position and
    /// estimate move as seats free, and each move is told).
    /// </summary>
    public async Task<(string Name, JsonElement Data)> NextOtherThanAsync(string skipped)
    {
        while (true)
        {
            var next = await NextAsync();
            if (next.Name != skipped)
                return next;
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
