using System.Reflection;

namespace Leasehold.Server.Storage;

/// <summary>One versioned schema change, from an embedded <c>NNNN_name.sql</c> file.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>Finds the embedded migrations of one provider, in version order.</summary>
internal static class MigrationScripts
{
    public static IReadOnlyList<Migration> For(string provider)
    {
        var assembly = typeof(MigrationScripts).Assembly;
        var prefix = $"{assembly.GetName().Name}.Storage.{provider}.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name, name[prefix.Length..^".sql".Length]))
            .OrderBy(m => m.Version)
            .ToList();
    }

    private static Migration Load(Assembly assembly, string resource, string fileName)
    {
        var separator = fileName.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0 || !int.TryParse(fileName[..separator], out var version))
            throw new InvalidOperationException($"Migration '{fileName}' must be named NNNN_description.sql.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, fileName[(separator + 1)..], reader.ReadToEnd());
    }
}
