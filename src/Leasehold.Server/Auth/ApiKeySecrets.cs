using System.Buffers.Text;
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

    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
