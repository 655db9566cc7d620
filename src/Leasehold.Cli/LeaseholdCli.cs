using System.CommandLine;
using Leasehold.Cli.Commands;
using Spectre.Console;

namespace Leasehold.Cli;

/// <summary>The <c>leasehold</c> command: its tree of subcommands, global options and exit codes.</summary>
internal static class LeaseholdCli
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken ct = default)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("leasehold: run a Leasehold concurrent-license server from the terminal (tenants, licenses, keys, sessions, policies).");
        globals.AddTo(root);
        var runner = new CommandRunner(env, globals);
        root.Subcommands.Add(TenantCommands.Build(runner));
        root.Subcommands.Add(LicenseCommands.Build(runner));
        root.Subcommands.Add(KeyCommands.Build(runner));
        root.Subcommands.Add(SessionCommands.Build(runner));
        root.Subcommands.Add(WaitCommands.Build(runner));
        root.Subcommands.Add(UsageCommands.Build(runner));
        root.Subcommands.Add(PolicyCommands.Build(runner));
        root.Subcommands.Add(ConnectionCommands.Build(runner));
        root.Subcommands.Add(InstallationCommands.Build(runner));
        root.Subcommands.Add(InstallationCommands.BuildInstallationMode(runner));
        root.Subcommands.Add(SigningKeyCommands.Build(runner));
        root.Subcommands.Add(AuditCommands.Build(runner));
        root.Subcommands.Add(LicenseFileCommands.Build(runner));
        root.Subcommands.Add(ConfigCommands.Build(runner));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                env.Error.MarkupLine($"[red]Error:[/] {Markup.Escape(error.Message)}");
            var path = CommandPath(parse);
            env.Error.MarkupLine($"[yellow]Try:[/] {Markup.Escape(path.Length == 0 ? "leasehold --help" : $"leasehold {path} --help")}");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = env.Out.Profile.Out.Writer,
            Error = env.Error.Profile.Out.Writer,
            EnableDefaultExceptionHandler = false,
        }, ct);
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result?.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
            names.Insert(0, result.Command.Name);
        return string.Join(' ', names);
    }
}

/// <summary>Options every command takes.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Url { get; } = new("--url") { Description = "The server, e.g. http://localhost:5000 (else LEASEHOLD_URL, else the config file)", Recursive = true };
    public Option<string?> Key { get; } = new("--key") { Description = "The API key (else LEASEHOLD_KEY, else the config file)", Recursive = true };
    public Option<string?> Config { get; } = new("--config") { Description = "The config file (else LEASEHOLD_CONFIG, else $XDG_CONFIG_HOME/leasehold/config.json, else ~/.config/leasehold/config.json)", Recursive = true };
    public Option<bool> Json { get; } = new("--json") { Description = "Write the result as JSON, for scripts", Recursive = true };

    public void AddTo(Command root)
    {
        root.Options.Add(Url);
        root.Options.Add(Key);
        root.Options.Add(Config);
        root.Options.Add(Json);
    }
}
