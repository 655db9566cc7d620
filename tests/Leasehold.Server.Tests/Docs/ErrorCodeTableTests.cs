using System.Text.RegularExpressions;
using Leasehold.Server.Errors;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Docs;

/// <summary>docs/api.md's table of error codes says what the server's catalogue of codes says: every code, with its status.</summary>
public sealed partial class ErrorCodeTableTests
{
    [GeneratedRegex(@"^\| (?<codes>`[^|]+`) \| (?<status>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex("`([a-z_]+)`")]
    private static partial Regex Code();

    [Fact]
    public void ErrorCodeTable_ListsEveryCodeOfTheCatalogue_WithItsStatus()
    {
        var page = File.ReadAllText(RepoPaths.Of("docs", "api.md"));
        var table = page[page.IndexOf("## Error codes", StringComparison.Ordinal)..];
        var documented = Row().Matches(table)
            .SelectMany(row => Code().Matches(row.Groups["codes"].Value).Select(code => (Code: code.Groups[1].Value, Status: row.Groups["status"].Value.Trim())))
            .ToList();

        var catalogue = ProblemCodes.All.Select(c => (c.Code, Status: c.Status == 0 ? "other" : c.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        documented.ShouldBe(catalogue, ignoreOrder: true);
    }

    [Fact]
    public void Catalogue_DefinesEachCodeOnce() =>
        ProblemCodes.All.Select(c => c.Code).ShouldBeUnique();
}
