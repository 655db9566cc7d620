using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using static Leasehold.Core.Tests.Support.GivenPolicy;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>License dates: start and end dates, grace days, warnings before the end, and open sessions ending with the license.</summary>
public class ExpiryTests
{
    // Monday 2 March 2026, 09:00 UTC.
    private static readonly DateTimeOffset Now = Monday0900;

    private static License LicenseWith(int graceDays = 0, int warnDays = 14, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null) =>
        License(5, Rules() with { Expiry = new ExpiryPolicy(graceDays, warnDays) }) with { StartsAt = startsAt, EndsAt = endsAt };

    private static Decided<CheckoutResult> Checkout(License license, DateTimeOffset? at = null, string user = "alice") =>
        SeatDecision.Checkout(new LicenseLedger(license, []), Request(user: user), at ?? Now);

    private static License NamingAlice(License license) => license with { Policy = license.Policy with { NamedUsers = Users("alice") } };

    // ---- Start date ----

    [Fact]
    public void BeforeTheStartDate_IsDeniedAsNotStarted()
    {
        var decided = Checkout(LicenseWith(startsAt: Utc(2026, 3, 3, 9)));

        decided.Result.ShouldBe(new CheckoutResult.Denied("license_not_started", "This license starts on 2026-03-03.", SeatsInUse: 0, Seats: 5));
        var denied = decided.Changes.Events.Single();
        denied.Kind.ShouldBe(UsageKind.Denied);
        denied.Code.ShouldBe("license_not_started");
    }

