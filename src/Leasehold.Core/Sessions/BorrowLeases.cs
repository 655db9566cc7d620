using System.Security.Cryptography;
using System.Text.Json;
using Leasehold.Core.Installations;
using Leasehold.Core.Licenses;
using Leasehold.Core.Signing;

namespace Leasehold.Core.Sessions;

/// <summary>
/// Signs the lease of a borrowed seat: what its client keeps to run off the network until the seat's
/// <see cref="Session.BorrowedUntil"/>. A JWS of type <c>leasehold-borrow+jwt</c> (never taken for a
/// license file, whose type differs), signed with ES256 like license files.
/// </summary>
public static class BorrowLeases
{
    public const string MediaType = BorrowLeaseClaims.MediaType;

    /// <summary>The lease of borrowed <paramref name="session"/> of <paramref name="license"/>, signed by <paramref name="key"/> (P-256, with its private half).</summary>
    /// <param name="sessionToken">The session's token, carried in the lease for its holder (null: none).</param>
    public static string Sign(Session session, License license, DateTimeOffset issuedAt, ECDsa key, string? sessionToken = null)
    {
        var until = session.BorrowedUntil ?? throw new ArgumentException("The session is not borrowed.", nameof(session));
        var kid = SigningJwk.From(key).Kid;
        var claims = new BorrowLeaseClaims
        {
            SessionId = session.Id,
            TenantId = session.TenantId,
            LicenseId = session.LicenseId,
            Product = license.Product,
            User = session.User,
            Device = session.Device,
            Client = session.Client,
            Seats = session.Seats,
            BorrowedUntil = until,
            IssuedAt = issuedAt,
            KeyId = kid,
            SessionToken = sessionToken,
        };
        return CompactJws.Sign(MediaType, kid, JsonSerializer.SerializeToUtf8Bytes(claims, BorrowLeaseClaims.Json), key);
    }
}
