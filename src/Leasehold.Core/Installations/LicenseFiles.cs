using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Leasehold.Core.Signing;

namespace Leasehold.Core.Installations;

/// <summary>
/// Signs and reads license files. A file is a JWS in compact serialization (RFC 7515,
/// <see cref="CompactJws"/>): <c>base64url(header).base64url(payload).base64url(signature)</c>, signed
/// with ES256 (ECDSA P-256, SHA-256, the signature as r||s) from the BCL, so any JOSE library can check one too. The header
/// names the algorithm, the type <see cref="MediaType"/> and the signing key's id; the payload is a
/// <see cref="LicenseFile"/> as JSON.
/// </summary>
public static class LicenseFiles
{
    public const int FormatVersion = 1;
    public const string Algorithm = CompactJws.Algorithm;
    public const string MediaType = "leasehold-license+jwt";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The file's text, signed by <paramref name="key"/> (a P-256 key with its private half), whose id it records.</summary>
    public static string Sign(LicenseFile file, ECDsa key)
    {
        var kid = SigningJwk.From(key).Kid;
        return CompactJws.Sign(MediaType, kid, JsonSerializer.SerializeToUtf8Bytes(file with { KeyId = kid }, Json), key);
    }

    /// <summary>
    /// Reads a file and checks its signature against the issuer's keys, nothing else: whether this
    /// installation may use it is <see cref="LicenseFileCheck.Judge"/>'s question.
    /// </summary>
    public static LicenseFileReading Read(string text, IReadOnlyCollection<SigningJwk> trusted)
    {
        var jws = CompactJws.Read(text, MediaType, kid => trusted.FirstOrDefault(k => k.Kid == kid)?.ToVerifier());
        switch (jws.Fault)
        {
            case CompactJws.Fault.NotCompact:
                return Refused(Codes.LicenseFileMalformed, "Not a license file: expected three dot-separated parts (a JWS).");
            case CompactJws.Fault.Unreadable:
                return Refused(Codes.LicenseFileMalformed, "Not a license file: its header or signature cannot be read.");
            case CompactJws.Fault.WrongHeader:
                return Refused(Codes.LicenseFileMalformed, $"Not a license file: the header must say alg {Algorithm}, typ {MediaType} and a kid.");
            case CompactJws.Fault.UnknownKey:
                return Refused(Codes.LicenseFileUnknownKey, $"Signed by key {jws.Header!.Kid}, which is not one of the issuer's keys this installation trusts.");
            case CompactJws.Fault.BadSignature:
                return Refused(Codes.LicenseFileBadSignature, "The signature does not match the file's content: it was changed after it was issued, or damaged.");
        }

        LicenseFile? file;
        try
        {
            file = JsonSerializer.Deserialize<LicenseFile>(CompactJws.Decode(jws.Payload), Json);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return Refused(Codes.LicenseFileMalformed, "The signed content is not a license file this server can read.");
        }
        if (file is null || file.Version != FormatVersion)
            return Refused(Codes.LicenseFileMalformed, $"License file format version {file?.Version} is not one this server reads (it reads {FormatVersion}).");
        if (file.KeyId != jws.Header!.Kid)
            return Refused(Codes.LicenseFileMalformed, "The file names another key than the one that signed it.");
        return new LicenseFileReading.Signed(file);
    }

    private static LicenseFileReading Refused(string code, string reason) => new LicenseFileReading.Refused(code, reason);
}

/// <summary>What reading a license file found: a file the issuer signed, or why not.</summary>
public abstract record LicenseFileReading
{
    private LicenseFileReading() { }

    public sealed record Signed(LicenseFile File) : LicenseFileReading;

    /// <param name="Code">A stable code (<see cref="Codes"/>: <c>license_file_*</c>, <c>clock_moved_back</c>).</param>
    /// <param name="Reason">One line for the operator.</param>
    public sealed record Refused(string Code, string Reason) : LicenseFileReading;
}
