namespace Leasehold.Server.Hosting;

/// <summary>
/// Files in the data directory that hold secrets or what guards them (the operator key, the
/// database, an installation's memory): created readable and writable by the server's user alone.
/// </summary>
internal static class OwnerOnlyFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Writes <paramref name="text"/> beside <paramref name="path"/>, then moves it over: a crash leaves
    /// the old content or the new, never half of it, and the file never exists with a wider mode.
    /// </summary>
    public static async Task WriteAsync(string path, string text, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!); // on PostgreSQL nothing else may have made the data directory
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