    [Fact]
    public void AtTheStartDate_IsAdmitted()
    {
        Checkout(LicenseWith(startsAt: Now)).Result.ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void BeforeTheStartDate_EvenANamedUserIsDenied()
    {
        var license = NamingAlice(LicenseWith(startsAt: Utc(2026, 3, 3, 9)));

        Checkout(license).Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("license_not_started");
    }

    // ---- End date and grace ----

    [Fact]
    public void AfterTheEndDateWithoutGrace_IsDeniedAsExpired()
    {
        var decided = Checkout(LicenseWith(endsAt: Utc(2026, 3, 1, 9)));

        decided.Result.ShouldBe(new CheckoutResult.Denied(
            "license_expired", "This license ended on 2026-03-01. Ask your administrator to renew it.", SeatsInUse: 0, Seats: 5));
        decided.Changes.Events.Single().Code.ShouldBe("license_expired");
    }

    [Fact]
    public void AtTheEndDateWithoutGrace_IsDeniedAsExpired()
    {
        Checkout(LicenseWith(endsAt: Now)).Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("license_expired");
    }

    [Fact]
    public void AMinuteBeforeTheEndDate_IsAdmittedWithAWarningOfOneDay()
    {
        var admitted = Checkout(LicenseWith(endsAt: Now.AddMinutes(1))).Result.ShouldBeOfType<CheckoutResult.Admitted>();

        admitted.Warnings.ShouldBe([new Warning("license_expiring", "The license ends on 2026-03-02 (in 1 day). Ask your administrator to renew it.")]);
        admitted.Session.LicenseEndsAt.ShouldBe(Utc(2026, 3, 2, 9, 1));
    }

    [Fact]
    public void InsideTheGraceDays_IsAdmittedWithAGraceWarning()
    {
        // Ended Sunday 09:00; 3 grace days run to Wednesday 09:00.
        var admitted = Checkout(LicenseWith(graceDays: 3, endsAt: Utc(2026, 3, 1, 9))).Result.ShouldBeOfType<CheckoutResult.Admitted>();

        admitted.Warnings.ShouldBe([new Warning("license_in_grace",
            "The license ended on 2026-03-01. It keeps working until 2026-03-04 09:00 UTC; ask your administrator to renew it.")]);
        admitted.Session.LicenseEndsAt.ShouldBe(Utc(2026, 3, 4, 9));
    }

    [Fact]
    public void AtTheEndDateWithGrace_IsAdmittedInGrace()
    {
        Checkout(LicenseWith(graceDays: 1, endsAt: Now)).Result.ShouldBeOfType<CheckoutResult.Admitted>()
            .Warnings.Single().Code.ShouldBe("license_in_grace");
    }

    [Fact]
    public void AtTheEndOfTheGraceDays_IsDeniedAsExpired()
    {
        // Ended Friday 27 February 09:00; 3 grace days end exactly now.
        var denied = Checkout(LicenseWith(graceDays: 3, endsAt: Utc(2026, 2, 27, 9))).Result.ShouldBeOfType<CheckoutResult.Denied>();

        denied.Code.ShouldBe("license_expired");
        denied.Message.ShouldBe("This license ended on 2026-02-27. Ask your administrator to renew it.");
    }

    [Fact]
    public void AMinuteBeforeTheEndOfTheGraceDays_IsStillAdmitted()
    {
        Checkout(LicenseWith(graceDays: 3, endsAt: Utc(2026, 2, 27, 9, 1))).Result.ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void AfterTheEndDate_EvenANamedUserIsDenied()
    {
        var license = NamingAlice(LicenseWith(endsAt: Utc(2026, 3, 1, 9)));

        Checkout(license).Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("license_expired");
    }

    [Fact]
    public void AfterTheEndDate_TheClientTypesOwnTextIsShown()
    {
        var license = LicenseWith(endsAt: Utc(2026, 3, 1, 9));
        var desktop = license.Policy.ClientTypes["desktop"] with
        {
            Messages = new Dictionary<string, string> { ["license_expired"] = "Your subscription has ended." },
        };
        license = license with
        {
            Policy = license.Policy with
            {
                ClientTypes = new Dictionary<string, ClientTypePolicy>(StringComparer.OrdinalIgnoreCase) { ["desktop"] = desktop },
            },
        };

        var denied = Checkout(license).Result.ShouldBeOfType<CheckoutResult.Denied>();

        denied.Code.ShouldBe("license_expired");
        denied.Message.ShouldBe("Your subscription has ended.");
    }

    [Fact]
    public void RefusesFrom_IsTheEndDatePlusTheGraceDays()
    {
        LicenseWith(graceDays: 10, endsAt: Utc(2026, 3, 1, 9)).RefusesFrom.ShouldBe(Utc(2026, 3, 11, 9));
        LicenseWith(graceDays: 10).RefusesFrom.ShouldBeNull();
    }

    // ---- Warnings before the end ----

    [Fact]
    public void WithinTheWarnDays_IsAdmittedWithAnExpiringWarning()
    {
        var admitted = Checkout(LicenseWith(warnDays: 14, endsAt: Utc(2026, 3, 12, 9))).Result.ShouldBeOfType<CheckoutResult.Admitted>();

        admitted.Warnings.ShouldBe([new Warning("license_expiring", "The license ends on 2026-03-12 (in 10 days). Ask your administrator to renew it.")]);
    }

    [Fact]
    public void ExactlyTheWarnDaysBeforeTheEnd_Warns()
    {
        Checkout(LicenseWith(warnDays: 14, endsAt: Utc(2026, 3, 16, 9))).Result.ShouldBeOfType<CheckoutResult.Admitted>()
            .Warnings.Single().Message.ShouldContain("(in 14 days)");
    }

    [Fact]
    public void MoreThanTheWarnDaysBeforeTheEnd_DoesNotWarn()
    {
        Checkout(LicenseWith(warnDays: 14, endsAt: Utc(2026, 3, 16, 9, 1))).Result.ShouldBeOfType<CheckoutResult.Admitted>()
            .Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void APartDayLeft_CountsAsAWholeDay()
    {
        // 36 hours before the end: Tuesday 3 March 21:00 UTC.
        Checkout(LicenseWith(endsAt: Utc(2026, 3, 3, 21))).Result.ShouldBeOfType<CheckoutResult.Admitted>()
            .Warnings.ShouldBe([new Warning("license_expiring", "The license ends on 2026-03-03 (in 2 days). Ask your administrator to renew it.")]);
    }

    [Fact]
    public void WarnDaysZero_DoesNotWarnEvenAnHourBeforeTheEnd()
    {
        Checkout(LicenseWith(warnDays: 0, endsAt: Now.AddHours(1))).Result.ShouldBeOfType<CheckoutResult.Admitted>()
            .Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void WithoutAnEndDate_SessionsHaveNoLicenseEndAndNoWarnings()
    {
        var admitted = Checkout(LicenseWith()).Result.ShouldBeOfType<CheckoutResult.Admitted>();

        admitted.Session.LicenseEndsAt.ShouldBeNull();
        admitted.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Check_AfterTheEndDate_FailsAsExpired()
    {
        var answered = SeatDecision.Check(new LicenseLedger(LicenseWith(endsAt: Utc(2026, 3, 1, 9)), []), new CheckRequest("alice", "desktop"), Now)
            .Result.ShouldBeOfType<CheckResult.Answered>();

        answered.Pass.ShouldBeFalse();
        answered.Code.ShouldBe("license_expired");
        answered.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Check_InsideTheGraceDays_PassesWithTheGraceWarning()
    {
        var answered = SeatDecision.Check(new LicenseLedger(LicenseWith(graceDays: 3, endsAt: Utc(2026, 3, 1, 9)), []), new CheckRequest("alice", "desktop"), Now)
            .Result.ShouldBeOfType<CheckResult.Answered>();

        answered.Pass.ShouldBeTrue();
        answered.Warnings.Single().Code.ShouldBe("license_in_grace");
    }

    // ---- Open sessions end with the license ----
    // The license ends at 11:00 UTC without grace; desktop sessions live 5 minutes per heartbeat.

    private static readonly DateTimeOffset Eleven = Utc(2026, 3, 2, 11);

    private static Session AdmittedUntilEleven(out License license)
    {
        license = LicenseWith(endsAt: Eleven);
        return Checkout(license).Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;
    }

    private static Session KeptAliveUntil(Session session, DateTimeOffset until)
    {
        for (var at = Now.AddMinutes(2); at <= until; at = at.AddMinutes(2))
            session = SessionLifecycle.Heartbeat(session, active: true, at).Result.Session;
        return session;
    }

    [Fact]
    public void OpenSession_CarriesTheMomentTheLicenseStopsAdmitting()
    {
        AdmittedUntilEleven(out _).LicenseEndsAt.ShouldBe(Eleven);
    }

    [Fact]
    public void OpenSession_IsDueToEndAsLicenseExpiredAtTheLicenseEnd()
    {
        var session = KeptAliveUntil(AdmittedUntilEleven(out _), Utc(2026, 3, 2, 10, 58));

        session.IsActive.ShouldBeTrue();
        session.DueEnd(Utc(2026, 3, 2, 10, 59)).ShouldBeNull();
        session.NextEnd.ShouldBe((EndReason.LicenseExpired, Eleven));
        session.DueEnd(Eleven).ShouldBe((EndReason.LicenseExpired, Eleven));
    }

    [Fact]
    public void OpenSession_AHeartbeatAfterTheLicenseEnd_EndsItAsLicenseExpiredAtTheEnd()
    {
        var session = KeptAliveUntil(AdmittedUntilEleven(out _), Utc(2026, 3, 2, 10, 58));

        var decided = SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 11, 2));

        decided.Result.EndedNow.ShouldBeTrue();
        decided.Result.Session.EndReason.ShouldBe(EndReason.LicenseExpired);
        decided.Result.Session.EndedAt.ShouldBe(Eleven);
        var ended = decided.Changes.Events.Single();
        ended.Kind.ShouldBe(UsageKind.Ended);
        ended.Code.ShouldBe("license_expired");
        ended.At.ShouldBe(Eleven);
    }

    [Fact]
    public void OpenSession_TheReaperEndsItAtTheLicenseEnd()
    {
        var session = KeptAliveUntil(AdmittedUntilEleven(out _), Utc(2026, 3, 2, 10, 58));

        var reaped = SessionLifecycle.Reap(session, Eleven).Result;

        reaped.EndedNow.ShouldBeTrue();
        reaped.Session.EndReason.ShouldBe(EndReason.LicenseExpired);
    }

    [Fact]
    public void Checkout_SweepsAHolderPastItsOwnLicenseEndAsLicenseExpired_FreeingItsSeat()
    {
        // bob's session was opened under a license that stopped admitting at 08:59; his TTL runs to 09:03.
        var license = License(1, Rules());
        var holder = HeldBy(license, Utc(2026, 3, 2, 8, 58), "bob")[0] with { LicenseEndsAt = Utc(2026, 3, 2, 8, 59) };

        var decided = SeatDecision.Checkout(new LicenseLedger(license, [holder]), Request(), Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(1);
        var swept = decided.Changes.Sessions.Single(s => s.Id == holder.Id);
        swept.EndReason.ShouldBe(EndReason.LicenseExpired);
        swept.EndedAt.ShouldBe(Utc(2026, 3, 2, 8, 59));
        decided.Changes.Events[0].Code.ShouldBe("license_expired");
    }

    [Fact]
    public void Heartbeat_WithARenewedLicense_MovesTheSessionsLicenseEnd()
    {
        var session = AdmittedUntilEleven(out var license);
        var renewed = license with { EndsAt = Utc(2026, 4, 1, 9) };

        var state = SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 9, 2), new SessionContext(renewed, "UTC", null)).Result;

        state.EndedNow.ShouldBeFalse();
        state.Session.LicenseEndsAt.ShouldBe(Utc(2026, 4, 1, 9));
        state.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Heartbeat_WithARenewedLicense_KeepsTheSessionAlivePastTheOldEnd()
    {
        var session = KeptAliveUntil(AdmittedUntilEleven(out var license), Utc(2026, 3, 2, 10, 56));
        var renewed = license with { EndsAt = Utc(2026, 4, 1, 9) };
        session = SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 10, 58), new SessionContext(renewed, "UTC", null)).Result.Session;

        var state = SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 11, 2)).Result;

        state.EndedNow.ShouldBeFalse();
        state.Session.IsActive.ShouldBeTrue();
        state.Session.DueEnd(Utc(2026, 3, 2, 11, 6)).ShouldBeNull();
    }

