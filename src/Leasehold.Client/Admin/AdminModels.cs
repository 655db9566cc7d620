using System.Text.Json;

namespace Leasehold.Client.Admin;

/// <summary>A tenant: one customer organisation, whose licenses, keys and usage are kept apart from every other's.</summary>
/// <param name="Id">The tenant's id (<c>ten_...</c>).</param>
/// <param name="Name">Its display name.</param>
/// <param name="TimeZone">Its IANA time zone (e.g. <c>Europe/Berlin</c>): the calendar of its access windows and usage reports.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record TenantInfo(string Id, string Name, string TimeZone, DateTimeOffset CreatedAt);

/// <summary>A license's plan as it stands: base seats, the add-ons bought on top, and the cap.</summary>
/// <param name="Name">The plan's name as the license's policy gives it.</param>
/// <param name="BaseSeats">The seats the plan comes with.</param>
/// <param name="AddOnSeats">The seats bought on top.</param>
/// <param name="MaxSeats">The most seats the plan allows (base and add-ons together).</param>
public sealed record PlanInfo(string Name, int BaseSeats, int AddOnSeats, int MaxSeats);

/// <summary>A license: a product's seats for one tenant, with its policy, plan and term.</summary>
public sealed record LicenseInfo
{
    /// <summary>The license's id (<c>lic_...</c>).</summary>
    public string Id { get; init; } = "";
    /// <summary>The tenant it belongs to.</summary>
    public string TenantId { get; init; } = "";
    /// <summary>The product it licenses (free text, e.g. <c>booking-desk</c>).</summary>
    public string Product { get; init; } = "";
    /// <summary>How many seats may be held at once (the concurrent limit).</summary>
    public int Seats { get; init; }
    /// <summary>The seats held now, by live sessions.</summary>
    public int SeatsInUse { get; init; }
    /// <summary>The plan, when the policy names one (base seats, add-ons, cap); null otherwise.</summary>
    public PlanInfo? Plan { get; init; }
    /// <summary>When the license starts; checkouts before are refused with <c>license_not_started</c>. Null: it has started.</summary>
    public DateTimeOffset? StartsAt { get; init; }
    /// <summary>When the license ends (then <c>license_expired</c>, after any grace the policy gives); null: it does not end.</summary>
    public DateTimeOffset? EndsAt { get; init; }
    /// <summary>The policy's version: 1, raised by each change of the policy.</summary>
    public int PolicyVersion { get; init; }

