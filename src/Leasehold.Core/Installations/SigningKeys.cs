using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Leasehold.Core.Signing;

namespace Leasehold.Core.Installations;

/// <summary>
/// An ECDSA P-256 public key as a JSON Web Key (RFC 7517), the form a JWKS serves and an
/// installation pins. <see cref="Kid"/> is the key's RFC 7638 thumbprint, so it names the key
/// itself: two issuers can never hand out keys with one id.
/// </summary>
public sealed record SigningJwk(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The keys of a JSON Web Key Set (<c>{"keys": [...]}</c>, as the server publishes it and
    /// <c>leasehold signing-keys export</c> writes it); <see cref="FormatException"/> when it is not one.
    /// </summary>
    public static IReadOnlyList<SigningJwk> ReadSet(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return [.. document.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.Deserialize<SigningJwk>(Json)!)];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"Not a key set: expected JSON with \"keys\" ({e.Message}).", e);
        }
    }

    /// <summary>The public half of <paramref name="key"/>.</summary>
    public static SigningJwk From(ECDsa key)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        if (p.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            throw new ArgumentException("Only P-256 keys sign license files.", nameof(key));
        var (x, y) = (Base64Url.EncodeToString(p.Q.X), Base64Url.EncodeToString(p.Q.Y));
        return new("EC", "P-256", x, y, CompactJws.Thumbprint(x, y), "sig", LicenseFiles.Algorithm);
    }

    /// <summary>A verifying key; throws <see cref="FormatException"/> when this is not a P-256 key whose id is its thumbprint.</summary>
    public ECDsa ToVerifier() => CompactJws.Verifier(Kty, Crv, X, Y, Kid);
}
