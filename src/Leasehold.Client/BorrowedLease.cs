using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Leasehold.Core.Signing;

namespace Leasehold.Client;

/// <summary>
/// A borrowed seat: the server holds it until <see cref="BorrowedUntil"/> without heartbeats, and this
/// lease, signed by the server (a JWS, ES256, type <c>leasehold-borrow+jwt</c>), lets the application
/// run off the network until then. Store <see cref="Token"/> and <see cref="IssuerKeys"/> (both plain
/// text) and call <see cref="Verify(string, string, DateTimeOffset?)"/> at each start; <see cref="LeaseholdClient.ReturnAsync"/> frees
/// the seat early.
/// </summary>
public sealed record BorrowedLease
{
    /// <summary>Where a server publishes its public keys (a JWKS), relative to its URL.</summary>
    public const string KeysPath = ".well-known/jwks.json";

    /// <summary>How far the clock may be before the lease's <see cref="IssuedAt"/> (clocks differ a little) before it counts as set back.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The lease format's version (1).</summary>
    public int Version { get; init; }

    /// <summary>The borrowed session's id (<c>ses_...</c>): admins see it in the list of who holds seats.</summary>
    public string SessionId { get; init; } = "";
    /// <summary>The tenant of the license.</summary>
    public string TenantId { get; init; } = "";
    /// <summary>The license the seat is borrowed from.</summary>
    public string LicenseId { get; init; } = "";
    /// <summary>The licensed product: check it is yours before trusting the lease.</summary>
    public string Product { get; init; } = "";
    /// <summary>The user the seat is borrowed for: check it is the user at the keyboard.</summary>
    public string User { get; init; } = "";
    /// <summary>The device the seat is borrowed for.</summary>
    public string Device { get; init; } = "";
    /// <summary>The client type it was borrowed under.</summary>
    public string Client { get; init; } = "";
    /// <summary>The seats it holds (the client type's <c>seats</c>).</summary>
    public int Seats { get; init; }
    /// <summary>Until when the seat is borrowed (server time, UTC): <see cref="Verify(DateTimeOffset?)"/> fails with <see cref="LeaseFault.Ended"/> from then on.</summary>
    public DateTimeOffset BorrowedUntil { get; init; }
    /// <summary>When the server signed it (its clock, UTC): a local clock more than <see cref="ClockTolerance"/> before it counts as set back.</summary>
    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>The id of the key that signed it (its RFC 7638 thumbprint).</summary>
    public string KeyId { get; init; } = "";

    /// <summary>The signed lease, as the server issued it.</summary>
    [JsonIgnore]
    public string Token { get; init; } = "";

    /// <summary>
    /// The borrowed session's token, signed into the lease by the server: what <see cref="LeaseholdClient.ReturnAsync"/>
    /// proves the seat is this application's with. Not for the application to use; it travels with <see cref="Token"/>.
    /// </summary>
    [JsonIgnore]
    internal string? SessionToken { get; init; }

    /// <summary>The issuing server's public keys (a JWKS, JSON) as fetched when borrowing: what <see cref="Verify(DateTimeOffset?)"/> checks the token with.</summary>
    [JsonIgnore]
    public string IssuerKeys { get; init; } = "";

