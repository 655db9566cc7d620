using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

/// <summary>Tests of commands against a fresh real server each, run by default with the operator key.</summary>
public abstract class ServerCommandTests : IAsyncLifetime
{
    protected TestHost Host { get; private set; } = null!;

    /// <summary>The command with the server's URL and the operator key.</summary>
    protected CliRun Cli { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync();
        Cli = new CliRun(Host, TestHost.OperatorKey);
        await GivenAsync();
    }

    /// <summary>What a test class sets up on the fresh server.</summary>
    protected virtual Task GivenAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        if (Host is not null)
            await Host.DisposeAsync();
    }
}
