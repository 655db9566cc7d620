using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

/// <summary>Tests of commands against a fresh real server each (see <see cref="HostedTests"/>), run by default with the operator key.</summary>
public abstract class ServerCommandTests : HostedTests
{
    private CliRun? _cli;

    /// <summary>The command with the server's URL and the operator key.</summary>
    protected CliRun Cli => _cli ??= new CliRun(Host, TestHost.OperatorKey);
}
