namespace Leasehold.Server.Tests.Support;

/// <summary>Files of the repository the tests check (docs, examples), found from the test binaries upwards.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Leasehold.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Could not find the repository root (Leasehold.slnx) above " + AppContext.BaseDirectory);
    }
}
