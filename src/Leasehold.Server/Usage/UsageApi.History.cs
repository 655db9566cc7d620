using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Leasehold.Core.Usage;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Lists;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Usage;

/// <summary>The filters of the usage history (all optional; times as <see cref="ReportTime"/> reads them).</summary>
/// <param name="Kind"><c>admitted</c>, <c>denied</c>, <c>checked</c> or <c>ended</c>.</param>
/// <param name="Code">The outcome or reason: <c>admitted_over_limit</c>, <c>no_seat_available</c>, <c>idle</c>, <c>stopped</c>, ...</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page.</param>
/// <param name="Limit">Events per page, 1-1000 (default 100).</param>
internal sealed record HistoryQuery(
    [FromQuery(Name = "licenseId")] string? LicenseId,
    [FromQuery(Name = "tenantId")] string? TenantId,
    [FromQuery(Name = "user")] string? User,
    [FromQuery(Name = "client")] string? Client,
    [FromQuery(Name = "kind")] string? Kind,
    [FromQuery(Name = "code")] string? Code,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "limit")] string? Limit);

/// <summary>One usage event as the history API shows it.</summary>
/// <param name="Id">Its id: unique, but in no order (events are ordered by <paramref name="At"/>, then as recorded), and no count of other tenants' events.</param>
/// <param name="Kind"><c>admitted</c>, <c>denied</c>, <c>checked</c> or <c>ended</c>.</param>
/// <param name="Code">The outcome: <c>admitted</c>/<c>admitted_over_limit</c>, the refusal code, <c>pass</c>/<c>pass_over_limit</c>/the check's failure code, or the end reason.</param>
/// <param name="Seats">Seats the session holds (for a refusal: what it asked for).</param>
/// <param name="SeatsInUse">Seats in use on the license right after the decision (null for ends).</param>
/// <param name="Actor">Who caused it when not the client itself: the admin key that stopped a session, or the session that took one over.</param>
/// <param name="LastActivityAt">For an end: the session's last reported user activity.</param>
/// <param name="BorrowedUntil">For an admission that borrowed its seat: until when (null otherwise).</param>
/// <param name="Count">
/// How many decisions the event stands for: 1, or for a refused checkout or failed check, how often its user and device were
/// refused so within the clock hour of the first (the event's <paramref name="At"/>). It can grow after the event was first read.
/// </param>
/// <param name="LastAt">When the last of them was (<paramref name="At"/> when <paramref name="Count"/> is 1).</param>
internal sealed record UsageEventResponse(
    long Id, DateTimeOffset At, string Kind, string Code, string TenantId, string LicenseId, string? SessionId,
    string User, string? Device, string Client, int Seats, int? SeatsInUse, int? SeatLimit, string? Actor, DateTimeOffset? LastActivityAt,
    DateTimeOffset? BorrowedUntil, int Count, DateTimeOffset LastAt)
{
    public static UsageEventResponse From(StoredUsageEvent stored, UsageEventIds.Cipher ids)
    {
        var e = stored.Event;
        return new(ids.Hide(stored.Id), e.At, e.Kind.ToString().ToLowerInvariant(), e.Code, e.TenantId, e.LicenseId, e.SessionId,
            e.User, e.Device, e.Client, e.Seats, e.SeatsInUse, e.SeatLimit, e.Actor, e.LastActivityAt, e.BorrowedUntil, e.Count, e.LastAt ?? e.At);
    }
}

/// <summary>The usage history: filtered, paged by an opaque cursor, or exported as CSV streamed from the database.</summary>
internal static partial class UsageApi
{
    /// <summary>A page of usage events; pass its <c>nextCursor</c> as <c>cursor</c> for the next (null: this was the last).</summary>
    public static async Task<Results<Ok<Page<UsageEventResponse>>, ProblemHttpResult>> ListUsageEvents(
        [AsParameters] HistoryQuery query, Caller caller, [AsParameters] UsageServices services, CancellationToken ct)
    {
        var ids = await services.Ids.CipherAsync(ct);
        var (filter, problem) = await FilterAsync(query, caller, services, ids, ct);
        if (problem is not null)
            return problem;
        var events = new List<StoredUsageEvent>(filter!.Limit!.Value);
        await foreach (var e in services.Usage.ReadUsageEventsAsync(filter with { Limit = filter.Limit + 1 }, ct))
            events.Add(e);
        var more = events.Count > filter.Limit;
        if (more)
            events.RemoveAt(events.Count - 1);
        return TypedResults.Ok(new Page<UsageEventResponse>([.. events.Select(e => UsageEventResponse.From(e, ids))], more ? EncodeCursor(events[^1].Position, ids) : null));
    }

