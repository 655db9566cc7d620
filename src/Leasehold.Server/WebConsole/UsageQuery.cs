using System.Globalization;
using Leasehold.Server.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.WebConsole;

/// <summary>
/// The usage page's filters as its address carries them, under the history API's own parameter names:
/// the page's URL, its CSV link and its next-page link all say the same thing, so any of them can be
/// shared. An empty field (a GET form sends <c>user=</c>) is no filter.
/// </summary>
internal sealed record UsageQuery(string? From, string? To, string? LicenseId, string? User, string? Client, string? Kind, string? Code)
{
    /// <summary>The history API's query: the console's scope decides the tenant, never the URL.</summary>
    public HistoryQuery ToHistory(string? cursor, int limit) =>
        new(LicenseId, null, User, Client, Kind, Code, From, To, cursor, limit.ToString(CultureInfo.InvariantCulture));

    /// <summary><paramref name="path"/> with the filters (empty ones left out) and <paramref name="extra"/> as its query.</summary>
    public string Url(string path, params (string Name, string? Value)[] extra)
    {
        var pairs = Fields.Concat(extra).Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)).ToList();
        return pairs.Count == 0 ? path : path + "?" + string.Join('&', pairs);
    }

    /// <summary>Each filter with its parameter name, for links and for a form's hidden fields.</summary>
    public IEnumerable<(string Name, string? Value)> Fields =>
        [("from", From), ("to", To), ("licenseId", LicenseId), ("user", User), ("client", Client), ("kind", Kind), ("code", Code)];

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>An API handler's problem as a console form shows it: the message of each field at fault, under the field's API name.</summary>
internal static class FieldProblems
{
    public static Dictionary<string, string> Of(ProblemHttpResult problem)
    {
        var extensions = problem.ProblemDetails.Extensions;
        if (extensions.TryGetValue("errors", out var all) && all is IDictionary<string, string[]> errors)
            return errors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value));
        var field = extensions.TryGetValue("field", out var named) && named is string name ? name : "";
        return new() { [field] = problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "Not valid." };
    }
}
