using System.Security.Cryptography;
using System.Text;

namespace Leasehold.Server.Auth;

/// <summary>
/// API key secrets: 256 random bits, shown once. Only their SHA-256 is stored; a fast hash is
/// enough because the secrets are random and long (no dictionary to try), unlike passwords.
/// </summary>
internal static class ApiKeySecrets
{
    public const string Prefix = "lh_";

    public static string Generate() => Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A new opaque id such as <c>ses_3kq...</c>: 128 random bits, so ids cannot be guessed.</summary>
    public static string NewId(string prefix) => prefix + "_" + Base64UrlEncode(RandomNumberGenerator.GetBytes(16));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
