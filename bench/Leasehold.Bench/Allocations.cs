using System.Globalization;
using System.Net;

namespace Leasehold.Bench;

/// <summary>
/// The server's bytes allocated so far, as its runtime counts them: the <c>System.Runtime</c> meter's
/// <c>dotnet.gc.heap.total_allocated</c> (<c>GC.GetTotalAllocatedBytes()</c>), which the server exports
/// at <c>/metrics</c> as <see cref="Series"/>, read with the operator key, as Prometheus reads it. A mix
/// reads it once when its window opens and once when it closes (docs/benchmarks.md, "What is measured").
/// </summary>
/// <remarks>
/// A scrape allocates too (the exporter collects every instrument and writes the text): the part of
/// the first read's scrape that comes after its counter was read falls inside the window. That is
/// about one scrape's allocation, measured on the settled server by <see cref="CalibrateAsync"/> and
/// subtracted from every mix (<see cref="ScrapeBytes"/>).
/// </remarks>
internal sealed class AllocationCounter : IDisposable
{
    public const string Series = "dotnet_gc_heap_total_allocated_bytes_total";

    private readonly HttpClient _client;

    private AllocationCounter(HttpClient client) => _client = client;

    /// <summary>One scrape's own allocation, subtracted from each mix's; 0 until calibrated.</summary>
    public double ScrapeBytes { get; private set; }

    /// <summary>The counter of the target, or null (with the reason on stderr) when its /metrics has none: metrics off, or a build before the runtime's meter was exported.</summary>
    public static async Task<AllocationCounter?> OpenAsync(Target target)
    {
        var counter = new AllocationCounter(target.Client(target.AdminKey, 1));
        var (value, why) = await counter.TryReadAsync();
        if (!double.IsNaN(value))
            return counter;
        await Console.Error.WriteLineAsync($"  allocations per request: not measured ({why})");
        counter.Dispose();
        return null;
    }

    /// <summary>The counter now (bytes), or NaN when the scrape failed.</summary>
    public async Task<double> ReadAsync() => (await TryReadAsync()).Value;

    /// <summary>
    /// Scrapes back to back on the (idle) server: the smallest difference between two reads is what one
    /// scrape allocates, with as little of the server's background work (the reaper, timers) as can be.
    /// </summary>
    public async Task<double> CalibrateAsync(int scrapes = 6)
    {
        var last = await ReadAsync();
        var smallest = double.PositiveInfinity;
        for (var i = 0; i < scrapes; i++)
        {
            var next = await ReadAsync();
            smallest = Math.Min(smallest, next - last);
            last = next;
        }
        ScrapeBytes = double.IsFinite(smallest) ? smallest : 0;
        return ScrapeBytes;
    }

    private async Task<(double Value, string Why)> TryReadAsync()
    {
        try
        {
            using var response = await _client.GetAsync(new Uri("/metrics", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
                return (double.NaN, $"GET /metrics answered {(int)response.StatusCode}");
            var text = await response.Content.ReadAsStringAsync();
            var at = text.IndexOf("\n" + Series, StringComparison.Ordinal);
            if (at < 0)
                return (double.NaN, $"/metrics has no {Series}");
            var line = text.AsSpan(at + 1);
            var end = line.IndexOf('\n');
            line = end < 0 ? line : line[..end];
            var value = line[(line.LastIndexOf(' ') + 1)..];
            return (double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture), "");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or FormatException)
        {
            return (double.NaN, $"{e.GetType().Name}: {e.Message}");
        }
    }

    public void Dispose() => _client.Dispose();
}
