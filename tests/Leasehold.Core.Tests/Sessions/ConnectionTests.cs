using Leasehold.Core.Access;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using Leasehold.Core.Tests.Support;
using NodaTime;
using static Leasehold.Core.Tests.Support.GivenPolicy;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>
/// Connections: sign-in through a connection inside its access window (tenant time zone),
/// one user at a time, shared only by its e-mail and never with single sign-on.
/// </summary>
public class ConnectionTests
{
    // Monday 2 March 2026, 09:00 UTC = 10:00 in Berlin (CET, UTC+1). Business hours are Mon-Sat 07:00-19:00
    // Berlin time, i.e. 06:00-18:00 UTC on that Monday.
    private static readonly DateTimeOffset Now = Monday0900;
    private static readonly DateTimeOffset ClosesMonday = Utc(2026, 3, 2, 18);

    private const string SharedEmail = "team@acme.example";

    private static readonly Connection Rdp = Connection();

    /// <summary>Sessions live 12 hours per heartbeat and idle out after a day, so only the window and the license end them early.</summary>
    private static License LicenseWith(
        bool required = false,
        WindowCloseAction onClose = WindowCloseAction.End,
        SeatKey seatKey = SeatKey.Session,
        int seats = 5) =>
        License(seats, Rules(seatKey, ttl: TimeSpan.FromHours(12), idle: TimeSpan.FromDays(1)) with
        {
            Connections = new ConnectionPolicy(required, onClose),
        });

    private static LicenseLedger Ledger(License license, Connection? connection, params Session[] holders) =>
        new(license, holders) { TimeZone = Berlin, Connection = connection };

    private static CheckoutRequest Through(
        Connection connection,
        string user = "alice",
        string? email = SharedEmail,
        bool sso = false,
        string sessionId = "ses_new") =>
        Request(sessionId, user, connectionId: connection.Id, email: email, sso: sso);

    /// <summary>alice on <see cref="Rdp"/> since 08:30 UTC, signed in with the shared e-mail.</summary>
    private static Session AliceOnRdp(License license, string? email = SharedEmail, bool sso = false) =>
        Given.Holder(license, "ses_alice", "alice", Utc(2026, 3, 2, 8, 30), connection: Rdp, email: email, sso: sso);

    // ---- Whether a connection is needed, and exists ----

