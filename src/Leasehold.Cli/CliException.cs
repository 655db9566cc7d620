namespace Leasehold.Cli;

/// <summary>A failure the command explains itself: what went wrong, what to try, and the exit code.</summary>
internal sealed class CliException(int exitCode, string message, string? hint = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
    public string? Hint { get; } = hint;
}
