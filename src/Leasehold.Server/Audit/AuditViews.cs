using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Access;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tenants;
using Leasehold.Server.Auth;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Audit;

/// <summary>
/// The audit records of each kind of change: its action name (stable: clients filter by it) and what
/// the target looked like before and after. A view never carries a secret or a secret's hash.
/// </summary>
internal static class AuditViews
{
    public const string TenantCreated = "tenant.created";
    public const string LicenseCreated = "license.created";
    public const string LicenseSeatsChanged = "license.seats_changed";
    public const string LicenseDatesChanged = "license.dates_changed";
    public const string LicensePolicyChanged = "license.policy_changed";
    public const string LicensePlanChanged = "license.plan_changed";
    public const string KeyCreated = "key.created";
    public const string KeyRevoked = "key.revoked";
    public const string ConnectionCreated = "connection.created";
    public const string ConnectionUpdated = "connection.updated";
    public const string ConnectionDeleted = "connection.deleted";
    public const string SessionStopped = "session.stopped";
    public const string CoolDownLifted = "cool_down.lifted";
    public const string WaitRemoved = "wait.removed";
    public const string ConsoleSignedIn = "console.signed_in";
    public const string ConsoleSignedOut = "console.signed_out";

    /// <summary>Every action the server records, for the documentation and the API's filter.</summary>
    public static readonly IReadOnlyList<string> Actions =
    [
        TenantCreated, LicenseCreated, LicenseSeatsChanged, LicenseDatesChanged, LicensePolicyChanged, LicensePlanChanged,
        KeyCreated, KeyRevoked, ConnectionCreated, ConnectionUpdated, ConnectionDeleted, SessionStopped, CoolDownLifted, WaitRemoved, ConsoleSignedIn, ConsoleSignedOut,
    ];

    public static AuditEntry Tenant(Caller by, DateTimeOffset at, Tenant t) =>
        new(by.Actor, at, t.Id, TenantCreated, "tenant", t.Id, null, new { t.Id, t.Name, t.TimeZone });

    public static AuditEntry LicenseCreation(Caller by, DateTimeOffset at, License l) =>
        new(by.Actor, at, l.TenantId, LicenseCreated, "license", l.Id, null, new
        {
            l.Id, l.TenantId, l.Product, l.Seats, l.StartsAt, l.EndsAt, l.PolicyVersion, Policy = PolicyDocument.From(l.Policy),
        });

    /// <summary>One record per aspect of a license that changed (seats, dates, policy, its plan); none when nothing did.</summary>
    public static IReadOnlyList<AuditEntry> LicenseChanges(Caller by, DateTimeOffset at, License before, License after)
    {
        var entries = new List<AuditEntry>();
        AuditEntry Of(string action, object was, object now) => new(by.Actor, at, after.TenantId, action, "license", after.Id, was, now);
        if (before.Seats != after.Seats)
            entries.Add(Of(LicenseSeatsChanged, new { before.Seats }, new { after.Seats }));
        if (before.StartsAt != after.StartsAt || before.EndsAt != after.EndsAt)
            entries.Add(Of(LicenseDatesChanged, new { before.StartsAt, before.EndsAt }, new { after.StartsAt, after.EndsAt }));
        if (before.PolicyVersion != after.PolicyVersion)
        {
            var (was, now) = (PolicyDocument.From(before.Policy), PolicyDocument.From(after.Policy));
            entries.Add(Of(LicensePolicyChanged, new { before.PolicyVersion, Policy = was }, new { after.PolicyVersion, Policy = now }));
            if (JsonSerializer.Serialize(was.Plan, StoredJson.Options) != JsonSerializer.Serialize(now.Plan, StoredJson.Options))
                entries.Add(Of(LicensePlanChanged, new { was.Plan }, new { now.Plan }));
        }
        return entries;
    }

    public static AuditEntry KeyCreation(Caller by, DateTimeOffset at, ApiKey k) =>
        new(by.Actor, at, k.TenantId, KeyCreated, "key", k.Id, null, Key(k));

    public static AuditEntry KeyRevocation(AuditActor by, ApiKey revoked) =>
        new(by, revoked.RevokedAt!.Value, revoked.TenantId, KeyRevoked, "key", revoked.Id, Key(revoked with { RevokedAt = null }), Key(revoked));

    public static AuditEntry ConnectionCreation(Caller by, DateTimeOffset at, Connection c) =>
        new(by.Actor, at, c.TenantId, ConnectionCreated, "connection", c.Id, null, Connection(c));

    public static AuditEntry ConnectionChange(Caller by, DateTimeOffset at, Connection before, Connection after) =>
        new(by.Actor, at, after.TenantId, ConnectionUpdated, "connection", after.Id, Connection(before), Connection(after));

    public static AuditEntry ConnectionRemoval(Caller by, DateTimeOffset at, Connection c) =>
        new(by.Actor, at, c.TenantId, ConnectionDeleted, "connection", c.Id, Connection(c), null);

    /// <summary>An admin's stop: recorded only when it ended the session (not on a session already ended, nor a borrowed one).</summary>
    public static IReadOnlyList<AuditEntry> Stop(Caller by, DateTimeOffset at, SessionOutcome outcome)
    {
        if (!outcome.EndedNow)
            return [];
        var s = outcome.Session;
        return
        [
            new(by.Actor, at, s.TenantId, SessionStopped, "session", s.Id,
                new { s.Id, s.LicenseId, s.User, s.Device, s.Client, Status = "active" },
                new { s.Id, Status = "ended", EndReason = s.EndReason is { } reason ? Codes.Of(reason) : null, s.EndedAt }),
        ];
    }

    /// <summary>An admin removed someone from a license's waiting line (the entry ended <c>left</c>, by the admin rather than its client).</summary>
    public static AuditEntry WaitRemoval(Caller by, DateTimeOffset at, Core.Queue.WaitEntry e) =>
        new(by.Actor, at, e.TenantId, WaitRemoved, "wait", e.Id,
            new { e.Id, e.LicenseId, e.Request.User, e.Request.Device, e.Client, e.JoinedAt },
            new { e.Id, Status = "ended", EndReason = "left", e.EndedAt });

    /// <summary>An admin let a stopped user in again before their cool-down ended: recorded when one was lifted (a lift of nothing changes nothing).</summary>
    public static IReadOnlyList<AuditEntry> CoolDownLift(Caller by, DateTimeOffset at, LiftedCoolDowns lifted) =>
        lifted.Lifted.MaxBy(c => c.Until) is { } last
            ? [new(by.Actor, at, last.TenantId, CoolDownLifted, "cool_down", last.LicenseId,
                new { last.LicenseId, last.User, last.Until, StoppedSession = last.SessionId },
                new { last.LicenseId, last.User, last.LiftedAt })]
            : [];

    /// <summary>A person signed in to the console (or out) with an API key: recorded in the key's tenant's chain (the operator's: none).</summary>
    public static AuditEntry Console(Caller by, DateTimeOffset at, bool signedIn) =>
        new(by.Actor, at, by.TenantId, signedIn ? ConsoleSignedIn : ConsoleSignedOut, "console", by.KeyId, null, null);

    private static object Key(ApiKey k) => new { k.Id, k.TenantId, Role = k.Role.ToString().ToLowerInvariant(), k.Name, k.CreatedAt, k.RevokedAt };

    private static object Connection(Connection c) => new { c.Id, c.TenantId, c.Name, c.Email, c.User, AccessPlan = AccessPlanDocument.From(c.AccessPlan) };
}
