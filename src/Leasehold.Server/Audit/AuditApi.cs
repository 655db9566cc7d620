using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Lists;
using Leasehold.Server.Storage;
using Leasehold.Server.Usage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Audit;

/// <summary>The filters of the audit trail (all optional).</summary>
/// <param name="TenantId">One tenant's records (the operator; a tenant admin reads only its own anyway).</param>
/// <param name="From">Records at or after this instant (ISO 8601 with offset, e.g. <c>2026-03-02T09:00:00Z</c>).</param>
/// <param name="To">Records before this instant.</param>
/// <param name="Action">One action, e.g. <c>license.seats_changed</c>.</param>
/// <param name="ActorKeyId">Changes made with this API key.</param>
/// <param name="TargetId">Changes to this tenant, license, key, connection or session.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page.</param>
/// <param name="Limit">Records per page, 1-1000 (default 100).</param>
internal sealed record AuditQuery(
    [FromQuery(Name = "tenantId")] string? TenantId,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "action")] string? Action,
    [FromQuery(Name = "actorKeyId")] string? ActorKeyId,
    [FromQuery(Name = "targetId")] string? TargetId,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "limit")] string? Limit);

/// <summary>Who made a change: the API key's id, its name (null when it has none) and its role.</summary>
internal sealed record AuditActorResponse(string KeyId, string? KeyName, string Role);

/// <summary>What a change was made to: <c>tenant</c>, <c>license</c>, <c>key</c>, <c>connection</c>, <c>session</c>, <c>cool_down</c>, <c>wait</c>, <c>console</c>; and its id.</summary>
internal sealed record AuditTargetResponse(string Type, string? Id);

/// <summary>
/// One audit record. <see cref="Sequence"/> is its place in its tenant's chain (1, 2, 3...);
/// <see cref="Hash"/> is SHA-256 over its fields and <see cref="PreviousHash"/>, the hash of the record before it in that chain.
/// </summary>
internal sealed record AuditRecordResponse(
    string Id, long Sequence, DateTimeOffset At, AuditActorResponse Actor, string? TenantId, string Action, AuditTargetResponse Target,
    JsonElement? Before, JsonElement? After, string? PreviousHash, string Hash)
{
    internal static AuditRecordResponse From(AuditRecord r) =>
        new(r.Id, r.Sequence, r.At, new AuditActorResponse(r.Actor.KeyId, r.Actor.KeyName, r.Actor.Role), r.TenantId, r.Action,
            new AuditTargetResponse(r.TargetType, r.TargetId), Element(r.Before), Element(r.After), r.PreviousHash, r.Hash);

    private static JsonElement? Element(string? json)
    {
        if (json is null)
            return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// The audit trail: every change an admin or operator made, newest first. The operator reads every
/// tenant's (and the records of no tenant); a tenant admin reads its tenant's.
/// </summary>
internal static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder group)
    {
        group.MapGet("/", ListAuditRecords).RequireAuthorization(ApiKeyAuthentication.AdminPolicy).ProducesProblem(400)
            .WithSummary("The audit trail, newest first, filtered and paged (operator: all; admin: its tenant's).");
        return group;
    }

    /// <summary>A page of audit records, newest first; pass its <c>nextCursor</c> as <c>cursor</c> for the next (null: this was the last).</summary>
    public static async Task<Results<Ok<Page<AuditRecordResponse>>, ProblemHttpResult>> ListAuditRecords(
        [AsParameters] AuditQuery query, Caller caller, IAuditStore audit, UsageEventIds ids, CancellationToken ct)
    {
        var cipher = await ids.CipherAsync(ct);
        var errors = new List<FieldError>();
        var limit = Paging.Limit(query.Limit, errors);
        var from = Instant(query.From, "from", errors);
        var to = Instant(query.To, "to", errors);
        long? before = null;
        if (query.Cursor is not null && (before = DecodeCursor(query.Cursor, cipher)) is null)
            errors.Add(Paging.BadCursor);
        if (query.Action is not null && !AuditViews.Actions.Contains(query.Action))
            errors.Add(new("action", $"Not an action of the audit trail: one of {string.Join(", ", AuditViews.Actions)}."));
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var records = await audit.ListAuditAsync(new AuditFilter(caller.TenantScope, query.TenantId, from, to, query.Action,
            query.ActorKeyId, query.TargetId, before, limit + 1), ct);
        var more = records.Count > limit;
        var page = more ? records.Take(limit).ToList() : records;
        return TypedResults.Ok(new Page<AuditRecordResponse>([.. page.Select(AuditRecordResponse.From)], more ? EncodeCursor(page[^1].Position, cipher) : null));
    }

    private static DateTimeOffset? Instant(string? text, string field, List<FieldError> errors)
    {
        if (text is null)
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at;
        errors.Add(new(field, "Must be an ISO 8601 instant, e.g. 2026-03-02T09:00:00Z."));
        return null;
    }

    /// <summary>
    /// The position after the page's last record, enciphered as usage-event ids are: positions count every
    /// tenant's records, so shown as they are a tenant admin could tell from its cursors how busy the others were.
    /// </summary>
    private static string EncodeCursor(long position, UsageEventIds.Cipher cipher) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"a2.{cipher.Hide(position)}")));

    private static long? DecodeCursor(string cursor, UsageEventIds.Cipher cipher)
    {
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split('.');
            return parts is ["a2", var shown] && long.TryParse(shown, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? cipher.Reveal(value)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
