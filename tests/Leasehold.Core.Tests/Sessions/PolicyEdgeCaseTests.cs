using Leasehold.Core.Access;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tests.Support;
using static Leasehold.Core.Tests.Support.GivenPolicy;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>Edge cases found in review: reservations in soft mode, license cuts and renewals, warn-mode windows.</summary>
public sealed class PolicyEdgeCaseTests
{
    [Fact]
    public void SoftMode_KeepsReservedSeatsForTheirGroup_WithinTheOverageCap()
    {
        var policy = Rules() with { Limit = Soft(overageCount: 0), Reservations = [Reserve("support", 2, "sam", "sue")] };
        var license = License(5, policy);
        var ledger = Given.Ledger(license, HeldBy(license, Monday0900, "u1", "u2", "u3"));

        var dave = SeatDecision.Checkout(ledger, Request(user: "dave"), Monday0900).Result;
        var sam = SeatDecision.Checkout(ledger, Request(user: "sam"), Monday0900).Result;

        dave.ShouldBeOfType<CheckoutResult.Denied>();
        sam.ShouldBeOfType<CheckoutResult.Admitted>().Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Heartbeat_WithALicenseCutShort_EndsTheSessionNoEarlierThanItsLastHeartbeat()
    {
        var license = License(2, Rules());
        var session = Given.Holder(license, "ses_a", "alice", Monday0900);
        var cut = license with { EndsAt = Utc(2026, 1, 1, 0) };

        var decided = SessionLifecycle.Heartbeat(session, active: true, Monday0900.AddMinutes(2), new SessionContext(cut, Berlin, null));

        decided.Result.Session.EndReason.ShouldBe(EndReason.LicenseExpired);
        decided.Result.Session.EndedAt.ShouldBe(Monday0900);
    }

    [Fact]
    public void Heartbeat_AfterTheStoredLicenseEnd_IsNotRevivedByARenewal()
    {
        var license = License(2, Rules()) with { EndsAt = Monday0900.AddMinutes(3) };
        var session = Given.Holder(license, "ses_a", "alice", Monday0900) with
        {
            LastHeartbeatAt = Monday0900.AddMinutes(2),
            LastActivityAt = Monday0900.AddMinutes(2),
            LicenseEndsAt = Monday0900.AddMinutes(3),
        };
        var renewed = license with { EndsAt = Monday0900.AddYears(1) };

        var decided = SessionLifecycle.Heartbeat(session, active: true, Monday0900.AddMinutes(4), new SessionContext(renewed, Berlin, null));

        decided.Result.Session.EndReason.ShouldBe(EndReason.LicenseExpired);
        decided.Result.Session.EndedAt.ShouldBe(Monday0900.AddMinutes(3));
    }

    [Fact]
    public void FollowLicense_MovesTheEndOfLiveSessions_AndLeavesDueOnesAlone()
    {
        var license = License(2, Rules()) with { EndsAt = Monday0900.AddDays(1) };
        var live = Given.Holder(license, "ses_live", "alice", Monday0900) with { LicenseEndsAt = license.RefusesFrom };
        var due = Given.Holder(license, "ses_due", "bob", Monday0900.AddHours(-1)) with { LicenseEndsAt = license.RefusesFrom };
        var renewed = license with { EndsAt = Monday0900.AddDays(30) };

        var changes = SessionLifecycle.FollowLicense([live, due], renewed, Monday0900.AddMinutes(1));

        changes.Sessions.ShouldHaveSingleItem().Id.ShouldBe("ses_live");
        changes.Sessions[0].LicenseEndsAt.ShouldBe(Monday0900.AddDays(30));
    }

    [Fact]
    public void GraceWarning_StatesTheEndInUtc_WhateverOffsetTheDateWasGivenIn()
    {
        var policy = Rules() with { Expiry = new ExpiryPolicy(GraceDays: 3, WarnDays: 14) };
        var license = License(2, policy) with { EndsAt = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(5)) };

        var warning = LicenseWarnings.At(license, Monday0900).ShouldHaveSingleItem();

        warning.Code.ShouldBe(Codes.LicenseInGrace);
        warning.Message.ShouldContain("2026-03-03 19:00 UTC");
        warning.Message.ShouldContain("2026-02-28");
    }

    [Fact]
    public void WarnMode_WarnsWhileTheWindowIsClosed_AndStopsOnceItOpensAgain()
    {
        var policy = Given.Policy(SeatKey.Session, Given.ClientType("desktop", ttl: TimeSpan.FromDays(2)) with { IdleTimeout = null }) with
        {
            Connections = new ConnectionPolicy(Required: true, WindowCloseAction.Warn),
        };
        var license = License(2, policy);
        var connection = Connection(plan: AccessPlan.BusinessHours);
        var ledger = Given.Ledger(license) with { TimeZone = Berlin, Connection = connection };
        var session = SeatDecision.Checkout(ledger, Request(connectionId: connection.Id), Monday0900).Result
            .ShouldBeOfType<CheckoutResult.Admitted>().Session;
        var context = new SessionContext(license, Berlin, connection);

        // Monday 19:30 Berlin (18:30 UTC): closed, still alive, warned.
        var evening = SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 18, 30), context).Result;
        evening.Session.IsActive.ShouldBeTrue();
        evening.Warnings.ShouldContain(w => w.Code == Codes.AccessWindowClosed);

        // Tuesday 10:00 Berlin (09:00 UTC): open again, no warning; the next close is Tuesday 19:00 Berlin.
        var morning = SessionLifecycle.Heartbeat(evening.Session, active: true, Utc(2026, 3, 3, 9, 0), context).Result;
        morning.Warnings.ShouldBeEmpty();
        morning.Session.WindowClosesAt.ShouldBe(Utc(2026, 3, 3, 18, 0));
    }
}
