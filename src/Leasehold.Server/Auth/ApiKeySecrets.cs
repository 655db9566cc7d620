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

    /// <summary>
    /// A new id that sorts by creation time, such as <c>ses_01KB3...</c>: 48 bits of Unix
    /// milliseconds then 80 random bits, in Crockford base32 (the ULID layout). Sessions are
    /// created and indexed (by id, and their usage events by session) at a high rate: ids that
    /// follow each other land on the same index pages, where random ids would dirty a different
    /// page for every checkout and so multiply what each commit writes.
    /// </summary>
    public static string NewTimeOrderedId(string prefix, DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)at.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        RandomNumberGenerator.Fill(bytes[6..]);
        return prefix + "_" + Base32Crockford(bytes);
    }

    /// <summary>128 bits as 26 characters of Crockford's base32, most significant first, so text order is number order.</summary>
    private static string Base32Crockford(ReadOnlySpan<byte> bytes)
    {
        const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var high = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var low = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        var value = ((UInt128)high << 64) | low;
        Span<char> text = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            text[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(text);
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
