using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Usage;

/// <summary>
/// The ids usage events are shown with. Events are numbered by one counter across all tenants; shown
/// as they are, a tenant could tell from the gaps between its own ids how busy everyone else was.
/// So the row id is shown enciphered: a keyed permutation of 52-bit numbers (an 8-round Feistel
/// network with HMAC-SHA256 rounds), which keeps ids whole numbers that JavaScript holds exactly and
/// unique per event, but in no order a tenant can read. Cursors carry the enciphered id and are
/// deciphered here. The key is derived (HKDF) from the server's first license-signing key: a secret
/// every store has from its first start, shared by every node, never rotated away and never shown.
/// </summary>
internal sealed class UsageEventIds(ISigningKeyStore signingKeys)
{
    private const int HalfBits = 26;
    private const long HalfMask = (1L << HalfBits) - 1;
    private const long Limit = 1L << (2 * HalfBits);
    private const int Rounds = 8;
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("leasehold usage-event ids v1");

    private byte[]? _key;

    /// <summary>The cipher of this store (its key read once).</summary>
    public async ValueTask<Cipher> CipherAsync(CancellationToken ct)
    {
        if (_key is null)
        {
            var keys = await signingKeys.ListSigningKeysAsync(null, ct);
            var first = keys.Count > 0 ? keys[0] : throw new InvalidOperationException("No signing key yet: the server makes one at start.");
            _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(first.PrivateKey), 32, info: Purpose);
        }
        return new Cipher(_key);
    }

    internal sealed class Cipher(byte[] key)
    {
        /// <summary>The id a row is shown with.</summary>
        public long Hide(long rowId)
        {
            if (rowId is < 0 or >= Limit)
                throw new InvalidOperationException($"Usage event row id {rowId} is out of the 52-bit range ids are shown in.");
            var (left, right) = (rowId >> HalfBits, rowId & HalfMask);
            for (var round = 0; round < Rounds; round++)
                (left, right) = (right, left ^ Round(round, right));
            return (left << HalfBits) | right;
        }

        /// <summary>The row id behind a shown id (any number in range deciphers to some row id); null for one out of range.</summary>
        public long? Reveal(long shown)
        {
            if (shown is < 0 or >= Limit)
                return null;
            var (left, right) = (shown >> HalfBits, shown & HalfMask);
            for (var round = Rounds - 1; round >= 0; round--)
                (left, right) = (right ^ Round(round, left), left);
            return (left << HalfBits) | right;
        }

        private long Round(int round, long half)
        {
            Span<byte> input = stackalloc byte[5];
            input[0] = (byte)round;
            BinaryPrimitives.WriteInt32BigEndian(input[1..], (int)half);
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(key, input, mac);
            return BinaryPrimitives.ReadInt32BigEndian(mac) & HalfMask;
        }
    }
}