    /// <summary>The full effective policy document (see docs/policies.md).</summary>
    public JsonElement Policy { get; init; }
    /// <summary>When the license was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A new license; <see cref="Policy"/> is a policy document (null: the default policy).</summary>
/// <param name="TenantId">The tenant the license is for.</param>
/// <param name="Product">The product it licenses.</param>
/// <param name="Seats">How many seats may be held at once (at least 1).</param>
public sealed record NewLicense(string TenantId, string Product, int Seats)
{
    /// <summary>The policy document (see docs/policies.md); null: the default policy.</summary>
    public JsonElement? Policy { get; init; }
    /// <summary>When the license starts; null: at once.</summary>
    public DateTimeOffset? StartsAt { get; init; }
    /// <summary>When the license ends; null: never.</summary>
    public DateTimeOffset? EndsAt { get; init; }
}

/// <summary>A change to a license: whatever is left null stays as it is.</summary>
public sealed record LicenseChanges
{
    /// <summary>The new seat count; null: unchanged.</summary>
    public int? Seats { get; init; }
    /// <summary>A new policy document, which raises <see cref="LicenseInfo.PolicyVersion"/>; null: unchanged.</summary>
    public JsonElement? Policy { get; init; }
    /// <summary>A new start; null: unchanged.</summary>
    public DateTimeOffset? StartsAt { get; init; }
    /// <summary>A new end (a later one is a renewal); null: unchanged.</summary>
    public DateTimeOffset? EndsAt { get; init; }
}

/// <summary>An installation of a company license: its share (<see cref="Seats"/>) and what it may be using now (<see cref="SeatsInForce"/>).</summary>
/// <param name="Id">The installation's id.</param>
/// <param name="TenantId">The tenant of its license.</param>
/// <param name="LicenseId">The company license it has a share of.</param>
/// <param name="Name">Its name (the site or server it runs on).</param>
/// <param name="Fingerprint">The fingerprint of the machine it was registered for.</param>
/// <param name="Seats">Its share of the license's seats.</param>
/// <param name="SeatsInForce">What it may be using now: more than <paramref name="Seats"/> while it still holds an older, larger file.</param>
/// <param name="TakenSerial">The serial of the newest license file it has taken (fetched).</param>
/// <param name="LatestSerial">The serial of the newest file issued for it; null when none was.</param>
/// <param name="FileUsableUntil">Until when the newest file issued for it works without a newer one; null when none was issued.</param>
/// <param name="LastContactAt">When it last fetched a file; null if never.</param>
/// <param name="CreatedAt">When it was registered.</param>
public sealed record InstallationInfo(string Id, string TenantId, string LicenseId, string Name, string Fingerprint, int Seats, int SeatsInForce,
    long TakenSerial, long? LatestSerial, DateTimeOffset? FileUsableUntil, DateTimeOffset? LastContactAt, DateTimeOffset CreatedAt)
{
    /// <summary>The installation's key (LEASEHOLD_INSTALLATION_KEY on its machine): only in the answers that make one.</summary>
    public string? InstallationKey { get; init; }
}

/// <summary>What a license file grants, as an installation-mode server shows it.</summary>
/// <param name="Serial">The file's serial (each new file for an installation has a higher one).</param>
/// <param name="Seats">The seats it grants.</param>
/// <param name="EndsAt">The license's end it carries; null: none.</param>
/// <param name="RefreshBy">When the installation should fetch a new file.</param>
/// <param name="UsableUntil">When the file stops working if no new one was fetched.</param>
public sealed record LicenseFileSummary(long Serial, int Seats, DateTimeOffset? EndsAt, DateTimeOffset RefreshBy, DateTimeOffset UsableUntil);

/// <summary>One attempt of an installation to fetch a new file: by hand or by itself; <see cref="Code"/> is null when it took one.</summary>
/// <param name="At">When it tried.</param>
/// <param name="Automatic">True when the server tried by itself, false for the Update button.</param>
/// <param name="Code">Why it failed (<c>issuer_unreachable</c>, ...); null when it took a new file.</param>
/// <param name="Message">What happened, for people.</param>
public sealed record RenewalAttemptInfo(DateTimeOffset At, bool Automatic, string? Code, string Message);

/// <summary>An installation-mode server's own license: the file it runs on, when it renews by itself, and how the last attempt went.</summary>
/// <param name="InstallationId">This installation's id at the issuer.</param>
/// <param name="TenantId">The tenant of the license.</param>
/// <param name="LicenseId">The company license it runs a share of.</param>
/// <param name="Product">The licensed product.</param>
/// <param name="File">The license file in force.</param>
/// <param name="RenewFrom">From when it fetches a new file by itself.</param>
/// <param name="Issuer">The issuing server it renews from; null when not configured.</param>
/// <param name="NextAttemptAt">When it tries next by itself; null when no attempt is planned.</param>
/// <param name="LastAttempt">How the last attempt went; null before the first.</param>
/// <param name="ClockMovedBack">True when the machine's clock was seen set back (the file is then judged by the latest time seen).</param>
/// <param name="LatestSeen">The latest time the server has seen, which a set-back clock cannot undo.</param>
public sealed record InstallationStatus(string InstallationId, string TenantId, string LicenseId, string Product, LicenseFileSummary File,
    DateTimeOffset RenewFrom, Uri? Issuer, DateTimeOffset? NextAttemptAt, RenewalAttemptInfo? LastAttempt, bool ClockMovedBack, DateTimeOffset LatestSeen);

/// <summary>What Update did on an installation-mode server: which of <c>seats</c>, <c>endsAt</c>, <c>usableUntil</c> changed.</summary>
/// <param name="Changed">Which of <c>seats</c>, <c>endsAt</c>, <c>usableUntil</c> the new file changed (empty: the same terms).</param>
/// <param name="Before">The file before.</param>
/// <param name="After">The file now.</param>
public sealed record InstallationUpdate(IReadOnlyList<string> Changed, LicenseFileSummary Before, LicenseFileSummary After);

/// <summary>A signed license file for an installation; <see cref="LicenseFile"/> is the file itself.</summary>
/// <param name="InstallationId">The installation it is for.</param>
/// <param name="Serial">Its serial.</param>
/// <param name="Seats">The seats it grants.</param>
/// <param name="EndsAt">The license's end; null: none.</param>
/// <param name="RefreshBy">When the installation should fetch the next one.</param>
/// <param name="UsableUntil">When it stops working if no newer file was fetched.</param>
/// <param name="KeyId">The id of the signing key that signed it.</param>
/// <param name="LicenseFile">The signed file itself, to hand to the installation.</param>
public sealed record LicenseFileInfo(string InstallationId, long Serial, int Seats, DateTimeOffset? EndsAt, DateTimeOffset RefreshBy,
    DateTimeOffset UsableUntil, string KeyId, string LicenseFile);

/// <summary>A key the server signs license files with; <see cref="PublicKey"/> is its public half as a JWK (the private half never leaves the server).</summary>
/// <param name="Id">The key's id (its RFC 7638 thumbprint).</param>
/// <param name="Signing">True for the one key that signs now.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="RetiredAt">When a newer key replaced it (it is still published, so files it signed verify); null while it signs.</param>
/// <param name="PublicKey">Its public half as a JWK.</param>
public sealed record SigningKeyInfo(string Id, bool Signing, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt, JsonElement PublicKey);

/// <summary>An API key; <see cref="Key"/> (the secret) is only set in the answer that creates it.</summary>
/// <param name="Id">The key's id (not its secret).</param>
/// <param name="TenantId">The tenant it belongs to; null for an <c>operator</c> key.</param>
/// <param name="Role"><c>operator</c>, <c>admin</c> or <c>client</c>.</param>
/// <param name="Name">What it is for, as its creator named it.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="RevokedAt">When it was revoked (it stopped working then); null while it works.</param>
/// <param name="Key">The secret, only in the answer that creates it; null everywhere else.</param>
public sealed record ApiKeyInfo(string Id, string? TenantId, string Role, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? Key);

/// <param name="User">Its user: the only one who may use it without its shared e-mail (named by an admin, or the first to sign in on it).</param>
/// <summary>A connection: a shared access credential of a tenant, with the access plan that says when it is open.</summary>
/// <param name="Id">The connection's id.</param>
/// <param name="TenantId">The tenant it belongs to.</param>
/// <param name="Name">Its name.</param>
/// <param name="Email">The shared e-mail with which users may share it (a takeover); null: nobody shares it.</param>
/// <param name="AccessPlan">When it is open: <c>"always"</c>, <c>"business-hours"</c> or a plan document.</param>
/// <param name="OpenNow">Whether it is open now.</param>
/// <param name="OpensAt">When it opens next, while closed; null otherwise.</param>
/// <param name="ClosesAt">When it closes next, while open; null when it never closes.</param>
/// <param name="CreatedAt">When it was made.</param>
public sealed record ConnectionInfo(string Id, string TenantId, string Name, string? Email, JsonElement AccessPlan,
    bool OpenNow, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, DateTimeOffset CreatedAt, string? User = null);

/// <summary>A user an admin stopped: their checkouts on the license are refused (<c>stopped_recently</c>) until <see cref="Until"/>.</summary>
/// <param name="LicenseId">The license the user is kept out of.</param>
/// <param name="User">The stopped user.</param>
/// <param name="Since">When the stop was.</param>
/// <param name="Until">When the cool-down ends.</param>
/// <param name="SessionId">The session that was stopped.</param>
/// <param name="StoppedBy">The id of the API key that stopped it; null when unknown.</param>
public sealed record CoolDownInfo(string LicenseId, string User, DateTimeOffset Since, DateTimeOffset Until, string SessionId, string? StoppedBy);

/// <summary>
/// A place in a license's waiting line as an admin sees it (docs/waiting-line.md): who waits, since when, for which license,
/// and where they stand. Never carries the entry's secret token (only the joining checkout's answer does).
/// </summary>
public sealed record WaitingEntry
{
    /// <summary>The entry's id (<c>wait_...</c>).</summary>
    public string Id { get; init; } = "";
    /// <summary>The tenant of the license waited for.</summary>
    public string TenantId { get; init; } = "";
    /// <summary>The license waited for.</summary>
    public string LicenseId { get; init; } = "";
    /// <summary>The user who waits.</summary>
    public string User { get; init; } = "";
    /// <summary>The device the waiting checkout named.</summary>
    public string Device { get; init; } = "";
    /// <summary>The client type the checkout was made under (<c>desktop</c>, <c>web</c>, ...).</summary>
    public string Client { get; init; } = "";
    /// <summary>How many seats it waits for (the client type's <c>seats</c>, usually 1).</summary>
    public int Seats { get; init; }