    /// <summary>
    /// Checks a lease offline: signed by one of <paramref name="issuerKeys"/> (a JWKS), of the lease type,
    /// and not past its end at <paramref name="now"/> (default: the system clock), nor issued after it.
    /// </summary>
    /// <returns>The lease, read.</returns>
    /// <exception cref="BorrowedLeaseException">It does not verify: <see cref="BorrowedLeaseException.Fault"/> says why.</exception>
    public static BorrowedLease Verify(string token, string issuerKeys, DateTimeOffset? now = null)
    {
        var jws = CompactJws.Read(token, BorrowLeaseClaims.MediaType, kid => VerifierFor(issuerKeys, kid));
        var lease = jws.Fault switch
        {
            CompactJws.Fault.None => Read(jws.Payload),
            CompactJws.Fault.UnknownKey => throw new BorrowedLeaseException(LeaseFault.UnknownKey,
                $"The lease is signed by key {jws.Header!.Kid}, which is not one of the issuer's keys given."),
            CompactJws.Fault.BadSignature => throw new BorrowedLeaseException(LeaseFault.BadSignature,
                "The lease's signature does not match its content: it was changed after it was issued, or damaged."),
            _ => throw new BorrowedLeaseException(LeaseFault.Malformed,
                $"Not a borrowed-seat lease: expected a JWS of type {BorrowLeaseClaims.MediaType}, alg {CompactJws.Algorithm}, with a key id."),
        };
        if (lease.KeyId != jws.Header!.Kid)
            throw new BorrowedLeaseException(LeaseFault.Malformed, "The lease names another key than the one that signed it.");

        var at = now ?? TimeProvider.System.GetUtcNow();
        if (at >= lease.BorrowedUntil)
            throw new BorrowedLeaseException(LeaseFault.Ended, $"The seat was borrowed until {lease.BorrowedUntil:u}: connect to the license server to go on.");
        if (at < lease.IssuedAt - ClockTolerance)
            throw new BorrowedLeaseException(LeaseFault.ClockSetBack, $"The clock says {at:u}, before the lease was issued ({lease.IssuedAt:u}): set the clock right.");
        return lease with { Token = token.Trim(), IssuerKeys = issuerKeys };
    }

    /// <summary>This lease checked again (at <paramref name="now"/>, default the system clock) with the keys it carries.</summary>
    public BorrowedLease Verify(DateTimeOffset? now = null) => Verify(Token, IssuerKeys, now);

    /// <summary>The signed payload, read by the names the server writes (<c>BorrowLeaseClaims</c>, the file both compile).</summary>
    private static BorrowedLease Read(string payload)
    {
        BorrowedLease? lease;
        try
        {
            lease = JsonSerializer.Deserialize<BorrowedLease>(CompactJws.Decode(payload), BorrowLeaseClaims.Json);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new BorrowedLeaseException(LeaseFault.Malformed, "The signed content is not a lease this client can read.");
        }
        if (lease is null || lease.Version != BorrowLeaseClaims.FormatVersion)
            throw new BorrowedLeaseException(LeaseFault.Malformed, $"Lease format version {lease?.Version} is not one this client reads (it reads {BorrowLeaseClaims.FormatVersion}).");
        var claims = JsonSerializer.Deserialize<BorrowLeaseClaims>(CompactJws.Decode(payload), BorrowLeaseClaims.Json);
        return lease with { SessionToken = claims?.SessionToken };
    }

    /// <summary>The verifying key of <paramref name="kid"/> among the JWKS's keys; null when it has none.</summary>
    private static ECDsa? VerifierFor(string issuerKeys, string kid)
    {
        try
        {
            using var set = JsonDocument.Parse(issuerKeys);
            foreach (var key in set.RootElement.GetProperty("keys").EnumerateArray())
            {
                if (Member(key, "kid") == kid)
                    return CompactJws.Verifier(Member(key, "kty"), Member(key, "crv"), Member(key, "x"), Member(key, "y"), kid);
            }
            return null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BorrowedLeaseException(LeaseFault.BadKeys, $"The issuer's keys are not a key set this client can read ({e.Message}).", e);
        }
    }

    private static string? Member(JsonElement key, string name) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Why a lease does not verify.</summary>
public enum LeaseFault
{
    /// <summary>Not a lease (not a JWS of the lease type, or content this client cannot read).</summary>
    Malformed,

    /// <summary>Signed by a key that is not among the issuer's keys given.</summary>
    UnknownKey,

    /// <summary>Changed after it was signed, or damaged.</summary>
    BadSignature,

    /// <summary>The issuer's keys given are not a readable key set.</summary>
    BadKeys,

    /// <summary>Its borrowed time has ended.</summary>
    Ended,

    /// <summary>The clock is before the moment the lease was issued (beyond <see cref="BorrowedLease.ClockTolerance"/>).</summary>
    ClockSetBack,
}

/// <summary>A lease that does not verify: <see cref="Fault"/> says why, the message says it to people.</summary>
public sealed class BorrowedLeaseException(LeaseFault fault, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Why the lease does not verify: branch on it (ask the user to reconnect on <see cref="LeaseFault.Ended"/>, to fix the clock on <see cref="LeaseFault.ClockSetBack"/>, ...).</summary>
    public LeaseFault Fault { get; } = fault;
}
