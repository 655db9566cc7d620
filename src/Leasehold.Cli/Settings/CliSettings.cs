using System.Text.Json;

namespace Leasehold.Cli.Settings;

/// <summary>The config file: <c>{"url": "...", "key": "..."}</c>, readable only by its owner.</summary>
internal sealed record ConfigFile(string? Url, string? Key)
{
    /// <summary>
    /// <c>LEASEHOLD_CONFIG</c>, else <c>leasehold/config.json</c> in the user's config directory: the same
    /// path for reading and writing, whether or not the directory exists yet (the write creates it).
    /// </summary>
    public static string DefaultPath(Func<string, string?> variable) =>
        variable("LEASEHOLD_CONFIG") is { Length: > 0 } path
            ? path
            : Path.Combine(ConfigHome(variable), "leasehold", "config.json");

    /// <summary>
    /// The user's config directory: on Windows the roaming application data folder; elsewhere
    /// <c>$XDG_CONFIG_HOME</c> (when absolute, as the XDG spec asks), else <c>$HOME/.config</c>. Never a relative
    /// path: <see cref="Environment.GetFolderPath(Environment.SpecialFolder)"/> answers "" for a folder that does
    /// not exist yet, which put the config in <c>./leasehold/</c> of wherever the command ran.
    /// </summary>
    public static string ConfigHome(Func<string, string?> variable)
    {
        if (OperatingSystem.IsWindows())
            return Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (variable("XDG_CONFIG_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
            return xdg;
        var home = variable("HOME") is { Length: > 0 } set
            ? set
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        if (!Path.IsPathRooted(home))
            throw new CliException(ExitCodes.Usage, "Cannot tell where the config file goes: HOME is not set.",
                "Set HOME (or XDG_CONFIG_HOME), or name the file with --config FILE or LEASEHOLD_CONFIG.");
        return Path.Combine(home, ".config");
    }

    public static ConfigFile? Read(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<ConfigFile>(File.ReadAllText(path), Output.Render.Json);
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Usage, $"The config file {path} is not valid JSON: {e.Message}",
                "Fix it, or write it anew with `leasehold config set --url URL --key KEY`.");
        }
    }

    public void Write(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(directory);
            else
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        File.WriteAllText(path, JsonSerializer.Serialize(this, Output.Render.Json));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

/// <summary>The server and key a command uses, and where each came from: option, environment, or config file.</summary>
internal sealed record CliSettings(string? Url, string UrlSource, string? Key, string KeySource, string ConfigPath)
{
    public static CliSettings Resolve(string? urlOption, string? keyOption, string? configOption, Func<string, string?> variable)
    {
        var configPath = configOption ?? ConfigFile.DefaultPath(variable);
        var file = ConfigFile.Read(configPath);
        var (url, urlSource) = Pick(urlOption, "--url", variable("LEASEHOLD_URL"), "LEASEHOLD_URL", file?.Url, configPath);
        var (key, keySource) = Pick(keyOption, "--key", variable("LEASEHOLD_KEY"), "LEASEHOLD_KEY", file?.Key, configPath);
        return new CliSettings(url, urlSource, key, keySource, configPath);
    }

    /// <summary>The server's address, or a usage error that says how to give one.</summary>
    public Uri ServerUrl =>
        Url is null
            ? throw new CliException(ExitCodes.Usage, "No server URL given.",
                "Pass --url http://host:5000, set LEASEHOLD_URL, or save it with `leasehold config set --url URL --key KEY`.")
            : Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new CliException(ExitCodes.Usage, $"The server URL '{Url}' (from {UrlSource}) is not an http(s) URL.", "Give it as http://host:port.");

    public string ApiKey =>
        Key ?? throw new CliException(ExitCodes.Usage, "No API key given.",
            "Pass --key KEY, set LEASEHOLD_KEY, or save it with `leasehold config set --url URL --key KEY` (the server's first operator key is in its data/admin-key).");

    private static (string? Value, string Source) Pick(string? option, string optionName, string? environment, string variableName, string? file, string path) =>
        !string.IsNullOrEmpty(option) ? (option, optionName)
        : !string.IsNullOrEmpty(environment) ? (environment, variableName)
        : !string.IsNullOrEmpty(file) ? (file, path)
        : (null, "nowhere");
}
