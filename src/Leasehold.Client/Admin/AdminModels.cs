using System.Text.Json;

namespace Leasehold.Client.Admin;

public sealed record TenantInfo(string Id, string Name, string TimeZone, DateTimeOffset CreatedAt);

/// <summary>A license's plan as it stands: base seats, the add-ons bought on top, and the cap.</summary>
public sealed record PlanInfo(string Name, int BaseSeats, int AddOnSeats, int MaxSeats);

public sealed record LicenseInfo
{
    public string Id { get; init; } = "";
    public string TenantId { get; init; } = "";
    public string Product { get; init; } = "";
    public int Seats { get; init; }
    public int SeatsInUse { get; init; }
    public PlanInfo? Plan { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    public int PolicyVersion { get; init; }

    /// <summary>The full effective policy document (see docs/policies.md).</summary>
    public JsonElement Policy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A new license; <see cref="Policy"/> is a policy document (null: the default policy).</summary>
public sealed record NewLicense(string TenantId, string Product, int Seats)
{
    public JsonElement? Policy { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
}

/// <summary>A change to a license: whatever is left null stays as it is.</summary>
public sealed record LicenseChanges
{
    public int? Seats { get; init; }
    public JsonElement? Policy { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
}

/// <summary>An installation of a company license: its share (<see cref="Seats"/>) and what it may be using now (<see cref="SeatsInForce"/>).</summary>
public sealed record InstallationInfo(string Id, string TenantId, string LicenseId, string Name, string Fingerprint, int Seats, int SeatsInForce,
    long TakenSerial, long? LatestSerial, DateTimeOffset? FileUsableUntil, DateTimeOffset? LastContactAt, DateTimeOffset CreatedAt)
{
    /// <summary>The installation's key (LEASEHOLD_INSTALLATION_KEY on its machine): only in the answers that make one.</summary>
    public string? InstallationKey { get; init; }
}

/// <summary>What a license file grants, as an installation-mode server shows it.</summary>
public sealed record LicenseFileSummary(long Serial, int Seats, DateTimeOffset? EndsAt, DateTimeOffset RefreshBy, DateTimeOffset UsableUntil);

/// <summary>One attempt of an installation to fetch a new file: by hand or by itself; <see cref="Code"/> is null when it took one.</summary>
public sealed record RenewalAttemptInfo(DateTimeOffset At, bool Automatic, string? Code, string Message);

/// <summary>An installation-mode server's own license: the file it runs on, when it renews by itself, and how the last attempt went.</summary>
public sealed record InstallationStatus(string InstallationId, string TenantId, string LicenseId, string Product, LicenseFileSummary File,
    DateTimeOffset RenewFrom, Uri? Issuer, DateTimeOffset? NextAttemptAt, RenewalAttemptInfo? LastAttempt, bool ClockMovedBack, DateTimeOffset LatestSeen);

/// <summary>What Update did on an installation-mode server: which of <c>seats</c>, <c>endsAt</c>, <c>usableUntil</c> changed.</summary>
public sealed record InstallationUpdate(IReadOnlyList<string> Changed, LicenseFileSummary Before, LicenseFileSummary After);

/// <summary>A signed license file for an installation; <see cref="LicenseFile"/> is the file itself.</summary>
public sealed record LicenseFileInfo(string InstallationId, long Serial, int Seats, DateTimeOffset? EndsAt, DateTimeOffset RefreshBy,
    DateTimeOffset UsableUntil, string KeyId, string LicenseFile);

/// <summary>A key the server signs license files with; <see cref="PublicKey"/> is its public half as a JWK (the private half never leaves the server).</summary>
public sealed record SigningKeyInfo(string Id, bool Signing, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt, JsonElement PublicKey);

/// <summary>An API key; <see cref="Key"/> (the secret) is only set in the answer that creates it.</summary>
public sealed record ApiKeyInfo(string Id, string? TenantId, string Role, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? Key);

/// <param name="User">Its user: the only one who may use it without its shared e-mail (named by an admin, or the first to sign in on it).</param>
public sealed record ConnectionInfo(string Id, string TenantId, string Name, string? Email, JsonElement AccessPlan,
    bool OpenNow, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, DateTimeOffset CreatedAt, string? User = null);

/// <summary>A user an admin stopped: their checkouts on the license are refused (<c>stopped_recently</c>) until <see cref="Until"/>.</summary>
public sealed record CoolDownInfo(string LicenseId, string User, DateTimeOffset Since, DateTimeOffset Until, string SessionId, string? StoppedBy);
