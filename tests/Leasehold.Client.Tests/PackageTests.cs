using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Client.Tests;

/// <summary>
/// The packages as a consumer gets them: <c>dotnet pack</c> of the SDK and of the CLI (from the build
/// the tests run on), each .nupkg opened and its .nuspec read, the way NuGet and nuget.org read them.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "leasehold-pack-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Sdk_PackageCarriesLicenseReadmeTagsRepository_AndXmlDocsPerFramework_WithASymbolsPackage()
    {
        var (nuspec, files) = await PackAsync("Leasehold.Client");

        Metadata(nuspec, "id").ShouldBe("Leasehold.Client");
        CommonMetadata(nuspec, files);
        Metadata(nuspec, "tags").Split(' ').ShouldContain("licensing");
        // IntelliSense: the XML documentation beside each framework's assembly.
        foreach (var tfm in new[] { "netstandard2.0", "net10.0" })
        {
            files.ShouldContain($"lib/{tfm}/Leasehold.Client.dll");
            files.ShouldContain($"lib/{tfm}/Leasehold.Client.xml");
        }
        SymbolsOf("Leasehold.Client").ShouldContain("lib/net10.0/Leasehold.Client.pdb");
    }

    [Fact]
    public async Task Cli_PackageIsTheLeaseholdDotnetTool_WithLicenseReadmeTagsRepository_AndASymbolsPackage()
    {
        var (nuspec, files) = await PackAsync("Leasehold.Cli");

        Metadata(nuspec, "id").ShouldBe("Leasehold.Cli");
        CommonMetadata(nuspec, files);
        Metadata(nuspec, "tags").Split(' ').ShouldContain("dotnet-tool");
        nuspec.Descendants(Ns(nuspec) + "packageType").Select(t => (string?)t.Attribute("name")).ShouldContain("DotnetTool");
        var settingsPath = files.Single(f => f.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        using (var zip = ZipFile.OpenRead(Package("Leasehold.Cli", ".nupkg")))
        {
            using var stream = zip.GetEntry(settingsPath)!.Open();
            var command = XDocument.Load(stream).Descendants("Command").Single();
            ((string?)command.Attribute("Name")).ShouldBe("leasehold");
            ((string?)command.Attribute("EntryPoint")).ShouldBe("leasehold.dll");
        }
        SymbolsOf("Leasehold.Cli").ShouldContain(f => f.EndsWith("/leasehold.pdb", StringComparison.Ordinal));
    }

    /// <summary>What every package says: MIT, the authors, a readme that is in the package, a description, tags, the repository.</summary>
    private static void CommonMetadata(XDocument nuspec, IReadOnlyList<string> files)
    {
        var license = nuspec.Descendants(Ns(nuspec) + "license").Single();
        ((string?)license.Attribute("type")).ShouldBe("expression");
        license.Value.ShouldBe("MIT");
        Metadata(nuspec, "authors").ShouldBe("The Leasehold authors");
        Metadata(nuspec, "description").ShouldNotBeNullOrWhiteSpace();
        Metadata(nuspec, "tags").ShouldContain("license-server");
        var readme = Metadata(nuspec, "readme");
        readme.ShouldBe("README.md");
        files.ShouldContain(readme);
        // No public repository yet: the type and the commit the package was built from, no invented URL.
        var repository = nuspec.Descendants(Ns(nuspec) + "repository").Single();
        ((string?)repository.Attribute("type")).ShouldBe("git");
        ((string?)repository.Attribute("commit")).ShouldNotBeNullOrWhiteSpace();
    }

    private async Task<(XDocument Nuspec, IReadOnlyList<string> Files)> PackAsync(string project)
    {
        // The configuration the tests were built in, with no new build: the package of what was tested.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "pack", RepoPaths.Of("src", project, project + ".csproj"), "-c", configuration, "--no-build", "-o", _output, "-nologo" })
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var pack = Process.Start(info)!;
        var stdout = pack.StandardOutput.ReadToEndAsync();
        var stderr = pack.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
            await pack.WaitForExitAsync(timeout.Token);
        pack.ExitCode.ShouldBe(0, $"dotnet pack {project}:\n{await stdout}\n{await stderr}");

        using var zip = ZipFile.OpenRead(Package(project, ".nupkg"));
        var files = zip.Entries.Select(e => e.FullName).ToList();
        using var stream = zip.GetEntry(project + ".nuspec")!.Open();
        return (XDocument.Load(stream), files);
    }

    /// <summary>The one package of <paramref name="id"/> in the output (each test packs into a folder of its own).</summary>
    private string Package(string id, string extension) => Directory.GetFiles(_output, $"{id}.*{extension}").ShouldHaveSingleItem();

    private IReadOnlyList<string> SymbolsOf(string id)
    {
        using var zip = ZipFile.OpenRead(Package(id, ".snupkg"));
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    private static XNamespace Ns(XDocument nuspec) => nuspec.Root!.Name.Namespace;

    private static string Metadata(XDocument nuspec, string name) =>
        nuspec.Root!.Element(Ns(nuspec) + "metadata")!.Element(Ns(nuspec) + name)?.Value ?? "";

    public void Dispose()
    {
        if (Directory.Exists(_output))
            Directory.Delete(_output, recursive: true);
    }
}
