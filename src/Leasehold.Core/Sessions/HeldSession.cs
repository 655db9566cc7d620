using System.Buffers.Binary;
using System.Text;
using Leasehold.Core.Policies;

namespace Leasehold.Core.Sessions;

/// <summary>
/// One live session as a <see cref="HolderSet"/> keeps it. The server keeps every live session in memory (a
/// million of them for a large vendor), so a plain session (<see cref="Session.IsPlain"/>: most are) is kept as
/// its fields alone: the id as its 128 bits, user and device as one UTF-8 array, the tenant and license as its
/// set's, the client type's name shared with the set's other holders, times as ticks. Any other session (a
/// connection, an e-mail, a borrowed seat, an id not of the server's form, ...) is kept whole.
/// <see cref="ToSession"/> gives back a session equal to the one kept.
/// </summary>
internal abstract class HeldSession(Session session, HolderSet owner, UInt128? number)
{
    public const string IdPrefix = "ses_";

    /// <summary>The set holding it; the set's holders are a list through <see cref="Previous"/> and <see cref="Next"/>.</summary>
    public readonly HolderSet Owner = owner;
    public HeldSession? Previous, Next;

    /// <summary>The id's 128 bits when the id has the server's form (<see cref="NumberOf"/>): the index's key; else the id's text is.</summary>
    public readonly UInt128 Number = number ?? 0;

    public readonly bool Numbered = number is not null;

    /// <summary>The seats it draws (as <see cref="Session.Seats"/>).</summary>
    public readonly int Seats = session.Seats;

    /// <summary>Its seat key when it shares one; null when the key is its own id (<see cref="HolderSet.OwnSeat"/>).</summary>
    public readonly string? SharedKey = HolderSet.OwnSeat(session) ? null : session.SeatKey;

    /// <summary>When it ends unless a heartbeat arrives (UTC ticks of <see cref="Session.Deadline"/>).</summary>
    public readonly long Deadline = session.Deadline.UtcTicks;

    /// <summary>A session equal to the one kept.</summary>
    public abstract Session ToSession();

    /// <summary>How <paramref name="session"/> is kept: plain when it can be, else whole.</summary>
    /// <param name="number">Its id's number (<see cref="NumberOf"/>), read once by the caller, which looks the id up with it too.</param>
    /// <param name="client">Its client type's name as the set keeps it (one string for all its holders).</param>
    /// <param name="previous">The state it replaces, if any: its user and device text is taken over when they are the same.</param>
    public static HeldSession Of(Session session, UInt128? number, HolderSet owner, string client, HeldSession? previous) =>
        number is { } n && Plain.Text(session, owner, previous as Plain) is { } text
            ? new Plain(session, owner, n, client, text)
            : new Whole(session, owner, number);

    /// <summary>The 128 bits of an id of the server's form (<c>ses_</c> and 26 characters of <see cref="Base32Id"/>), which write it again; null for any other id.</summary>
    public static UInt128? NumberOf(string id) =>
        id.StartsWith(IdPrefix, StringComparison.Ordinal) && Base32Id.TryRead(id.AsSpan(IdPrefix.Length), out var number) ? number : null;

    private sealed class Whole(Session session, HolderSet owner, UInt128? number) : HeldSession(session, owner, number)
    {
        private readonly Session _session = session;

        public override Session ToSession() => _session;
    }

    private sealed class Plain : HeldSession
    {
        private const long None = long.MinValue;
        private readonly byte[] _text; // user then device in UTF-8, the user's byte count first (2 bytes)
        private readonly string _client;
        private readonly ulong _tokenA, _tokenB, _tokenC, _tokenD;
        private readonly long _startedAt, _lastHeartbeatAt, _lastActivityAt, _licenseEndsAt;
        private readonly int _ttlSeconds, _idleSeconds, _policyVersion; // policies give whole seconds (-1: no idle timeout)
        private readonly byte _consumption;
        private readonly bool _named, _hasToken;

