namespace Leasehold.Server.Hosting;

/// <summary>
/// The data directory and the files in it that hold secrets or what guards them (the operator key,
/// the database and its -wal and -shm, an installation's memory, the console's cookie keys): created
/// readable and writable by the server's user alone (directories 0700, files 0600), whatever the umask.
/// </summary>
internal static class OwnerOnlyFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> and any missing parent, each 0700; one that exists is left as it is.</summary>
    public static DirectoryInfo CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
            return Directory.CreateDirectory(path);
        // Directory.CreateDirectory(path, mode) gives the mode to the last directory only: the data
        // directory is often made as the parent of console-keys, so each missing one is made here.
        var missing = new Stack<string>();
        for (var next = Path.GetFullPath(path); !Directory.Exists(next); next = Path.GetDirectoryName(next)!)
            missing.Push(next);
        while (missing.TryPop(out var directory))
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        return new DirectoryInfo(path);
    }

    /// <summary>
    /// Whether others than the server's user may read or enter <paramref name="path"/> (a directory or
    /// file made by an older version, or by hand): the server says so at start rather than change it.
    /// </summary>
    public static bool IsOpenToOthers(string path) =>
        !OperatingSystem.IsWindows() && Path.Exists(path) && (File.GetUnixFileMode(path) & GroupOrOther) != 0;

    /// <summary>
    /// Writes <paramref name="text"/> beside <paramref name="path"/>, then moves it over: a crash leaves
    /// the old content or the new, never half of it, and the file never exists with a wider mode.
    /// </summary>
    public static async Task WriteAsync(string path, string text, CancellationToken ct)
    {
        CreateDirectory(Path.GetDirectoryName(path)!); // on PostgreSQL nothing else may have made the data directory
        var next = path + ".next";
        await using (var stream = new FileStream(next, Options(FileMode.Create)))
        await using (var writer = new StreamWriter(stream))
            await writer.WriteAsync(text.AsMemory(), ct);
        File.Move(next, path, overwrite: true);
    }

    /// <summary>Creates <paramref name="path"/> empty unless it exists (another process may make it first: theirs has the same mode).</summary>
    public static void CreateEmpty(string path)
    {
        if (File.Exists(path))
            return;
        try
        {
            using var _ = new FileStream(path, Options(FileMode.CreateNew));
        }
        catch (IOException) when (File.Exists(path))
        {
        }
    }

    private static FileStreamOptions Options(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        return options;
    }
}
