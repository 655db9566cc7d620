using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Leasehold.Core.Sessions;

/// <summary>
/// A session token's hash held compactly: the 32 bytes of a lowercase hex SHA-256 as four numbers (no
/// 64-character string per live session), or, for any other text, the text itself. <see cref="Text"/>
/// gives back exactly the text it was made of.
/// </summary>
internal readonly record struct TokenDigest(ulong A, ulong B, ulong C, ulong D, string? Other)
{
    /// <summary>The <see cref="Other"/> of a packed hash (null: no hash; any other text: that text).</summary>
    private static readonly string Packed = new('#', 1);

    public static TokenDigest Of(string? hash)
    {
        if (hash is null)
            return default;
        Span<byte> bytes = stackalloc byte[32];
        if (hash.Length == 64 && IsLowerHex(hash) && Convert.FromHexString(hash, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32)
        {
            return new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]), BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]), Packed);
        }
        return new(0, 0, 0, 0, hash);
    }

    /// <summary>A packed hash from its four numbers (as <see cref="Of"/> makes one from its hex).</summary>
    public static TokenDigest OfPacked(ulong a, ulong b, ulong c, ulong d) => new(a, b, c, d, Packed);

    /// <summary>Whether this is no hash or a packed one: all of it is in <see cref="A"/> to <see cref="D"/> and <see cref="IsPresent"/>.</summary>
    public bool IsPackedOrNone => Other is null || ReferenceEquals(Other, Packed);

    public bool IsPresent => Other is not null;

    public string? Text()
    {
        if (!ReferenceEquals(Other, Packed))
            return Other;
        Span<byte> bytes = stackalloc byte[32];
        Write(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Whether this is the hash <paramref name="hash"/>, in constant time for hashes of the same form.</summary>
    public bool Matches(string hash)
    {
        if (Other is null)
            return false;
        if (!ReferenceEquals(Other, Packed))
            return CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Other), System.Text.Encoding.ASCII.GetBytes(hash));
        Span<byte> mine = stackalloc byte[32];
        Span<byte> theirs = stackalloc byte[32];
        Write(mine);
        return hash.Length == 64 && Convert.FromHexString(hash, theirs, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32
            && CryptographicOperations.FixedTimeEquals(mine, theirs);
    }

    private void Write(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt64BigEndian(bytes, A);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], D);
    }

    private static bool IsLowerHex(string text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
                return false;
        }
        return true;
    }
}
