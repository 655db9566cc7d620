using System.Text;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Server.Sessions.Signals;

namespace Leasehold.Server.Storage.Postgres;

/// <summary>
/// How session ends travel between nodes: NOTIFY payloads on one channel per schema (so two
/// deployments in one database do not hear each other), JSON arrays of short records.
/// </summary>
internal static class SessionEndChannel
{
    /// <summary>PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay well below.</summary>
    private const int MaxPayloadBytes = 7000;

    /// <summary>The channel name: <c>leasehold_ends</c> (or <paramref name="stem"/>), with the first schema of the search path when one is set.</summary>
    public static string Name(string? searchPath, string stem = "leasehold_ends")
    {
        var schema = (searchPath ?? "").Split(',')[0].Trim().Trim('"').ToLowerInvariant();
        var safe = new string([.. schema.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_')]);
        var name = safe.Length == 0 ? stem : stem + "_" + safe;
        return name.Length <= 63 ? name : name[..63];
    }

    /// <summary>The NOTIFY payloads that carry <paramref name="ends"/> (none when there are none).</summary>
    public static IEnumerable<string> Payloads(IReadOnlyList<SessionEnd> ends)
    {
        var batch = new List<Message>();
        var bytes = 2;
        foreach (var end in ends)
        {
            var message = new Message(end.SessionId, end.TenantId, Codes.Of(end.Reason), end.EndedAt.ToUnixTimeMilliseconds());
            var size = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(message, StoredJson.Options)) + 1;
            if (batch.Count > 0 && bytes + size > MaxPayloadBytes)
            {
                yield return JsonSerializer.Serialize(batch, StoredJson.Options);
                (batch, bytes) = ([], 2);
            }
            batch.Add(message);
            bytes += size;
        }
        if (batch.Count > 0)
            yield return JsonSerializer.Serialize(batch, StoredJson.Options);
    }

    /// <summary>The ends one payload carries.</summary>
    public static IReadOnlyList<SessionEnd> Read(string payload) =>
        [.. (JsonSerializer.Deserialize<Message[]>(payload, StoredJson.Options) ?? [])
            .Select(m => new SessionEnd(m.S, m.T, Codes.ParseEndReason(m.R), DateTimeOffset.FromUnixTimeMilliseconds(m.At)))];

    /// <summary>
    /// The NOTIFY payloads that carry changed waiting lines: JSON arrays of <c>[tenant, license]</c> pairs. The
    /// receiving node's streams read their entries again, so the payload needs no more (and a lost one costs only
    /// speed: the entry's next heartbeat answers where it stands).
    /// </summary>
    public static IEnumerable<string> LinePayloads(IEnumerable<LineChange> lines)
    {
        var batch = new List<string[]>();
        var bytes = 2;
        foreach (var line in lines)
        {
            var size = line.TenantId.Length + line.LicenseId.Length + 8;
            if (batch.Count > 0 && bytes + size > MaxPayloadBytes)
            {
                yield return JsonSerializer.Serialize(batch, StoredJson.Options);
                (batch, bytes) = ([], 2);
            }
            batch.Add([line.TenantId, line.LicenseId]);
            bytes += size;
        }
        if (batch.Count > 0)
            yield return JsonSerializer.Serialize(batch, StoredJson.Options);
    }

    /// <summary>The lines one payload carries.</summary>
    public static IReadOnlyList<LineChange> ReadLines(string payload) =>
        [.. (JsonSerializer.Deserialize<string[][]>(payload, StoredJson.Options) ?? []).Where(p => p.Length == 2).Select(p => new LineChange(p[0], p[1]))];

    /// <summary>One end: session, tenant, reason code, end time (Unix ms); short names, for the payload limit.</summary>
    private sealed record Message(string S, string T, string R, long At);
}
