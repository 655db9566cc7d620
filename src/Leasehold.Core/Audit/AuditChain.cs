using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Leasehold.Core.Audit;

/// <summary>
/// One audit record as its hash covers it: every field but the hash itself. <see cref="Before"/> and
/// <see cref="After"/> are JSON texts (or null); <see cref="PreviousHash"/> is null for the first record of a chain.
/// </summary>
internal sealed record AuditLink(
    string Id, long Sequence, long AtUnixMilliseconds, string ActorKeyId, string? ActorKeyName, string ActorRole,
    string? TenantId, string Action, string TargetType, string? TargetId, string? Before, string? After, string? PreviousHash);

/// <summary>Where a chain is broken: the record, and what is wrong with it.</summary>
internal sealed record AuditBreak(string RecordId, string? TenantId, long Sequence, string Reason);

/// <summary>
/// The audit trail's hash chain. There is one chain per tenant (and one for records of no tenant:
/// operator keys, signing keys), so a tenant admin, who reads only its tenant's records, can verify
/// all it sees. A record's hash is SHA-256 (lowercase hex) over <see cref="Canonical"/>: a JSON
/// array of its fields in a fixed order, its before/after documents rewritten compact, and the hash
/// of the record before it in its chain. So a changed field changes the hash; a deleted record
/// leaves a gap in the sequence and a next record whose previous hash is not there; an inserted one
/// cannot take a sequence already used (unique), and links to nothing that links to it.
/// This file is also compiled into Leasehold.Server and Leasehold.Client (linked, internal): the
/// server writes the chain and the client verifies it, with the same bytes; it keeps to netstandard2.0's API.
/// </summary>
internal static class AuditChain
{
    private const string Version = "leasehold-audit-1";

    private static readonly JsonWriterOptions Compact = new() { Indented = false, Encoder = JavaScriptEncoder.Default };

    /// <summary>The bytes a record's hash is taken over.</summary>
    public static byte[] Canonical(AuditLink r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Compact))
        {
            w.WriteStartArray();
            w.WriteStringValue(Version);
            w.WriteStringValue(r.Id);
            w.WriteNumberValue(r.Sequence);
            w.WriteNumberValue(r.AtUnixMilliseconds);
            w.WriteStringValue(r.ActorKeyId);
            WriteNullable(w, r.ActorKeyName);
            w.WriteStringValue(r.ActorRole);
            WriteNullable(w, r.TenantId);
            w.WriteStringValue(r.Action);
            w.WriteStringValue(r.TargetType);
            WriteNullable(w, r.TargetId);
            WriteDocument(w, r.Before);
            WriteDocument(w, r.After);
            WriteNullable(w, r.PreviousHash);
            w.WriteEndArray();
        }
        return buffer.ToArray();
    }

    /// <summary>The record's hash: SHA-256 of <see cref="Canonical"/>, lowercase hex.</summary>
    public static string Hash(AuditLink r)
    {
#if NET
        var digest = SHA256.HashData(Canonical(r));
#else
        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(Canonical(r));
#endif
        var hex = new StringBuilder(digest.Length * 2);
        foreach (var b in digest)
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        return hex.ToString();
    }

    /// <summary>
    /// A JSON document rewritten compact with one encoder, so that the text stored and the text a
    /// client reads back from an API answer (re-indented, escaped otherwise) hash alike; null stays null.
    /// </summary>
    public static string? Normalize(string? json)
    {
        if (json is null)
            return null;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Compact))
            WriteDocument(w, json);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Checks a chain given in sequence order (one tenant's records, or the records of no tenant):
    /// each hash matches its record, the sequence runs 1, 2, 3... without a gap, and each record
    /// names the hash of the one before. The first break, or null when the chain holds.
    /// </summary>
    public static AuditBreak? Verify(IEnumerable<(AuditLink Link, string Hash)> chain)
    {
        string? previousHash = null;
        long expected = 1;
        foreach (var (link, hash) in chain)
        {
            if (!string.Equals(Hash(link), hash, StringComparison.Ordinal))
                return Break(link, "its hash does not match its fields: the record was changed");
            if (link.Sequence != expected)
                return Break(link, link.Sequence > expected
                    ? $"record {expected} of the chain is missing: deleted"
                    : $"sequence {link.Sequence} where {expected} was due: inserted or reordered");
            if (!string.Equals(link.PreviousHash, previousHash, StringComparison.Ordinal))
                return Break(link, "it does not name the hash of the record before it: a record was inserted, deleted or replaced");
            previousHash = hash;
            expected++;
        }
        return null;
    }

    private static AuditBreak Break(AuditLink link, string reason) => new(link.Id, link.TenantId, link.Sequence, reason);

    private static void WriteNullable(Utf8JsonWriter w, string? value)
    {
        if (value is null)
            w.WriteNullValue();
        else
            w.WriteStringValue(value);
    }

    private static void WriteDocument(Utf8JsonWriter w, string? json)
    {
        if (json is null)
        {
            w.WriteNullValue();
            return;
        }
        using var document = JsonDocument.Parse(json);
        document.RootElement.WriteTo(w);
    }
}
