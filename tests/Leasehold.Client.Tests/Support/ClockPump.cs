using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Leasehold.Client.Tests.Support;

/// <summary>
/// Moves the test server's fake clock along with real time while a real client runs against it
/// (the client's timers are real), so heartbeats, TTLs and the reaper meet as in production.
/// <see cref="Paused"/> stops server time, e.g. while the server is down for a restart.
/// </summary>
public sealed class ClockPump : IAsyncDisposable
{
    private readonly FakeTimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ClockPump(FakeTimeProvider clock)
    {
        _clock = clock;
        _loop = Task.Run(RunAsync);
    }

    public bool Paused { get; set; }

    /// <summary>Server time that has passed since the pump started.</summary>
    public TimeSpan Moved { get; private set; }

    private async Task RunAsync()
    {
        var watch = Stopwatch.StartNew();
        var last = watch.Elapsed;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(20, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var now = watch.Elapsed;
            if (!Paused)
            {
                _clock.Advance(now - last);
                Moved += now - last;
            }
            last = now;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
