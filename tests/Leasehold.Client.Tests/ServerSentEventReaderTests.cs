using System.Net.ServerSentEvents;
using System.Text;
using Leasehold.Client.Http;

namespace Leasehold.Client.Tests;

/// <summary>The push channel's reader follows the server-sent events spec, not a looser reading of it.</summary>
public sealed class ServerSentEventReaderTests
{
    [Fact]
    public async Task Data_LosesOnlyTheOneSpaceAfterTheColon()
    {
        var (events, _) = await ReadAsync("data:  {\"x\":1}\n\ndata:no space\n\n");

        events.Select(e => e.Data).ShouldBe(new[] { " {\"x\":1}", "no space" });
    }

    [Fact]
    public async Task DataLines_AreJoinedWithNewlines_AndIdAndRetryDoNotGetInTheWay()
    {
        var (events, reader) = await ReadAsync(
            ": keep-alive\n\nid: 7\nretry: 2500\nevent: ended\ndata: {\"reason\":\"stopped\",\ndata: \"message\":\"Stopped.\"}\n\n");

        var e = events.ShouldHaveSingleItem();
        e.EventType.ShouldBe("ended");
        e.Data.ShouldBe("{\"reason\":\"stopped\",\n\"message\":\"Stopped.\"}");
        reader.Retry.ShouldBe(TimeSpan.FromMilliseconds(2500));
    }

    [Fact]
    public async Task KeepAlives_AreSkipped_AndAnUnnamedEventIsAMessage_EndedByAnyLineEnding()
    {
        var (events, reader) = await ReadAsync(": keep-alive\n\nevent: session\r\ndata: {}\r\n\r\n: keep-alive\n\ndata: hello\r\r");

        events.Select(e => (e.EventType, e.Data)).ShouldBe(new[] { ("session", "{}"), ("message", "hello") });
        reader.Retry.ShouldBeNull();
    }

    private static async Task<(List<SseItem<string>> Events, ServerSentEventReader Reader)> ReadAsync(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var reader = new ServerSentEventReader(stream);
        var events = new List<SseItem<string>>();
        await foreach (var e in reader.ReadAllAsync(CancellationToken.None))
            events.Add(e);
        return (events, reader);
    }
}
