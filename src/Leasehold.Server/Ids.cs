using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Leasehold.Core.Sessions;

namespace Leasehold.Server;

/// <summary>
/// Every id the server makes, with its prefix, so an id says what it names (<c>ses_</c>, <c>lic_</c>, ...).
/// Ids are opaque to clients and cannot be guessed: at least 74 random bits each.
/// </summary>
internal static class Ids
{
    public static string Tenant() => NewRandom("ten");

    public static string License() => NewRandom("lic");

    public static string Connection() => NewRandom("con");

    public static string ApiKey() => NewRandom("key");

    public static string Installation() => NewRandom("ins");

    /// <summary>A session id that sorts by <paramref name="at"/>, its creation time (see <see cref="NewTimeOrdered"/>).</summary>
    public static string Session(DateTimeOffset at) => NewTimeOrdered("ses", at);

    /// <summary>A waiting-line entry id that sorts by the time it joined (<c>wait_</c>...).</summary>
    public static string Wait(DateTimeOffset at) => NewTimeOrdered("wait", at);

    /// <summary>A new id such as <c>lic_3kq...</c>: 128 random bits in base64url.</summary>
    public static string NewRandom(string prefix) => prefix + "_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// A new id that sorts by creation time as text, such as <c>ses_01KB3...</c>: a version 7 UUID
    /// (48 bits of Unix milliseconds, then 74 random bits) in Crockford base32, most significant first.
    /// Sessions are created and indexed (by id, and their usage events by session) at a high rate: ids
    /// that follow each other land on the same index pages, where random ids would dirty a different
    /// page for every checkout and so multiply what each commit writes (docs/benchmarks.md).
    /// </summary>
    public static string NewTimeOrdered(string prefix, DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.CreateVersion7(at).TryWriteBytes(bytes, bigEndian: true, out _);
        return prefix + "_" + Base32Id.Write(BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }
}
