using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leasehold.Core.Signing;

/// <summary>
/// The payload of a borrowed seat's lease: a JWS (<see cref="CompactJws"/>) of type
/// <see cref="MediaType"/>, signed by the server's current signing key when the seat is borrowed.
/// The server writes it (<c>BorrowLeases.Sign</c>); the SDK reads it offline (<c>BorrowedLease.Verify</c>):
/// this file is compiled into both, so they cannot disagree on a name. docs/sdk.md lists the fields.
/// </summary>
internal sealed record BorrowLeaseClaims
{
    public const int FormatVersion = 1;
    public const string MediaType = "leasehold-borrow+jwt";

    /// <summary>Unknown members are ignored (a newer server may add some); nulls are left out.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int Version { get; init; } = FormatVersion;
    public string SessionId { get; init; } = "";
    public string TenantId { get; init; } = "";
    public string LicenseId { get; init; } = "";
    public string Product { get; init; } = "";
    public string User { get; init; } = "";
    public string Device { get; init; } = "";
    public string Client { get; init; } = "";
    public int Seats { get; init; }
    public DateTimeOffset BorrowedUntil { get; init; }
    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>The signing key's id, also in the header (a lease whose two disagree is refused).</summary>
    public string KeyId { get; init; } = "";

    /// <summary>
    /// The borrowed session's token (the secret its holder proves itself with), so an application that
    /// kept only the lease can still return the seat early after a restart; absent from older leases.
    /// </summary>
    public string? SessionToken { get; init; }
}
