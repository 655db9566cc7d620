using System.Diagnostics;

namespace Leasehold.Server.Tests.Support;

/// <summary>
/// Waits for what happens in the background (a reaper pass, a checkpoint, a client's loop), never
/// for a fixed time: it polls a condition until it holds or a generous limit runs out, and then
/// fails saying what it waited for. The one way tests of every project wait.
/// </summary>
public static class Wait
{
    /// <summary>The default limit: generous, the machine may be busy; only something broken reaches it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // Polls start short, so a condition that holds soon is seen at once, and back off, so a costly
    // condition (copying a database file) does not take a busy machine from what it waits for.
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Completes once <paramref name="condition"/> is true; fails with <see cref="TimeoutException"/>
    /// naming <paramref name="what"/> if it is still false after <paramref name="timeout"/> (<see cref="Patience"/> by default).
    /// </summary>
    /// <param name="what">What is awaited, as the failure should say it: "the reaper to end the session".</param>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Patience;
        var waited = Stopwatch.StartNew();
        var poll = FirstPoll;
        while (!await condition())
        {
            if (waited.Elapsed >= limit)
                throw new TimeoutException($"Gave up after {limit.TotalSeconds:0.#} s waiting for {what}.");
            await Task.Delay(poll);
            poll = poll * 2 < LongestPoll ? poll * 2 : LongestPoll;
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, string, TimeSpan?)"/>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>The task's result, or a failure naming <paramref name="what"/> if it has not completed within <see cref="Patience"/>.</summary>
    public static async Task<T> OrFailAsync<T>(this Task<T> task, string what)
    {
        var done = await Task.WhenAny(task, Task.Delay(Patience));
        done.ShouldBe(task, $"gave up waiting {Patience.TotalSeconds} s for: {what}");
        return await task;
    }

    /// <summary>Completes with the first raise of an event.</summary>
    public static Task<T> FirstAsync<T>(Action<EventHandler<T>> subscribe)
    {
        var first = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe((_, e) => first.TrySetResult(e));
        return first.Task;
    }
}
