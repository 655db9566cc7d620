using System.CommandLine;
using Leasehold.Cli.Output;
using Leasehold.Cli.Settings;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold config set|show</c>: the config file that saves typing --url and --key.</summary>
internal static class ConfigCommands
{
    public static Command Build(CommandRunner runner)
    {
        var config = new Command("config", "The config file with the server URL and key (options and LEASEHOLD_URL/LEASEHOLD_KEY win over it).");

        var set = new Command("set", "Save --url and/or --key in the config file (readable only by you).");
        runner.Action(set, run =>
        {
            var url = run.Value(runner.Globals.Url);
            var key = run.Value(runner.Globals.Key);
            if (url is null && key is null)
                throw new CliException(ExitCodes.Usage, "Nothing to save.", "Give --url URL and/or --key KEY.");
            var path = run.Settings.ConfigPath;
            var old = ConfigFile.Read(path);
            var saved = new ConfigFile(url ?? old?.Url, key ?? old?.Key);
            if (saved.Url is not null)
                _ = (run.Settings with { Url = saved.Url }).ServerUrl; // refuse a malformed URL before saving it
            saved.Write(path);
            return Task.FromResult(run.Show(new { path, url = saved.Url, key = Mask(saved.Key) }, () => run.Out.Say($"Saved to {path}.")));
        });

        var show = new Command("show", "Show the server URL and key in use, and where each comes from.");
        runner.Action(show, run =>
        {
            var s = run.Settings;
            var value = new { url = s.Url, urlFrom = s.UrlSource, key = Mask(s.Key), keyFrom = s.KeySource, configFile = s.ConfigPath };
            return Task.FromResult(run.Show(value, () => run.Out.Write(Render.Details(
                ("URL", $"{s.Url ?? "-"} (from {s.UrlSource})"), ("Key", $"{Mask(s.Key) ?? "-"} (from {s.KeySource})"), ("Config file", s.ConfigPath)))));
        });

        config.Subcommands.Add(set);
        config.Subcommands.Add(show);
        return config;
    }

    /// <summary>Enough of a key to recognize it, never enough to use it.</summary>
    internal static string? Mask(string? key) => key is null ? null : key.Length <= 8 ? "****" : key[..6] + "..." + key[^2..];
}
