using Leasehold.Core.Policies;

namespace Leasehold.Core.Installations;

/// <summary>
/// What a signed license file grants one installation: its share of a company license, the policy
/// it enforces, and until when. The issuing server signs it (<see cref="LicenseFiles.Sign"/>); the
/// installation verifies it offline against the issuer's public keys (<see cref="LicenseFiles.Verify"/>).
/// docs/installations.md describes the format field by field.
/// </summary>
public sealed record LicenseFile
{
    /// <summary>The format's version; a verifier refuses versions it does not know.</summary>
    public int Version { get; init; } = LicenseFiles.FormatVersion;

    public required string LicenseId { get; init; }
    public required string TenantId { get; init; }
    public required string Product { get; init; }
    public required string InstallationId { get; init; }

    /// <summary>The machine the file was issued for, as the installation described it when registered.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Seats this installation may hand out at once: its allocation.</summary>
    public required int Seats { get; init; }

    /// <summary>The tenant's IANA time zone: local-time rules (access windows, report days) read it.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The license's policy, as the issuer holds it (client types, limit mode, expiry rules...).</summary>
    public required PolicyDocument Policy { get; init; }

    /// <summary>The license's end date (null: open-ended); with the policy's grace days, when the installation stops admitting.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>
    /// The file's own expiry: by then the installation must have taken a newer file from the issuer,
    /// else it stops serving. It bounds how long an installation can run offline on an allocation the
    /// issuer has lowered since, and so when the issuer may give those seats to others.
    /// </summary>
    public required DateTimeOffset RefreshBy { get; init; }

    /// <summary>Grows with every file the issuer signs for the installation: an installation never takes a lower one.</summary>
    public required long Serial { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>The id of the issuer's key that signed it (also in the signature's header).</summary>
    public required string KeyId { get; init; }

    /// <summary>The last moment the file can be used: its refresh-by date, or the license's end plus grace if that is sooner.</summary>
    public DateTimeOffset UsableUntil(LicensePolicy policy) =>
        EndsAt?.AddDays(policy.Expiry.GraceDays) is { } refuses && refuses < RefreshBy ? refuses : RefreshBy;
}
