using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Leasehold.Server.Auth;

/// <summary>
/// API key secrets and how they are stored (docs/security.md, "Stored secrets"). A secret the server
/// generates is 256 random bits, shown once, stored as its SHA-256: a fast hash is enough because
/// there is no dictionary to try against 2^256 possibilities, and it lets a request find its key by
/// one indexed lookup. A secret a person chose (<c>LEASEHOLD_ADMIN_KEY</c>) may be guessable, so it
/// is stored with a salted slow hash (<see cref="SlowHash"/>, PBKDF2-HMAC-SHA256): a copy of the
/// database does not give it away to an offline dictionary attack at SHA-256 speed.
/// </summary>
internal static class ApiKeySecrets
{
    public const string Prefix = "lh_";

    /// <summary>How a slow-hashed secret is stored: <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64). Never a SHA-256 hex string.</summary>
    public const string SlowHashPrefix = "pbkdf2-sha256$";

    /// <summary>OWASP's figure for PBKDF2-HMAC-SHA256 (2023): about a quarter of a second of one core here.</summary>
    public const int SlowHashIterations = 600_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool IsSlowHash(string stored) => stored.StartsWith(SlowHashPrefix, StringComparison.Ordinal);

    /// <summary>The salted slow hash of a human-chosen secret, with its own random salt.</summary>
    public static string SlowHash(string secret) => SlowHash(secret, RandomNumberGenerator.GetBytes(SaltBytes), SlowHashIterations);

    private static string SlowHash(string secret, byte[] salt, int iterations)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{SlowHashPrefix}{iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether <paramref name="secret"/> is the one <paramref name="stored"/> (a <see cref="SlowHash(string)"/>) was made from.</summary>
    public static bool MatchesSlowHash(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts is not ["pbkdf2-sha256", var iterationsText, var saltText, var hashText]
            || !int.TryParse(iterationsText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            return false;
        try
        {
            var expected = Convert.FromBase64String(hashText);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), Convert.FromBase64String(saltText), iterations,
                HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