    [Fact]
    public void Required_WithoutAConnection_IsRejectedOnTheConnectionField()
    {
        var decided = SeatDecision.Checkout(Ledger(LicenseWith(required: true), null), Request(), Now);

        var rejected = decided.Result.ShouldBeOfType<CheckoutResult.Rejected>();
        rejected.Error.Code.ShouldBe("connection_required");
        rejected.Error.Field.ShouldBe("connection");
        rejected.Error.Message.ShouldBe("This license is used through a connection: name the connection you sign in with.");
        decided.Changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Required_WithAConnection_IsAdmittedAndTheSessionRemembersIt()
    {
        var decided = SeatDecision.Checkout(Ledger(LicenseWith(required: true), Rdp), Through(Rdp, sso: true), Now);

        var session = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;
        session.ConnectionId.ShouldBe("con_rdp");
        session.Email.ShouldBe(SharedEmail);
        session.Sso.ShouldBeTrue();
    }

    [Fact]
    public void NotRequired_WithoutAConnection_IsAdmittedWithoutAWindow()
    {
        var session = SeatDecision.Checkout(Ledger(LicenseWith(), null), Request(), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        session.ConnectionId.ShouldBeNull();
        session.WindowClosesAt.ShouldBeNull();
        session.EndsAtWindowClose.ShouldBeFalse();
    }

    [Fact]
    public void NamingAConnectionTheTenantLacks_IsRejectedAsNotFound()
    {
        var decided = SeatDecision.Checkout(Ledger(LicenseWith(), null), Request(connectionId: "con_gone"), Now);

        decided.Result.ShouldBe(new CheckoutResult.Rejected(
            new RequestError("not_found", "connection", "No connection with that id exists in this tenant.")));
        decided.Changes.IsEmpty.ShouldBeTrue();
    }

    // ---- The access window, in the tenant's time zone ----

    [Fact]
    public void OutsideTheWindow_IsDeniedWithTheLocalOpeningTime()
    {
        // Sunday 1 March 12:00 UTC: closed all Sunday; opens Monday 07:00 Berlin = 06:00 UTC.
        var decided = SeatDecision.Checkout(Ledger(LicenseWith(), Rdp), Through(Rdp), Utc(2026, 3, 1, 12));

        var denied = decided.Result.ShouldBeOfType<CheckoutResult.Denied>();
        denied.Code.ShouldBe("outside_access_window");
        denied.Message.ShouldBe("The connection 'Remote desktop' is closed now. It opens Monday 07:00 (Europe/Berlin).");
        denied.OpensAt.ShouldBe(Utc(2026, 3, 2, 6));
        denied.OpensAt!.Value.Offset.ShouldBe(Cet);
        denied.SeatsInUse.ShouldBe(0);
        var refused = decided.Changes.Events.Single();
        refused.Kind.ShouldBe(UsageKind.Denied);
        refused.Code.ShouldBe("outside_access_window");
        decided.Changes.Sessions.ShouldBeEmpty();
    }

    [Fact]
    public void BeforeOpeningOnAWorkday_OpensTheSameMorning()
    {
        // Monday 05:30 UTC = 06:30 Berlin.
        var denied = SeatDecision.Checkout(Ledger(LicenseWith(), Rdp), Through(Rdp), Utc(2026, 3, 2, 5, 30))
            .Result.ShouldBeOfType<CheckoutResult.Denied>();

        denied.OpensAt.ShouldBe(Utc(2026, 3, 2, 6));
        denied.Message.ShouldEndWith("It opens Monday 07:00 (Europe/Berlin).");
    }

    [Fact]
    public void AtTheLocalClosingTime_IsDeniedUntilTheNextMorning()
    {
        // Monday 18:00 UTC = 19:00 Berlin: the window has just closed; Tuesday 07:00 Berlin = 06:00 UTC.
        var denied = SeatDecision.Checkout(Ledger(LicenseWith(), Rdp), Through(Rdp), ClosesMonday)
            .Result.ShouldBeOfType<CheckoutResult.Denied>();

        denied.Code.ShouldBe("outside_access_window");
        denied.Message.ShouldEndWith("It opens Tuesday 07:00 (Europe/Berlin).");
        denied.OpensAt.ShouldBe(Utc(2026, 3, 3, 6));
    }

    [Fact]
    public void TheWindowFollowsTheTenantsZone_NotUtc()
    {
        // Monday 18:30 UTC is 19:30 in Berlin (closed) but 18:30 in a UTC tenant (open until 19:00).
        var license = LicenseWith();
        var at = Utc(2026, 3, 2, 18, 30);

        SeatDecision.Checkout(Ledger(license, Rdp), Through(Rdp), at).Result.ShouldBeOfType<CheckoutResult.Denied>();
        var utcTenant = new LicenseLedger(license, []) { TimeZone = "UTC", Connection = Rdp };
        SeatDecision.Checkout(utcTenant, Through(Rdp), at).Result.ShouldBeOfType<CheckoutResult.Admitted>()
            .Session.WindowClosesAt.ShouldBe(Utc(2026, 3, 2, 19));
    }

    [Fact]
    public void OutsideTheWindowAcrossTheSpringForward_OpensAtSevenSummerTime()
    {
        // Clocks go forward on Sunday 29 March 2026; Monday 07:00 CEST is 05:00 UTC.
        var denied = SeatDecision.Checkout(Ledger(LicenseWith(), Rdp), Through(Rdp), Utc(2026, 3, 29, 12))
            .Result.ShouldBeOfType<CheckoutResult.Denied>();

        denied.OpensAt.ShouldBe(Utc(2026, 3, 30, 5));
        denied.OpensAt!.Value.Offset.ShouldBe(TimeSpan.FromHours(2));
        denied.Message.ShouldEndWith("It opens Monday 07:00 (Europe/Berlin).");
    }

    [Fact]
    public void OutsideTheWindow_EvenANamedUserIsDenied()
    {
        var license = LicenseWith();
        license = license with { Policy = license.Policy with { NamedUsers = Users("alice") } };

        SeatDecision.Checkout(Ledger(license, Rdp), Through(Rdp), Utc(2026, 3, 1, 12))
            .Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("outside_access_window");
    }

    [Fact]
    public void APlanThatNeverOpensAgain_SaysSoWithoutAnOpeningTime()
    {
        var closedForGood = Connection(plan: new AccessPlan(AccessPlanKind.Weekly, [], []));

        var denied = SeatDecision.Checkout(Ledger(LicenseWith(), closedForGood), Through(closedForGood), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>();

        denied.Code.ShouldBe("outside_access_window");
        denied.Message.ShouldBe("The connection 'Remote desktop' has no access window left open.");
        denied.OpensAt.ShouldBeNull();
    }

    // ---- When the window closes on an open session ----

    [Fact]
    public void InsideTheWindow_TheSessionKnowsWhenTheWindowCloses()
    {
        var session = SeatDecision.Checkout(Ledger(LicenseWith(), Rdp), Through(Rdp), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        session.WindowClosesAt.ShouldBe(ClosesMonday);
        session.EndsAtWindowClose.ShouldBeTrue();
    }

    [Fact]
    public void AMaintenanceWindow_ClosesTheWindowEarlier()
    {
        // Maintenance 15:00-16:00 Berlin on Monday = 14:00 UTC.
        var plan = AccessPlan.BusinessHours with
        {
            Maintenance = [new MaintenanceWindow(new LocalDateTime(2026, 3, 2, 15, 0), new LocalDateTime(2026, 3, 2, 16, 0))],
        };
        var connection = Connection(plan: plan);

        SeatDecision.Checkout(Ledger(LicenseWith(), connection), Through(connection), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session.WindowClosesAt.ShouldBe(Utc(2026, 3, 2, 14));
    }

    [Fact]
    public void AnAlwaysOpenConnection_NeverClosesTheSession()
    {
        var always = Connection(plan: AccessPlan.Always);

        var session = SeatDecision.Checkout(Ledger(LicenseWith(), always), Through(always), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        session.WindowClosesAt.ShouldBeNull();
        session.EndsAtWindowClose.ShouldBeFalse();
        session.DueEnd(Utc(2026, 3, 2, 20, 59)).ShouldBeNull();
    }

    [Fact]
    public void OnWindowCloseEnd_TheSessionIsDueToEndAsWindowClosedAtTheClosingTime()
    {
        var session = SeatDecision.Checkout(Ledger(LicenseWith(onClose: WindowCloseAction.End), Rdp), Through(Rdp), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        session.DueEnd(Utc(2026, 3, 2, 17, 59)).ShouldBeNull();
        session.DueEnd(ClosesMonday).ShouldBe((EndReason.WindowClosed, ClosesMonday));
        session.DueEnd(Utc(2026, 3, 2, 18, 30)).ShouldBe((EndReason.WindowClosed, ClosesMonday));
    }

    [Fact]
    public void OnWindowCloseEnd_AHeartbeatAfterTheClose_EndsTheSessionAsOfTheClose()
    {
        var session = SeatDecision.Checkout(Ledger(LicenseWith(onClose: WindowCloseAction.End), Rdp), Through(Rdp), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        var decided = SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 18, 5));

        decided.Result.EndedNow.ShouldBeTrue();
        decided.Result.Session.EndReason.ShouldBe(EndReason.WindowClosed);
        decided.Result.Session.EndedAt.ShouldBe(ClosesMonday);
        decided.Changes.Events.Single().Code.ShouldBe("window_closed");
    }

    [Fact]
    public void OnWindowCloseWarn_TheSessionOutlivesTheWindow()
    {
        var session = SeatDecision.Checkout(Ledger(LicenseWith(onClose: WindowCloseAction.Warn), Rdp), Through(Rdp), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        session.WindowClosesAt.ShouldBe(ClosesMonday);
        session.EndsAtWindowClose.ShouldBeFalse();
        session.DueEnd(Utc(2026, 3, 2, 18, 30)).ShouldBeNull();
    }

    [Fact]
    public void OnWindowCloseWarn_AHeartbeatAfterTheClose_KeepsTheSessionAndWarns()
    {
        var session = SeatDecision.Checkout(Ledger(LicenseWith(onClose: WindowCloseAction.Warn), Rdp), Through(Rdp), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        var state = SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 18, 5)).Result;

        state.EndedNow.ShouldBeFalse();
        state.Session.IsActive.ShouldBeTrue();
        state.Warnings.ShouldBe([new Warning("access_window_closed",
            "The access window of your connection has closed. Please finish your work and sign off.")]);
    }

    [Fact]
    public void OnWindowCloseWarn_AHeartbeatBeforeTheClose_DoesNotWarn()
    {
        var session = SeatDecision.Checkout(Ledger(LicenseWith(onClose: WindowCloseAction.Warn), Rdp), Through(Rdp), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        SessionLifecycle.Heartbeat(session, active: true, Utc(2026, 3, 2, 17, 55)).Result.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void OnWindowCloseWarn_AHeartbeatAtTheClosingInstant_Warns()
    {
        var session = SeatDecision.Checkout(Ledger(LicenseWith(onClose: WindowCloseAction.Warn), Rdp), Through(Rdp), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        SessionLifecycle.Heartbeat(session, active: true, ClosesMonday).Result.Warnings.Single().Code.ShouldBe("access_window_closed");
    }

    // ---- One user at a time; sharing by e-mail ----

    [Fact]
    public void AnotherUserWithTheSharedEmail_TakesTheConnectionOver()
    {
        var license = LicenseWith();
        var alice = AliceOnRdp(license);

        var decided = SeatDecision.Checkout(Ledger(license, Rdp, alice), Through(Rdp, user: "bob", sessionId: "ses_bob"), Now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.Session.User.ShouldBe("bob");
        admitted.SeatsInUse.ShouldBe(1);
        var tookOver = admitted.TookOver.ShouldNotBeNull();
        tookOver.Id.ShouldBe("ses_alice");
        tookOver.EndReason.ShouldBe(EndReason.TakenOver);
        tookOver.EndedAt.ShouldBe(Now);
    }

    [Fact]
    public void ATakeover_EndsTheOldSessionAndHandsItsStateToTheNewOne()
    {
        var license = LicenseWith();
        var alice = AliceOnRdp(license);

        var changes = SeatDecision.Checkout(Ledger(license, Rdp, alice), Through(Rdp, user: "bob", sessionId: "ses_bob"), Now).Changes;

        changes.Handoffs.ShouldBe([new Handoff("ses_alice", "ses_bob")]);
        changes.Sessions.Select(s => (s.Id, s.EndReason)).ShouldBe([("ses_alice", EndReason.TakenOver), ("ses_bob", (EndReason?)null)]);
        changes.Events.Select(e => (e.Kind, e.Code, e.SessionId)).ShouldBe(
            [(UsageKind.Ended, "taken_over", "ses_alice"), (UsageKind.Admitted, "admitted", "ses_bob")]);
        changes.Events[0].Actor.ShouldBe("ses_bob");
        changes.Events[0].At.ShouldBe(Now);
    }

    [Fact]
    public void TheSharedEmail_IsComparedWithoutRegardToCaseOrSurroundingSpaces()
    {
        var license = LicenseWith();

        SeatDecision.Checkout(Ledger(license, Rdp, AliceOnRdp(license, email: "Team@ACME.example")),
                Through(Rdp, user: "bob", email: "  TEAM@acme.EXAMPLE "), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().TookOver.ShouldNotBeNull();
    }

    [Fact]
    public void TakingOver_NeedsNoFreeSeat()
    {
        var license = LicenseWith(seats: 1);

        SeatDecision.Checkout(Ledger(license, Rdp, AliceOnRdp(license)), Through(Rdp, user: "bob"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(1);
    }

    [Fact]
    public void AnotherUserWithoutTheSharedEmail_IsDeniedAsInUse()
    {
        var license = LicenseWith();

        var decided = SeatDecision.Checkout(Ledger(license, Rdp, AliceOnRdp(license)), Through(Rdp, user: "bob", email: "bob@acme.example"), Now);

        decided.Result.ShouldBe(new CheckoutResult.Denied("connection_in_use",
            "The connection 'Remote desktop' is in use by another user. Users may share a connection only when they sign in with its shared e-mail address.",
            SeatsInUse: 1, Seats: 5));
        decided.Changes.Sessions.ShouldBeEmpty();
        decided.Changes.Handoffs.ShouldBeEmpty();
        decided.Changes.Events.Single().Code.ShouldBe("connection_in_use");
    }

    [Fact]
    public void AnotherUserWithoutAnyEmail_IsDeniedAsInUse()
    {
        var license = LicenseWith();

        SeatDecision.Checkout(Ledger(license, Rdp, AliceOnRdp(license)), Through(Rdp, user: "bob", email: null), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("connection_in_use");
    }

    [Fact]
    public void WhenTheOccupantSignedInWithAnotherEmail_EvenTheSharedEmailCannotTakeOver()
    {
        var license = LicenseWith();

        SeatDecision.Checkout(Ledger(license, Rdp, AliceOnRdp(license, email: "alice@acme.example")), Through(Rdp, user: "bob"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("connection_in_use");
    }

    [Fact]
    public void AConnectionWithoutASharedEmail_CannotBeShared()
    {
        var private1 = Connection(email: null);
        var license = LicenseWith();
        var alice = Given.Holder(license, "ses_alice", "alice", Utc(2026, 3, 2, 8, 30), connection: private1);

        SeatDecision.Checkout(Ledger(license, private1, alice), Through(private1, user: "bob", email: null), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("connection_in_use");
    }

    [Fact]
    public void ANewcomerSignedInWithSso_CannotShareEvenWithTheSharedEmail()
    {
        var license = LicenseWith();

        var denied = SeatDecision.Checkout(Ledger(license, Rdp, AliceOnRdp(license)), Through(Rdp, user: "bob", sso: true), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>();

        denied.Code.ShouldBe("sso_cannot_share");
        denied.Message.ShouldBe(
            "The connection 'Remote desktop' is in use by another user. Users who sign in with single sign-on can never share a connection.");
    }

    [Fact]
    public void AnOccupantSignedInWithSso_CannotBeTakenOverByAnotherUser()
    {
        var license = LicenseWith();

        SeatDecision.Checkout(Ledger(license, Rdp, AliceOnRdp(license, sso: true)), Through(Rdp, user: "bob"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("sso_cannot_share");
    }

    [Theory]
    [InlineData("alice", null, false)]
    [InlineData("ALICE", "alice@private.example", true)]
    public void TheSameUserSigningInAgain_TakesOverHisOwnSession(string user, string? email, bool sso)
    {
        var license = LicenseWith();
        var alice = AliceOnRdp(license, sso: true);

        var decided = SeatDecision.Checkout(Ledger(license, Rdp, alice), Through(Rdp, user: user, email: email, sso: sso, sessionId: "ses_again"), Now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.TookOver.ShouldNotBeNull().EndReason.ShouldBe(EndReason.TakenOver);
        decided.Changes.Handoffs.ShouldBe([new Handoff("ses_alice", "ses_again")]);
    }

    [Fact]
    public void AnOccupantWhoseSessionHasExpired_DoesNotHoldTheConnection()
    {
        // alice's 12-hour TTL ran out at 08:00 UTC; she is swept, not taken over.
        var license = LicenseWith();
        var stale = Given.Holder(license, "ses_alice", "alice", Utc(2026, 3, 1, 20), connection: Rdp, email: "alice@acme.example");

        var decided = SeatDecision.Checkout(Ledger(license, Rdp, stale), Through(Rdp, user: "bob", email: "bob@acme.example"), Now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.TookOver.ShouldBeNull();
        decided.Changes.Handoffs.ShouldBeEmpty();
        decided.Changes.Sessions.Single(s => s.Id == "ses_alice").EndReason.ShouldBe(EndReason.Expired);
    }

    [Fact]
    public void ASessionOnAnotherConnection_IsLeftAlone()
    {
        var license = LicenseWith();
        var other = Connection(id: "con_other", name: "Other desktop");
        var bobElsewhere = Given.Holder(license, "ses_bob", "bob", Utc(2026, 3, 2, 8, 30), connection: other, email: "bob@acme.example");

        var decided = SeatDecision.Checkout(Ledger(license, Rdp, bobElsewhere), Through(Rdp), Now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.TookOver.ShouldBeNull();
        admitted.SeatsInUse.ShouldBe(2);
        decided.Changes.Sessions.ShouldHaveSingleItem().Id.ShouldBe("ses_new");
    }

    // ---- Seat key "connection" ----

    [Fact]
    public void SeatKeyConnection_KeysTheSessionByItsConnection()
    {
        var session = SeatDecision.Checkout(Ledger(LicenseWith(seatKey: SeatKey.Connection), Rdp), Through(Rdp), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        session.SeatKey.ShouldBe("c:con_rdp");
    }

    [Fact]
    public void SeatKeyConnection_WithoutAConnection_KeysTheSessionByItself()
    {
        SeatDecision.Checkout(Ledger(LicenseWith(seatKey: SeatKey.Connection), null), Request("ses_solo"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session.SeatKey.ShouldBe("ses_solo");
    }

    [Fact]
    public void SeatKeyConnection_SessionsOnOneConnectionShareItsSeat()
    {
        var license = LicenseWith(seatKey: SeatKey.Connection, seats: 1);
        var first = Given.Holder(license, "ses_1", "alice", Utc(2026, 3, 2, 8, 30), connection: Rdp, email: SharedEmail);
        var second = Given.Holder(license, "ses_2", "alice", Utc(2026, 3, 2, 8, 40), connection: Rdp, email: SharedEmail);

        SeatCount.InUse([first, second]).ShouldBe(1);
        var other = Connection(id: "con_other", name: "Other desktop");
        SeatDecision.Checkout(Ledger(license, other, first, second), Through(other, user: "bob"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>().SeatsInUse.ShouldBe(1);
    }

    [Fact]
    public void SeatKeyConnection_ATakeoverKeepsTheConnectionsOneSeat()
    {
        var license = LicenseWith(seatKey: SeatKey.Connection, seats: 1);
        var alice = AliceOnRdp(license);

        var admitted = SeatDecision.Checkout(Ledger(license, Rdp, alice), Through(Rdp, user: "bob"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>();

        admitted.Session.SeatKey.ShouldBe("c:con_rdp");
        admitted.SeatsInUse.ShouldBe(1);
    }
}

/// <summary>A connection belongs to its user: others may use it only with its shared e-mail, whether or not anyone is on it.</summary>
public class ConnectionOwnershipTests
{
    private static readonly DateTimeOffset Now = Monday0900;
    private const string SharedEmail = "team@acme.example";

    private static readonly License Licensed = License(5, Rules(ttl: TimeSpan.FromHours(12), idle: TimeSpan.FromDays(1)));

    private static LicenseLedger Ledger(Leasehold.Core.Access.Connection connection) => new(Licensed, []) { TimeZone = Berlin, Connection = connection };

    private static CheckoutRequest Through(Leasehold.Core.Access.Connection connection, string user, string? email = null, bool sso = false) =>
        Request("ses_" + user, user, connectionId: connection.Id, email: email, sso: sso);

    [Fact]
    public void TheFirstSignIn_OnAConnectionWithNoUser_MakesItsUser()
    {
        var rdp = Connection(email: null);

        var decided = SeatDecision.Checkout(Ledger(rdp), Through(rdp, "alice"), Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        decided.Changes.Claims.ShouldBe([new ConnectionClaim("con_rdp", "alice", Now)]);
    }

    [Fact]
    public void ASignIn_OnAConnectionWithAUser_ClaimsNothing()
    {
        var rdp = Connection(email: null) with { User = "alice" };

        SeatDecision.Checkout(Ledger(rdp), Through(rdp, "Alice"), Now).Changes.Claims.ShouldBeEmpty();
    }

    [Fact]
    public void AnotherUserWithoutTheSharedEmail_IsRefused_WhileNobodyIsOnIt()
    {
        var rdp = Connection() with { User = "alice" };

        var decided = SeatDecision.Checkout(Ledger(rdp), Through(rdp, "mallory", email: "mallory@elsewhere.example"), Now);

        var denied = decided.Result.ShouldBeOfType<CheckoutResult.Denied>();
        denied.Code.ShouldBe("connection_not_yours");
        denied.Message.ShouldContain("belongs to another user");
        decided.Changes.Sessions.ShouldBeEmpty();
        decided.Changes.Claims.ShouldBeEmpty();
        decided.Changes.Events.Single().Code.ShouldBe("connection_not_yours");
    }

    [Fact]
    public void AConnectionWithoutASharedEmail_IsItsUsersAlone()
    {
        var rdp = Connection(email: null) with { User = "alice" };

        SeatDecision.Checkout(Ledger(rdp), Through(rdp, "bob", email: SharedEmail), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("connection_not_yours");
    }

    [Fact]
    public void AnotherUserWithTheSharedEmail_MayUseIt_WhileNobodyIsOnIt()
    {
        var rdp = Connection() with { User = "alice" };

        SeatDecision.Checkout(Ledger(rdp), Through(rdp, "bob", email: " TEAM@acme.example"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void AnotherUserThroughSso_IsRefusedEvenWithTheSharedEmail()
    {
        var rdp = Connection() with { User = "alice" };

        SeatDecision.Checkout(Ledger(rdp), Through(rdp, "bob", email: SharedEmail, sso: true), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe("sso_cannot_share");
    }

    [Fact]
    public void ItsUser_SignsInWithoutAnyEmail() =>
        SeatDecision.Checkout(Ledger(Connection() with { User = "alice" }), Through(Connection(), "alice"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>();

    [Fact]
    public void ConnectionNotYours_IsNotASeatRefusal() => Codes.IsSeatRefusal("connection_not_yours").ShouldBeFalse();
}