    [Fact]
    public void Heartbeat_WithGrace_MovesTheLicenseEndByTheGraceDays()
    {
        var session = AdmittedUntilEleven(out var license);
        var withGrace = license with { Policy = license.Policy with { Expiry = new ExpiryPolicy(2, 14) } };

        SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 9, 2), new SessionContext(withGrace, "UTC", null))
            .Result.Session.LicenseEndsAt.ShouldBe(Utc(2026, 3, 4, 11));
    }

    [Fact]
    public void Heartbeat_WithoutALicense_LeavesTheLicenseEndAndGivesNoWarnings()
    {
        var session = AdmittedUntilEleven(out _);

        var state = SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 9, 2)).Result;

        state.Session.LicenseEndsAt.ShouldBe(Eleven);
        state.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Heartbeat_WithTheLicenseEndingSoon_WarnsThatItExpires()
    {
        var session = AdmittedUntilEleven(out var license);

        SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 9, 2), new SessionContext(license, "UTC", null)).Result.Warnings.ShouldBe(
            [new Warning("license_expiring", "The license ends on 2026-03-02 (in 1 day). Ask your administrator to renew it.")]);
    }

    [Fact]
    public void Heartbeat_InsideTheGraceDays_WarnsThatTheLicenseIsInGrace()
    {
        var license = LicenseWith(graceDays: 3, endsAt: Utc(2026, 3, 1, 9));
        var session = Checkout(license).Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 9, 2), new SessionContext(license, "UTC", null)).Result.Warnings
            .Single().Code.ShouldBe("license_in_grace");
    }
}
