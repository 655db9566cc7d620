using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
#if NET
using System.Buffers.Text;
#endif

namespace Leasehold.Core.Signing;

/// <summary>
/// JWS in compact serialization (RFC 7515) with ES256 (ECDSA P-256, SHA-256, the signature as r||s),
/// from the BCL alone: <c>base64url(header).base64url(payload).base64url(signature)</c>, the header
/// naming the algorithm, a type and the signing key's id (its RFC 7638 thumbprint). License files
/// and borrowed-seat leases are both written this way, each with its own type, so one can never be
/// read as the other. This file is also compiled into Leasehold.Client (linked, internal), which
/// verifies leases offline without referencing Leasehold.Core: it keeps to netstandard2.0's API.
/// </summary>
internal static class CompactJws
{
    public const string Algorithm = "ES256";

    private static readonly JsonSerializerOptions HeaderJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    internal sealed record Header(string Alg, string Typ, string Kid);

    /// <summary>What is wrong with a token, from its shape to its signature (<see cref="Fault.None"/>: nothing).</summary>
    internal enum Fault
    {
        None,

        /// <summary>Not three dot-separated parts.</summary>
        NotCompact,

        /// <summary>The header or the signature is not base64url JSON / bytes.</summary>
        Unreadable,

        /// <summary>The header does not say ES256, the expected type and a key id.</summary>
        WrongHeader,

        /// <summary>Signed by a key the reader does not trust.</summary>
        UnknownKey,

        /// <summary>The signature does not match the header and payload.</summary>
        BadSignature,
    }

    /// <param name="Fault">Why it does not verify; none when it does.</param>
    /// <param name="Header">The protected header, when it could be read.</param>
    /// <param name="Payload">The payload part, still base64url (decode with <see cref="Decode"/>); signed when <see cref="Fault"/> is none.</param>
    internal sealed record Reading(Fault Fault, Header? Header, string Payload);

    /// <summary>The token of <paramref name="payload"/> (JSON), typed <paramref name="typ"/>, signed by <paramref name="key"/> (P-256, with its private half) whose id is <paramref name="kid"/>.</summary>
    public static string Sign(string typ, string kid, byte[] payload, ECDsa key)
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Header(Algorithm, typ, kid), HeaderJson));
        var body = Encode(payload);
        // ECDsa signs as r||s (IEEE P1363) unless told otherwise, the form JWS wants, on every target.
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + body), HashAlgorithmName.SHA256);
        return header + "." + body + "." + Encode(signature);
    }

    /// <summary>
    /// Splits a token and checks its header and signature: <paramref name="verifierFor"/> gives the
    /// verifying key of a key id, or null when that key is not trusted. The payload is not read.
    /// </summary>
    public static Reading Read(string text, string typ, Func<string, ECDsa?> verifierFor)
    {
        var parts = text.Trim().Split('.');
        if (parts.Length != 3)
            return new(Fault.NotCompact, null, "");
        Header? header;
        byte[] signature;
        try
        {
            header = JsonSerializer.Deserialize<Header>(Decode(parts[0]), HeaderJson);
            signature = Decode(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return new(Fault.Unreadable, null, "");
        }
        if (header is null || header.Alg != Algorithm || header.Typ != typ || string.IsNullOrEmpty(header.Kid))
            return new(Fault.WrongHeader, header, "");
        using (var verifier = verifierFor(header.Kid))
        {
            if (verifier is null)
                return new(Fault.UnknownKey, header, "");
            if (!verifier.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256))
                return new(Fault.BadSignature, header, "");
        }
        return new(Fault.None, header, parts[1]);
    }

    /// <summary>A verifying key from a JWK's members; <see cref="FormatException"/> when it is not a P-256 key whose id is its thumbprint.</summary>
    public static ECDsa Verifier(string? kty, string? crv, string? x, string? y, string? kid)
    {
        if (kty != "EC" || crv != "P-256" || x is null || y is null)
            throw new FormatException("Not an EC P-256 key.");
        if (kid != Thumbprint(x, y))
            throw new FormatException($"The key id '{kid}' is not the key's thumbprint.");
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Decode(x), Y = Decode(y) },
        });
    }

    /// <summary>RFC 7638: SHA-256 over the required members in lexicographic order, no white space.</summary>
    public static string Thumbprint(string x, string y)
    {
        var members = Encoding.UTF8.GetBytes("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}");
#if NET
        return Encode(SHA256.HashData(members));
#else
        using var sha = SHA256.Create();
        return Encode(sha.ComputeHash(members));
#endif
    }

#if NET
    public static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>base64url without padding; <see cref="FormatException"/> when it is not.</summary>
    public static byte[] Decode(string text) => Base64Url.DecodeFromChars(text);
#else
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>base64url without padding; <see cref="FormatException"/> when it is not.</summary>
    public static byte[] Decode(string text)
    {
        if (text.IndexOfAny(['+', '/', '=']) >= 0 || text.Length % 4 == 1)
            throw new FormatException("Not base64url.");
        var padded = text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - text.Length % 4) % 4);
        return Convert.FromBase64String(padded);
    }
#endif
}
