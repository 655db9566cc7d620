namespace Leasehold.Client.Tests.Support;

/// <summary>Waits for what a background loop does, patiently: a generous limit that only a broken client reaches.</summary>
public static class Wait
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<T> OrFailAsync<T>(this Task<T> task, string what)
    {
        var done = await Task.WhenAny(task, Task.Delay(Patience));
        done.ShouldBe(task, $"gave up waiting {Patience.TotalSeconds} s for: {what}");
        return await task;
    }

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += TimeSpan.FromMilliseconds(25))
        {
            waited.ShouldBeLessThan(Patience, $"gave up waiting for: {what}");
            await Task.Delay(25);
        }
    }

    /// <summary>Completes with the first raise of an event.</summary>
    public static Task<T> FirstAsync<T>(Action<EventHandler<T>> subscribe)
    {
        var first = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe((_, e) => first.TrySetResult(e));
        return first.Task;
    }
}
