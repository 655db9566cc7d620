namespace Leasehold.Server.Tests.Support;

/// <summary>
/// Tests that each run against a fresh <see cref="TestHost"/> of their own: its own data, its own
/// fake clock, which the test may move as it likes. xunit makes a new instance of the test class
/// for every test (every theory row too) and runs <see cref="IAsyncLifetime"/> around it, so no two
/// tests ever share a host, a store or a clock. A test class derives from this, and what all its
/// tests start from goes in <see cref="GivenAsync"/>.
/// </summary>
public abstract class HostedTests : IAsyncLifetime
{
    /// <summary>This test's server.</summary>
    protected TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync();
        await GivenAsync();
    }

    /// <summary>What every test of the class starts from, made on the fresh server before the test runs.</summary>
    protected virtual Task GivenAsync() => Task.CompletedTask;

    /// <summary>Stops the server and starts it again on the same data and the same clock, as an operator's restart would (on a new port).</summary>
    protected async Task RestartHostAsync()
    {
        Host.KeepData = true;
        var (dataDirectory, clock) = (Host.DataDirectory, Host.Clock);
        await Host.DisposeAsync();
        Host = await TestHost.StartAsync(dataDirectory, clock);
    }

    /// <summary>Stops the server and removes its data. A class that holds more (a tenancy's clients) disposes that first, then calls this.</summary>
    public virtual async Task DisposeAsync()
    {
        if (Host is not null) // null when the server failed to start
            await Host.DisposeAsync();
    }
}
