using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Leasehold.Bench;

/// <summary>One kind of request (checkout, release, heartbeat, ...): its latencies and its failures.</summary>
internal sealed class OpStats(string name)
{
    private long _errors;

    public string Name { get; } = name;

    /// <summary>Latencies of the requests answered as expected (the others are errors).</summary>
    public Histogram Latency { get; } = new();

    public long Ok => Latency.Count;

    public long Errors => Interlocked.Read(ref _errors);

    public ConcurrentDictionary<string, long> ErrorKinds { get; } = new(StringComparer.Ordinal);

    public void AddError(string kind)
    {
        Interlocked.Increment(ref _errors);
        ErrorKinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    public string ErrorSummary() => ErrorKinds.IsEmpty
        ? ""
        : string.Join("; ", ErrorKinds.OrderByDescending(e => e.Value).Take(4).Select(e => $"{e.Value:N0}x {e.Key}"));
}

/// <summary>
/// The measured window of a run, in <see cref="Stopwatch"/> timestamps: a request counts when it
/// started inside the window and, if it succeeded, finished inside it too (warm-up traffic and
/// requests cut by the end are not counted).
/// </summary>
internal sealed class Window
{
    public long Start { get; private set; }

    public long End { get; private set; } = long.MaxValue;

    public static Window Always => new();

    public TimeSpan Duration => Stopwatch.GetElapsedTime(Start, End);

    public void Begin(TimeSpan warmup, TimeSpan duration)
    {
        var now = Stopwatch.GetTimestamp();
        Start = now + Ticks(warmup);
        End = Start + Ticks(duration);
    }

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public bool Over(long now) => now >= End;
}

/// <summary>Sends one request, times it and files the result under its <see cref="OpStats"/>.</summary>
internal sealed class Requester(HttpClient client, Window window)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public HttpClient Client => client;

    public Window Window => window;

    /// <summary>
    /// Sends the request and answers the body when the status is <paramref name="expected"/>, else
    /// null. The latency runs from <paramref name="start"/> (a timestamp; 0: now), so an open-loop
    /// caller can count the time a request waited for its turn.
    /// </summary>
    /// <param name="sessionToken">The session's token, for calls on a session (heartbeat, release).</param>
    public async Task<byte[]?> SendAsync(OpStats op, HttpMethod method, string path, byte[]? body, int expected, long start = 0, string? sessionToken = null)
    {
        if (start == 0)
            start = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (sessionToken is not null)
                request.Headers.TryAddWithoutValidation(Setup.SessionTokenHeader, sessionToken);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = Json;
            }
            using var response = await client.SendAsync(request);
            var answer = await response.Content.ReadAsByteArrayAsync();
            var end = Stopwatch.GetTimestamp();
            var status = (int)response.StatusCode;
            if (start < window.Start)
                return status == expected ? answer : null;
            if (status != expected)
            {
                op.AddError($"HTTP {status} {ProblemCode(answer)}".TrimEnd());
                return null;
            }
            if (end <= window.End)
                op.Latency.Record((long)((end - start) * 1_000_000.0 / Stopwatch.Frequency));
            return answer;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            if (start >= window.Start)
                op.AddError($"{e.GetType().Name}: {e.Message}");
            return null;
        }
    }

    private static string ProblemCode(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}

/// <summary>What one run measured, with the CPU both processes spent during its window.</summary>
internal sealed record MixResult(string Name, IReadOnlyList<OpStats> Ops, TimeSpan Duration,
    double WallSeconds, double ServerCpuSeconds, double BenchCpuSeconds)
{
    public long Requests => Ops.Sum(o => o.Ok);

    public long Errors => Ops.Sum(o => o.Errors);

    public double RequestsPerSecond => Requests / Duration.TotalSeconds;

    public double ServerCores => ServerCpuSeconds / WallSeconds;

    public double BenchCores => BenchCpuSeconds / WallSeconds;

    public double ServerMicrosPerRequest => Requests == 0 ? double.NaN : ServerCpuSeconds * 1e6 / (RequestsPerSecond * WallSeconds);

    /// <summary>Bytes the server allocated during the window (its runtime's counter, one scrape's own allocation subtracted); NaN: not measured.</summary>
    public double AllocatedBytes { get; init; } = double.NaN;

    /// <summary>Bytes the server allocated per request answered, over the same span as <see cref="ServerMicrosPerRequest"/>.</summary>
    public double AllocatedBytesPerRequest => Requests == 0 ? double.NaN : AllocatedBytes / (RequestsPerSecond * WallSeconds);

    /// <summary>CPU (cores) that other processes of the machine used meanwhile, and that the hypervisor stole.</summary>
    public double OtherCores { get; init; } = double.NaN;

    public double StealCores { get; init; } = double.NaN;

    /// <summary>Open loop only: the share of requests sent more than 1 ms after their scheduled time.</summary>
    public double LateShare { get; init; } = double.NaN;

    public double TargetRate { get; init; } = double.NaN;
}