        public Plain(Session session, HolderSet owner, UInt128 number, string client, byte[] text)
            : base(session, owner, number)
        {
            _text = text;
            _client = client;
            var digest = session.Digest;
            (_tokenA, _tokenB, _tokenC, _tokenD, _hasToken) = (digest.A, digest.B, digest.C, digest.D, digest.IsPresent);
            _ttlSeconds = (int)(session.Ttl.Ticks / TimeSpan.TicksPerSecond);
            _idleSeconds = session.IdleTimeout is { } idle ? (int)(idle.Ticks / TimeSpan.TicksPerSecond) : -1;
            _startedAt = session.StartedAt.UtcTicks;
            _lastHeartbeatAt = session.LastHeartbeatAt.UtcTicks;
            _lastActivityAt = session.LastActivityAt.UtcTicks;
            _licenseEndsAt = session.LicenseEndsAt?.UtcTicks ?? None;
            _policyVersion = session.PolicyVersion;
            _consumption = (byte)session.Consumption;
            _named = session.Named;
        }

        public override Session ToSession()
        {
            var text = _text;
            var userBytes = BinaryPrimitives.ReadUInt16LittleEndian(text);
            var id = string.Create(IdPrefix.Length + Base32Id.Length, Number, static (chars, id) =>
            {
                IdPrefix.CopyTo(chars);
                Base32Id.Write(id, chars[IdPrefix.Length..]);
            });
            return new Session
            {
                Id = id,
                TenantId = Owner.TenantId!,
                LicenseId = Owner.LicenseId!,
                User = Encoding.UTF8.GetString(text, 2, userBytes),
                Device = Encoding.UTF8.GetString(text, 2 + userBytes, text.Length - 2 - userBytes),
                Client = _client,
                Consumption = (Consumption)_consumption,
                Seats = Seats,
                SeatKey = SharedKey ?? id,
                Ttl = TimeSpan.FromSeconds(_ttlSeconds),
                IdleTimeout = _idleSeconds < 0 ? null : TimeSpan.FromSeconds(_idleSeconds),
                StartedAt = new DateTimeOffset(_startedAt, TimeSpan.Zero),
                LastHeartbeatAt = new DateTimeOffset(_lastHeartbeatAt, TimeSpan.Zero),
                LastActivityAt = new DateTimeOffset(_lastActivityAt, TimeSpan.Zero),
                LicenseEndsAt = _licenseEndsAt == None ? null : new DateTimeOffset(_licenseEndsAt, TimeSpan.Zero),
                Named = _named,
                PolicyVersion = _policyVersion,
                Digest = _hasToken ? TokenDigest.OfPacked(_tokenA, _tokenB, _tokenC, _tokenD) : default,
            };
        }

        /// <summary>
        /// The user and device as kept (null: the session is not plain, not of its set's tenant and license, or its TTL or idle
        /// timeout not whole seconds).
        /// </summary>
        public static byte[]? Text(Session session, HolderSet owner, Plain? previous)
        {
            if (!session.IsPlain || !WholeSeconds(session.Ttl) || session.IdleTimeout is { } idle && !WholeSeconds(idle)
                || (uint)session.Consumption > byte.MaxValue || !string.Equals(session.TenantId, owner.TenantId, StringComparison.Ordinal)
                || !string.Equals(session.LicenseId, owner.LicenseId, StringComparison.Ordinal) || session.User is null || session.Device is null
                || session.Client is null || HasSurrogate(session.User) || HasSurrogate(session.Device))
            {
                return null;
            }
            var userBytes = Encoding.UTF8.GetByteCount(session.User);
            if (userBytes > ushort.MaxValue)
                return null;
            var length = 2 + userBytes + Encoding.UTF8.GetByteCount(session.Device);
            var bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)userBytes);
            Encoding.UTF8.GetBytes(session.User, bytes[2..]);
            Encoding.UTF8.GetBytes(session.Device, bytes[(2 + userBytes)..]);
            // A heartbeat's new state has the user and device of the state it replaces: one array serves both.
            return previous is not null && previous._text.AsSpan().SequenceEqual(bytes) ? previous._text : bytes.ToArray();
        }

        private static bool WholeSeconds(TimeSpan span) => span.Ticks % TimeSpan.TicksPerSecond == 0 && span.Ticks >= 0 && span.TotalSeconds <= int.MaxValue;

        /// <summary>Text with a surrogate is kept whole: a lone one would not come back from UTF-8 as it went in.</summary>
        private static bool HasSurrogate(string text) => text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF');
    }
}
