using Spectre.Console;

namespace Leasehold.Cli;

/// <summary>Where the command writes and what it reads from its surroundings; tests give their own.</summary>
/// <param name="Out">Results: tables, or JSON with <c>--json</c>.</param>
/// <param name="Error">Errors and hints.</param>
/// <param name="Variable">Reads an environment variable.</param>
internal sealed record CliEnvironment(IAnsiConsole Out, IAnsiConsole Error, Func<string, string?> Variable)
{
    /// <summary>Now, for what commands judge offline (a license file's dates).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The width of output that is not a terminal (a pipe, a file): wide enough that no table or line
    /// is ever wrapped, so an id, key or time stays whole on its line for grep, cut and awk.
    /// (Spectre.Console takes 80 columns when it cannot ask a terminal, which wrapped session ids over four lines.)
    /// </summary>
    public const int UnboundedWidth = 32_767;

    public static CliEnvironment System()
    {
        var output = AnsiConsole.Console;
        var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsOutputRedirected)
            output.Profile.Width = UnboundedWidth;
        if (Console.IsErrorRedirected)
            error.Profile.Width = UnboundedWidth;
        return new(output, error, Environment.GetEnvironmentVariable);
    }

    /// <summary>Plain text consoles over writers (no colors, no animation): for tests and pipes.</summary>
    public static CliEnvironment Plain(TextWriter output, TextWriter error, Func<string, string?> variable, int width = 200)
    {
        IAnsiConsole Make(TextWriter writer)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = width;
            return console;
        }
        return new(Make(output), Make(error), variable);
    }
}