    /// <summary><c>waiting</c>; <c>offered</c> (a seat is held for it until <see cref="OfferExpiresAt"/>, for its application to take); or <c>ended</c>.</summary>
    public string Status { get; init; } = "";
    /// <summary>Its place in its license's line: 1 is next (null once it ended).</summary>
    public int? Position { get; init; }
    /// <summary>The wait the license's recent seat turnover suggests for this position, in seconds; null when nothing ended lately or it is not waiting.</summary>
    public int? EstimatedWaitSeconds { get; init; }
    /// <summary>When it joined the line (server time, UTC).</summary>
    public DateTimeOffset JoinedAt { get; init; }
    /// <summary>When the server last heard from its application.</summary>
    public DateTimeOffset LastHeartbeatAt { get; init; }
    /// <summary>The end of the wait its application asked for (cut to the policy's longest wait): still waiting then, it ends <c>timed_out</c>.</summary>
    public DateTimeOffset WaitUntil { get; init; }
    /// <summary>When it ends unless its application heartbeats first (its client type's TTL after the last heartbeat).</summary>
    public DateTimeOffset ExpiresAt { get; init; }
    /// <summary>Until when a seat is held for it, while <see cref="Status"/> is <c>offered</c>; null otherwise.</summary>
    public DateTimeOffset? OfferExpiresAt { get; init; }
    /// <summary>How often its application should heartbeat, as for a session of its client type.</summary>
    public int HeartbeatIntervalSeconds { get; init; }
    /// <summary>When it ended; null while it is open.</summary>
    public DateTimeOffset? EndedAt { get; init; }
    /// <summary>Why it ended (<c>granted</c>, <c>left</c>, <c>expired</c>, <c>timed_out</c>, <c>offer_lapsed</c>, ...); null while it is open.</summary>
    public string? EndReason { get; init; }
    /// <summary>The session it becomes when it takes its seat (the same id once granted).</summary>
    public string SessionId { get; init; } = "";
}
