namespace Leasehold.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) => LeaseholdCli.RunAsync(args, CliEnvironment.System());
}
