using Dapper;

namespace Leasehold.Server.Storage;

/// <summary>Where a page of a list starts: after the row with this sort key (<see cref="At"/>, then <see cref="Id"/>).</summary>
internal sealed record PageKey(long At, string Id);

/// <summary>One page of a list for a store to read: at most <see cref="Limit"/> rows after <see cref="After"/> (null: from the start).</summary>
internal sealed record PageRequest(int Limit, PageKey? After);

/// <summary>
/// Keyset paging, both stores: the WHERE, ORDER BY and LIMIT of a list ordered by a time column, then
/// its id. A page reads <c>WHERE (at, id) &gt; (@afterAt, @afterId) ORDER BY at, id LIMIT @limit</c> off an
/// index on those columns, so its cost does not grow with the table (an OFFSET would). Conditions are
/// put in the text only when they apply, so that the planner sees which index fits (a
/// <c>@p IS NULL OR ...</c> would hide it).
/// </summary>
internal static class Keyset
{
    /// <summary>
    /// The clauses after <c>FROM</c>: <paramref name="conditions"/> (the null ones left out) and the
    /// page's start joined by AND, then the order and, for a page, its limit. Parameters: <c>@afterAt</c>,
    /// <c>@afterId</c>, <c>@limit</c> (<see cref="Parameters"/>).
    /// </summary>
    /// <param name="at">The sort column (or expression) before the id.</param>
    /// <param name="id">The id column, unique in the list.</param>
    public static string Clauses(SqlDialect dialect, string at, string id, PageRequest? page, params string?[] conditions)
    {
        var idOrder = dialect.IdOrder.Replace("id", id, StringComparison.Ordinal);
        var where = conditions.Where(c => c is not null).ToList();
        if (page?.After is not null)
            where.Add($"({at}, {idOrder}) > (@afterAt, @afterId)");
        var text = (where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "") + $" ORDER BY {at}, {idOrder}";
        return page is null ? text : text + " LIMIT @limit";
    }

    /// <summary><c>column = @parameter</c> when <paramref name="value"/> is given (a filter in force), else null (none).</summary>
    public static string? Equal(string column, string parameter, string? value) => value is null ? null : $"{column} = @{parameter}";

    /// <summary>The statement's own <paramref name="parameters"/> (an anonymous object) with those <see cref="Clauses"/> names.</summary>
    public static DynamicParameters Parameters(PageRequest? page, object parameters)
    {
        var all = new DynamicParameters(parameters);
        all.Add("afterAt", page?.After?.At);
        all.Add("afterId", page?.After?.Id);
        all.Add("limit", page?.Limit);
        return all;
    }
}