    /// <summary>CSV, written row by row as the database reader yields them: memory stays flat however long the history.</summary>
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportUsageEvents(
        [AsParameters] HistoryQuery query, Caller caller, [AsParameters] UsageServices services, CancellationToken ct)
    {
        var ids = await services.Ids.CipherAsync(ct);
        var (filter, problem) = await FilterAsync(query with { Cursor = null, Limit = null }, caller, services, ids, ct);
        if (problem is not null)
            return problem;
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 32 * 1024);
            await writer.WriteAsync(UsageCsv.Header);
            await foreach (var e in services.Usage.ReadUsageEventsAsync(filter! with { Limit = null }, ct))
                await writer.WriteAsync(UsageCsv.Row(e, ids));
        }, "text/csv; charset=utf-8", "usage.csv");
    }

    private static async Task<(UsageFilter? Filter, ProblemHttpResult? Problem)> FilterAsync(
        HistoryQuery query, Caller caller, UsageServices services, UsageEventIds.Cipher ids, CancellationToken ct)
    {
        var timeZone = "UTC";
        if (query.LicenseId is not null)
        {
            if (await UsageReports.FindAsync(services.Tenants, query.LicenseId, caller.TenantScope, ct) is not { } reported)
                return (null, Problems.NotFound("license", "licenseId"));
            timeZone = reported.TimeZone;
        }
        else if ((query.TenantId ?? caller.TenantScope) is { } tenantId)
        {
            if (await services.Tenants.GetTenantAsync(tenantId, caller.TenantScope, ct) is not { } tenant)
                return (null, Problems.NotFound("tenant", "tenantId"));
            timeZone = tenant.TimeZone;
        }

        var p = new UsageParams(timeZone, services.Clock.Now());
        var filter = new UsageFilter(caller.TenantScope)
        {
            TenantId = query.TenantId,
            LicenseId = query.LicenseId,
            User = query.User,
            Client = query.Client,
            Kind = query.Kind is null ? null : p.Choice(query.Kind, "kind", UsageKind.Admitted),
            Code = query.Code,
            From = p.Time(query.From, "from"),
            To = p.Time(query.To, "to"),
            Limit = Paging.Limit(query.Limit, p.Errors),
        };
        if (query.Cursor is not null)
        {
            filter = filter with { After = DecodeCursor(query.Cursor, ids) };
            if (filter.After is null)
                p.Errors.Add(Paging.BadCursor);
        }
        return p.Errors.Count > 0 ? (null, Problems.Invalid(p.Errors)) : (filter, null);
    }

    /// <summary>The position after the page's last event: its time and its id as shown (the row id enciphered, like the event's own).</summary>
    private static string EncodeCursor(UsagePosition position, UsageEventIds.Cipher ids) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"h1.{position.At}.{ids.Hide(position.Id)}")));

    private static UsagePosition? DecodeCursor(string cursor, UsageEventIds.Cipher ids)
    {
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split('.');
            return parts is ["h1", var at, var id]
                && long.TryParse(at, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var atMs)
                && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var shown)
                && ids.Reveal(shown) is { } rowId
                ? new UsagePosition(atMs, rowId)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// The CSV form of usage events (RFC 4180). A cell that a spreadsheet would run as a formula
/// (starting with <c>= + - @</c>) is prefixed with an apostrophe: user and device names are free text.
/// </summary>
internal static class UsageCsv
{
    public const string Header = "id,at,kind,code,tenant_id,license_id,session_id,user,device,client,seats,seats_in_use,seat_limit,actor,last_activity_at,borrowed_until,count,last_at\r\n";

    public static string Row(StoredUsageEvent stored, UsageEventIds.Cipher ids)
    {
        var e = stored.Event;
        var cells = new[]
        {
            ids.Hide(stored.Id).ToString(CultureInfo.InvariantCulture), Time(e.At), e.Kind.ToString().ToLowerInvariant(), e.Code, e.TenantId, e.LicenseId,
            e.SessionId, e.User, e.Device, e.Client, e.Seats.ToString(CultureInfo.InvariantCulture),
            e.SeatsInUse?.ToString(CultureInfo.InvariantCulture), e.SeatLimit?.ToString(CultureInfo.InvariantCulture), e.Actor,
            e.LastActivityAt is { } last ? Time(last) : null, e.BorrowedUntil is { } until ? Time(until) : null,
            e.Count.ToString(CultureInfo.InvariantCulture), Time(e.LastAt ?? e.At),
        };
        return string.Join(',', cells.Select(Cell)) + "\r\n";
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value[0] is '=' or '+' or '-' or '@')
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