/// <summary>The two ways of driving load: as fast as the answers come, or at a fixed rate.</summary>
internal static class Load
{
    /// <summary>
    /// Closed loop: <paramref name="workers"/> loops, each sending its next request as soon as the
    /// last is answered, over its own keep-alive connection. The answer rate is the maximum
    /// throughput at that concurrency; latencies include the queueing it causes.
    /// </summary>
    public static async Task<MixResult> ClosedAsync(Target target, string name, Window window, IReadOnlyList<OpStats> ops,
        int workers, Func<int, Func<Task>> makeStep, TimeSpan warmup, TimeSpan duration)
    {
        var steps = Enumerable.Range(0, workers).Select(makeStep).ToList();
        window.Begin(warmup, duration);
        var sampler = SampleCpuAsync(target, window);
        var loops = steps.Select(step => Task.Run(async () =>
        {
            while (!window.Over(Stopwatch.GetTimestamp()))
                await step();
        }));
        await Task.WhenAll(loops);
        var cpu = await sampler;
        return new MixResult(name, ops, duration, cpu.Wall, cpu.Server, cpu.Bench)
        {
            OtherCores = cpu.Other,
            StealCores = cpu.Steal,
            AllocatedBytes = cpu.Allocated,
        };
    }

    /// <summary>
    /// Open loop: events are scheduled at a fixed rate whatever the answers do (like wrk2). A free
    /// worker waits for the next event's time and starts it; when every worker is busy, the event
    /// starts late and its latency is counted from its scheduled time, so a slow server cannot
    /// hide its queueing by slowing the load down (no coordinated omission).
    /// </summary>
    public static async Task<MixResult> OpenAsync(Target target, string name, Window window, IReadOnlyList<OpStats> ops,
        int workers, double eventsPerSecond, Func<int, Func<long, Task>> makeStep, TimeSpan warmup, TimeSpan duration)
    {
        var steps = Enumerable.Range(0, workers).Select(makeStep).ToList();
        window.Begin(warmup, duration);
        var origin = Stopwatch.GetTimestamp();
        var ticksPerEvent = Stopwatch.Frequency / eventsPerSecond;
        var oneMs = Stopwatch.Frequency / 1000;
        long next = -1;
        long late = 0;
        long counted = 0;
        var sampler = SampleCpuAsync(target, window);
        var loops = steps.Select(step => Task.Run(async () =>
        {
            while (true)
            {
                var k = Interlocked.Increment(ref next);
                var scheduled = origin + (long)(k * ticksPerEvent);
                if (scheduled >= window.End)
                    return;
                var now = Stopwatch.GetTimestamp();
                long start;
                if (now < scheduled)
                {
                    var wait = scheduled - now;
                    if (wait >= oneMs)
                        await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                    start = Stopwatch.GetTimestamp(); // a timer that wakes late is not the server's fault
                }
                else
                {
                    start = scheduled; // every worker was busy: the wait is part of the latency
                    if (scheduled >= window.Start && now - scheduled > oneMs)
                        Interlocked.Increment(ref late);
                }
                if (scheduled >= window.Start)
                    Interlocked.Increment(ref counted);
                await step(start);
            }
        }));
        await Task.WhenAll(loops);
        var cpu = await sampler;
        return new MixResult(name, ops, duration, cpu.Wall, cpu.Server, cpu.Bench)
        {
            OtherCores = cpu.Other,
            StealCores = cpu.Steal,
            AllocatedBytes = cpu.Allocated,
            LateShare = counted == 0 ? double.NaN : late / (double)counted,
            TargetRate = eventsPerSecond,
        };
    }

    /// <summary>
    /// CPU time over the window of the server, of this process, of the rest of the machine (in
    /// cores: other processes competing for them) and stolen by the hypervisor (cores); and the bytes
    /// the server allocated, when the target reads its allocation counter (NaN otherwise): one scrape
    /// right after each CPU reading, so the two spans differ by a scrape's latency at each end.
    /// </summary>
    private static async Task<(double Wall, double Server, double Bench, double Other, double Steal, double Allocated)> SampleCpuAsync(
        Target target, Window window)
    {
        var allocations = window.Duration > TimeSpan.Zero ? target.Allocations : null;
        await DelayUntilAsync(window.Start);
        var t0 = Stopwatch.GetTimestamp();
        var server0 = target.CpuSeconds();
        var bench0 = Environment.CpuUsage.TotalTime.TotalSeconds;
        var machine0 = target.MachineCpuSeconds();
        var allocated0 = allocations is null ? double.NaN : await allocations.ReadAsync();
        await DelayUntilAsync(window.End);
        var t1 = Stopwatch.GetTimestamp();
        var server1 = target.CpuSeconds();
        var bench1 = Environment.CpuUsage.TotalTime.TotalSeconds;
        var machine1 = target.MachineCpuSeconds();
        var allocated1 = allocations is null ? double.NaN : await allocations.ReadAsync();
        var wall = Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
        var server = server1 - server0;
        var bench = bench1 - bench0;
        var other = Math.Max(0, machine1.Busy - machine0.Busy - server - bench) / wall;
        var allocated = allocated1 - allocated0 - (allocations?.ScrapeBytes ?? 0);
        return (wall, server, bench, other, (machine1.Steal - machine0.Steal) / wall, allocated);
    }

    public static async Task DelayUntilAsync(long timestamp)
    {
        var wait = timestamp - Stopwatch.GetTimestamp();
        if (wait > 0)
            await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
    }
}
