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
internal sealed class HeldSession
{
    public const string IdPrefix = "ses_";
    private const long None = long.MinValue;

    /// <summary>The set holding it; the set's holders are a list through <see cref="Previous"/> and <see cref="Next"/>.</summary>
    public readonly HolderSet Owner;
    public HeldSession? Previous, Next;

    /// <summary>The seats it draws (as <see cref="Session.Seats"/>).</summary>
    public readonly int Seats;

    /// <summary>Its seat key when it shares one; null when the key is its own id (<see cref="HolderSet.OwnSeat"/>).</summary>
    public readonly string? SharedKey;

    /// <summary>When it ends unless a heartbeat arrives (UTC ticks of <see cref="Session.Deadline"/>).</summary>
    public readonly long Deadline;

    private readonly Session? _whole;
    private readonly UInt128 _id;
    private readonly byte[]? _text; // user then device in UTF-8, the user's byte count first (2 bytes)
    private readonly string? _client;
    private readonly ulong _tokenA, _tokenB, _tokenC, _tokenD;
    private readonly long _ttl, _idle, _startedAt, _lastHeartbeatAt, _lastActivityAt, _licenseEndsAt;
    private readonly int _policyVersion;
    private readonly Consumption _consumption;
    private readonly bool _named, _hasToken;

    /// <param name="previous">The state it replaces, if any: its user and device text is taken over when they are the same.</param>
    public HeldSession(Session session, HolderSet owner, string client, HeldSession? previous)
    {
        Owner = owner;
        Seats = session.Seats;
        SharedKey = HolderSet.OwnSeat(session) ? null : session.SeatKey;
        Deadline = session.Deadline.UtcTicks;
        if (!Compact(session, owner, out _id, previous, out _text))
        {
            _whole = session;
            return;
        }
        _client = client;
        var digest = session.Digest;
        (_tokenA, _tokenB, _tokenC, _tokenD, _hasToken) = (digest.A, digest.B, digest.C, digest.D, digest.IsPresent);
        _ttl = session.Ttl.Ticks;
        _idle = session.IdleTimeout?.Ticks ?? None;
        _startedAt = session.StartedAt.UtcTicks;
        _lastHeartbeatAt = session.LastHeartbeatAt.UtcTicks;
        _lastActivityAt = session.LastActivityAt.UtcTicks;
        _licenseEndsAt = session.LicenseEndsAt?.UtcTicks ?? None;
        _policyVersion = session.PolicyVersion;
        _consumption = session.Consumption;
        _named = session.Named;
    }

    public Session ToSession()
    {
        if (_whole is not null)
            return _whole;
        var text = _text!;
        var userBytes = BinaryPrimitives.ReadUInt16LittleEndian(text);
        var id = string.Create(IdPrefix.Length + Base32Id.Length, _id, static (chars, id) =>
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
            Client = _client!,
            Consumption = _consumption,
            Seats = Seats,
            SeatKey = SharedKey ?? id,
            Ttl = new TimeSpan(_ttl),
            IdleTimeout = _idle == None ? null : new TimeSpan(_idle),
            StartedAt = new DateTimeOffset(_startedAt, TimeSpan.Zero),
            LastHeartbeatAt = new DateTimeOffset(_lastHeartbeatAt, TimeSpan.Zero),
            LastActivityAt = new DateTimeOffset(_lastActivityAt, TimeSpan.Zero),
            LicenseEndsAt = _licenseEndsAt == None ? null : new DateTimeOffset(_licenseEndsAt, TimeSpan.Zero),
            Named = _named,
            PolicyVersion = _policyVersion,
            Digest = _hasToken ? TokenDigest.OfPacked(_tokenA, _tokenB, _tokenC, _tokenD) : default,
        };
    }

    /// <summary>The 128 bits of an id of the server's form (<c>ses_</c> and 26 characters of <see cref="Base32Id"/>), which write it again.</summary>
    public static bool IdNumber(string id, out UInt128 number)
    {
        number = 0;
        return id.StartsWith(IdPrefix, StringComparison.Ordinal) && Base32Id.TryRead(id.AsSpan(IdPrefix.Length), out number);
    }

    private static bool Compact(Session session, HolderSet owner, out UInt128 id, HeldSession? previous, out byte[]? text)
    {
        text = null;
        if (!session.IsPlain || !IdNumber(session.Id, out id) || !string.Equals(session.TenantId, owner.TenantId, StringComparison.Ordinal)
            || !string.Equals(session.LicenseId, owner.LicenseId, StringComparison.Ordinal) || session.User is null || session.Device is null
            || session.Client is null || HasSurrogate(session.User) || HasSurrogate(session.Device))
        {
            id = 0;
            return false;
        }
        var userBytes = Encoding.UTF8.GetByteCount(session.User);
        if (userBytes > ushort.MaxValue)
            return false;
        var length = 2 + userBytes + Encoding.UTF8.GetByteCount(session.Device);
        var bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)userBytes);
        Encoding.UTF8.GetBytes(session.User, bytes[2..]);
        Encoding.UTF8.GetBytes(session.Device, bytes[(2 + userBytes)..]);
        // A heartbeat's new state has the user and device of the state it replaces: one array serves both.
        text = previous?._text is { } same && same.AsSpan().SequenceEqual(bytes) ? same : bytes.ToArray();
        return true;
    }

    /// <summary>Text with a surrogate is kept whole: a lone one would not come back from UTF-8 as it went in.</summary>
    private static bool HasSurrogate(string text) => text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF');
}
