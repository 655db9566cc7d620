using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Leasehold.Core;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Lists;

/// <summary>
/// One page of a list, the one shape every list of the API answers: its <paramref name="Items"/> in the list's
/// order, and <paramref name="NextCursor"/> to pass as <c>cursor</c> for the next page (null: this is the last).
/// A page may hold fewer than <c>limit</c> items and still not be the last; only a null cursor says it is.
/// </summary>
internal sealed record Page<T>(T[] Items, string? NextCursor);

/// <summary>The query every list takes (camelCase, as the OpenAPI document names them).</summary>
/// <param name="Limit">Items per page, 1-1000 (default 100).</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page, as it was given.</param>
internal sealed record PageQuery(
    [FromQuery(Name = "limit")] string? Limit = null,
    [FromQuery(Name = "cursor")] string? Cursor = null);

/// <summary>
/// Reading <c>limit</c> and <c>cursor</c> (the one check of them: every list, the usage history and the audit
/// trail refuse a bad one with the same 400 <c>invalid_request</c> and its field), and making a page's cursor.
/// A cursor is opaque to clients: base64url of the list's name and the sort key of the page's last item,
/// so a cursor of another list is refused rather than read as a place in this one.
/// </summary>
internal static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>What the OpenAPI document says of <c>limit</c>, on every list.</summary>
    public const string LimitDescription = "Items per page: a whole number from 1 to 1000 (default 100).";

    /// <summary>What the OpenAPI document says of <c>cursor</c>, on every list.</summary>
    public const string CursorDescription = "The nextCursor of the previous page, as it was given (opaque); left out, the first page.";

    /// <summary>The refusal of a cursor this list did not give.</summary>
    public static readonly FieldError BadCursor = new("cursor", "Not a cursor this list gave: pass the nextCursor of the previous page as it is.");

    /// <summary>The page size asked for (the default when absent); a fault is added to <paramref name="errors"/>.</summary>
    public static int Limit(string? text, List<FieldError> errors)
    {
        if (text is null)
            return DefaultLimit;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit)
            return limit;
        errors.Add(new("limit", $"Must be a whole number from 1 to {MaxLimit}."));
        return DefaultLimit;
    }

    /// <summary>
    /// The page <paramref name="query"/> asks of the list <paramref name="list"/>, reading one row more than
    /// it shows (so that <see cref="Of{TRow, TItem}"/> knows whether another page follows); faults into <paramref name="errors"/>.
    /// </summary>
    public static PageRequest Read(PageQuery query, string list, List<FieldError> errors)
    {
        var limit = Limit(query.Limit, errors);
        PageKey? after = null;
        if (query.Cursor is not null && (after = Decode(query.Cursor, list)) is null)
            errors.Add(BadCursor);
        return new PageRequest(limit + 1, after);
    }

    /// <summary>The page the rows of <paramref name="page"/> make: the extra row read, if any, is dropped and says that a next page exists.</summary>
    /// <param name="key">The sort key of a row, as the store ordered them.</param>
    /// <param name="keep">Which rows the page shows (all by default): a row left out still moves the cursor past it.</param>
    public static Page<TItem> Of<TRow, TItem>(
        IReadOnlyList<TRow> rows, PageRequest page, string list, Func<TRow, PageKey> key, Func<TRow, TItem> item, Func<TRow, bool>? keep = null)
    {
        var more = rows.Count >= page.Limit;
        var shown = more ? rows.Take(page.Limit - 1).ToList() : rows;
        return new Page<TItem>([.. shown.Where(keep ?? (_ => true)).Select(item)], more ? Encode(list, key(shown[^1])) : null);
    }

    private static string Encode(string list, PageKey key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{list}.{key.At}.{key.Id}")));

    private static PageKey? Decode(string cursor, string list)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('.', 3);
            return parts.Length == 3 && parts[0] == list && parts[2].Length is > 0 and <= 200 && !parts[2].Any(char.IsControl)
                && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var at)
                ? new PageKey(at, parts[2])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
