using Leasehold.Core.Policies;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tests.Support;
using Leasehold.Core.Usage;

namespace Leasehold.Core.Tests.Queue;

/// <summary>The waiting line's order rules: first come, first served, with reservations, named users, offers that lapse and seat raises.</summary>
public class WaitingLineTests
{
    private static int PositionOf(WaitCheckoutResult result) => result.ShouldBeOfType<WaitCheckoutResult.Joined>().Position;

    [Fact]
    public void ACheckoutThatMayWait_IsAdmittedAtOnce_WhenASeatIsFree()
    {
        var world = new LineWorld(2, LineWorld.Policy(), held: 1);

        world.Wait("carl").ShouldBeOfType<WaitCheckoutResult.Admitted>();

        world.Open.ShouldBeEmpty();
    }

    [Fact]
    public void WhenNoSeatIsFree_TheCheckoutJoinsTheLine_InJoinOrder()
    {
        var world = new LineWorld(2, LineWorld.Policy(), held: 2);

        PositionOf(world.Wait("carl")).ShouldBe(1);
        PositionOf(world.Wait("dora")).ShouldBe(2);
        PositionOf(world.Wait("emil")).ShouldBe(3);

        world.Open.Select(e => e.User).ShouldBe(["carl", "dora", "emil"]);
        world.Written.Last().Events.ShouldNotContain(e => e.Kind == UsageKind.Denied); // a wait is not a refusal
        world.Written.Last().WaitEvents.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Kind.ShouldBe(WaitEventKind.Joined), e => e.Position.ShouldBe(3));
    }

    [Fact]
    public void AFreedSeat_IsOfferedToTheHead_HeldForIt_AndTakenAsASession()
    {
        var world = new LineWorld(2, LineWorld.Policy(), held: 2);
        world.Wait("carl");
        world.Wait("dora");

        world.Pass(Given.Minutes(1));
        world.SignOffUser("holder0");

        world.State("carl").ShouldBe("offered");
        world.State("dora").ShouldBe("waiting");
        world.EntryOf("carl").OfferExpiresAt.ShouldBe(world.Now + TimeSpan.FromSeconds(60));
        world.SeatsCounted().ShouldBe(2); // the held offer counts as taken

        // Nobody else gets the held seat meanwhile: not a newcomer, not the next in line.
        world.Checkout("zed").ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe(Codes.NoSeatAvailable);
        world.Heartbeat("dora").ShouldBeOfType<WaitAnswer.Waiting>().Position.ShouldBe(2);

        var admitted = world.Take("carl").ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.Session.User.ShouldBe("carl");
        admitted.Session.Id.ShouldBe(world.EntryOf("carl").Request.SessionId);
        world.State("carl").ShouldBe(Codes.Granted);
        world.EntryOf("carl").SessionId.ShouldBe(admitted.Session.Id);
        world.Written.Last().WaitEvents.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Kind.ShouldBe(WaitEventKind.Granted), e => e.Waited.ShouldBe(Given.Minutes(1)));
        world.Heartbeat("dora").ShouldBeOfType<WaitAnswer.Waiting>().Position.ShouldBe(1);
    }

    [Fact]
    public void ASeatFreedInsideAnotherDecision_GoesToTheLine_NotToTheNewcomerWhoseCheckoutFoundIt()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        world.Wait("carl");
        world.Pass(Given.Minutes(4));
        world.HeartbeatAll();

        world.Pass(Given.Minutes(1)); // the holder's TTL runs out; no sign-off, no reaper yet
        var refused = world.Checkout("zed");

        refused.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe(Codes.NoSeatAvailable);
        world.State("carl").ShouldBe("offered"); // offered by zed's own decision
    }

    [Fact]
    public void ANewcomerThatAsksToWait_WaitsBehindTheLine_EvenWhenASeatIsFreeForAMoment()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        world.Wait("carl");
        world.SignOffUser("holder0");

        PositionOf(world.Wait("dora")).ShouldBe(2);
    }

    [Fact]
    public void AnOfferNotTakenInTime_Lapses_AndPassesToTheNext()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        world.Wait("carl");
        world.Wait("dora");
        world.SignOffUser("holder0");

        world.Pass(TimeSpan.FromSeconds(59));
        world.Advance();
        world.State("carl").ShouldBe("offered");

        world.Pass(TimeSpan.FromSeconds(1));
        world.Advance();

        world.State("carl").ShouldBe(Codes.OfferLapsed);
        world.EntryOf("carl").EndedAt.ShouldBe(world.Now);
        world.State("dora").ShouldBe("offered");
        world.Take("carl").ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe(Codes.OfferNotHeld);
        world.Take("dora").ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void TheOfferHold_IsThePolicys()
    {
        var world = new LineWorld(1, LineWorld.Policy(WaitingLinePolicy.Default with { Enabled = true, OfferHold = TimeSpan.FromSeconds(10) }), held: 1);
        world.Wait("carl");

        world.SignOffUser("holder0");

        world.EntryOf("carl").OfferExpiresAt.ShouldBe(world.Now + TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ASeatRaise_OffersTheNewSeats_ToAsManyHeadsAsFit()
    {
        var world = new LineWorld(2, LineWorld.Policy(), held: 2);
        world.Wait("carl");
        world.Wait("dora");
        world.Wait("emil");

        var line = world.SetSeats(4);

        line.Offers.Select(e => e.User).ShouldBe(["carl", "dora"]);
        line.Ends.ShouldBeEmpty();
        world.State("emil").ShouldBe("waiting");
        world.SeatsCounted().ShouldBe(4);
    }

    [Fact]
    public void AHeavierHead_KeepsTheSeatsFreedForItUntilEnoughAreFree_NobodyBehindTakesThem()
    {
        var world = new LineWorld(3, LineWorld.Policy(), held: 3);
        world.Wait("robot", client: "integration"); // weight 2
        world.Wait("carl");

        world.SignOffUser("holder0");
        world.State("robot").ShouldBe("waiting");
        world.State("carl").ShouldBe("waiting"); // robot could use the seat: carl may not pass it
        world.Checkout("zed").ShouldBeOfType<CheckoutResult.Denied>();

        world.SignOffUser("holder1");
        world.State("robot").ShouldBe("offered");
        world.EntryOf("robot").Seats.ShouldBe(2);
        world.State("carl").ShouldBe("waiting");
    }

    [Fact]
    public void ANonMemberAhead_DoesNotBlockAMemberBehind_FromTheGroupsSeat()
    {
        var policy = LineWorld.Policy(reservations: [GivenPolicy.Reserve("finance", 1, "lucy", "olaf")]);
        var world = new LineWorld(3, policy, held: 2); // the two general seats
        world.Checkout("olaf").ShouldBeOfType<CheckoutResult.Admitted>(); // the finance seat
        world.Wait("carl"); // not in finance: waits for a general seat
        world.Wait("lucy"); // in finance: may use the finance seat or a general one

        world.SignOffUser("olaf");

        world.State("carl").ShouldBe("waiting"); // it cannot use the finance seat
        world.State("lucy").ShouldBe("offered"); // so lucy, behind it, may
        world.Heartbeat("carl").ShouldBeOfType<WaitAnswer.Waiting>().Position.ShouldBe(1);

        world.SignOffUser("holder0");
        world.State("carl").ShouldBe("offered"); // the general seat is carl's, first in line
    }

    [Fact]
    public void AMemberWaitsForItsGroupsSeats_AndANonMemberBehindItTakesAFreedGeneralSeat()
    {
        var policy = LineWorld.Policy(reservations: [GivenPolicy.Reserve("finance", 1, "lucy", "olaf")]);
        var world = new LineWorld(3, policy, held: 2);
        world.Checkout("olaf");
        world.Wait("lucy");
        world.Wait("carl");

        world.SignOffUser("holder0"); // a general seat: carl's, the first who waits for one

        world.State("lucy").ShouldBe("waiting");
        world.State("carl").ShouldBe("offered");
        world.Heartbeat("lucy").ShouldBeOfType<WaitAnswer.Waiting>().Position.ShouldBe(1);

        world.SignOffUser("olaf"); // the group's seat: lucy's
        world.State("lucy").ShouldBe("offered");
    }

    [Fact]
    public void AMemberOverflowsIntoAGeneralSeat_WhenNoNonMemberWaitsForIt_AsItsCheckoutWould()
    {
        var policy = LineWorld.Policy(reservations: [GivenPolicy.Reserve("finance", 1, "lucy", "olaf", "bill")]);
        var world = new LineWorld(3, policy, held: 2);
        world.Checkout("olaf");
        world.Wait("lucy");
        world.Wait("bill");

        world.SignOffUser("holder0");

        world.State("lucy").ShouldBe("offered"); // the first member, overflowing
        world.State("bill").ShouldBe("waiting");
        world.Take("lucy").ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void AMemberWaitingToOverflow_KeepsTheGeneralSeatFromANewcomer()
    {
        var policy = LineWorld.Policy(reservations: [GivenPolicy.Reserve("finance", 1, "lucy", "olaf")]);
        var world = new LineWorld(3, policy, held: 2);
        world.Checkout("olaf");
        world.Wait("lucy", client: "integration"); // weight 2: needs a general seat besides any group seat

        world.SignOffUser("holder0"); // one general seat: not enough for lucy, and a newcomer may not take it

        world.State("lucy").ShouldBe("waiting");
        world.Checkout("zed").ShouldBeOfType<CheckoutResult.Denied>();
        world.Checkout("bill").ShouldBeOfType<CheckoutResult.Denied>(); // not in finance either
        world.SignOffUser("olaf");
        world.State("lucy").ShouldBe("offered"); // the group's seat and the general one
        world.EntryOf("lucy").Seats.ShouldBe(2);
    }

    [Fact]
    public void NamedUsers_NeverWait_AndPassNobody_ForTheyHoldNoSeat()
    {
        var world = new LineWorld(1, LineWorld.Policy(named: ["nora"]), held: 1);
        world.Wait("carl");

        world.Wait("nora").ShouldBeOfType<WaitCheckoutResult.Admitted>().Checkout.Session.Named.ShouldBeTrue();
        world.Checkout("nora").ShouldBeOfType<CheckoutResult.Admitted>();
        world.Heartbeat("carl").ShouldBeOfType<WaitAnswer.Waiting>().Position.ShouldBe(1);
    }

    [Fact]
    public void LeavingTheLine_RemovesTheEntry_AndAHeldSeatPassesOnAtOnce()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        world.Wait("carl");
        world.Wait("dora");
        world.Wait("emil");

        world.Leave("dora").ShouldBeOfType<WaitAnswer.Ended>().Entry.EndReason.ShouldBe(WaitEnd.Left);
        world.Heartbeat("emil").ShouldBeOfType<WaitAnswer.Waiting>().Position.ShouldBe(2);

        world.SignOffUser("holder0");
        world.State("carl").ShouldBe("offered");
        world.Leave("carl");

        world.State("carl").ShouldBe(Codes.Left);
        world.State("emil").ShouldBe("offered");
        world.Written.Last().WaitEvents.Select(e => e.Kind).ShouldBe([WaitEventKind.Offered, WaitEventKind.Left]);
    }

    [Fact]
    public void AnEntryThatStopsHeartbeating_Expires_AfterItsClientTypesTtl()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        world.Wait("carl");
        world.Wait("dora");

        world.Pass(Given.Minutes(3));
        world.Heartbeat("dora");
        world.Pass(Given.Minutes(2)); // carl: 5 minutes without a heartbeat, the desktop TTL
        world.Advance();

        world.State("carl").ShouldBe(Codes.Expired);
        world.EntryOf("carl").EndedAt.ShouldBe(Given.T0 + Given.Minutes(5));
        // The holder's TTL ran out at the same moment: its seat goes to dora, the first entry still alive.
        world.State("dora").ShouldBe("offered");
    }

    [Fact]
    public void AnEntryWaitsNoLongerThanItAsked_NorThanThePolicysLongestWait()
    {
        var world = new LineWorld(1, LineWorld.Policy(WaitingLinePolicy.Default with { Enabled = true, MaxWait = Given.Minutes(4) }), held: 1);
        world.Wait("carl", upTo: Given.Minutes(2));
        world.Wait("dora", upTo: TimeSpan.FromHours(2));

        world.EntryOf("dora").WaitUntil.ShouldBe(Given.T0 + Given.Minutes(4)); // cut to the longest wait
        world.Pass(Given.Minutes(2));
        world.HeartbeatAll();
        world.State("carl").ShouldBe(Codes.TimedOut);
        world.Pass(Given.Minutes(2));
        world.Heartbeat("dora").ShouldBeOfType<WaitAnswer.Ended>().Entry.EndReason.ShouldBe(WaitEnd.TimedOut);
        world.Written.Last().WaitEvents.ShouldHaveSingleItem().Waited.ShouldBe(Given.Minutes(4));
    }

    [Fact]
    public void AFullLine_RefusesWithItsCode()
    {
        var world = new LineWorld(1, LineWorld.Policy(WaitingLinePolicy.Default with { Enabled = true, MaxLength = 2 }), held: 1);
        world.Wait("carl");
        world.Wait("dora");

        var refused = world.Wait("emil").ShouldBeOfType<WaitCheckoutResult.Denied>().Checkout;

        refused.Code.ShouldBe(Codes.WaitingLineFull);
        refused.Message.ShouldContain("full");
        world.Written.Last().Events.ShouldContain(e => e.Kind == UsageKind.Denied && e.Code == Codes.NoSeatAvailable);
        world.Open.Count().ShouldBe(2);
    }

    [Fact]
    public void ALicenseWithoutALine_OrAClientTypeThatMayNotWait_RefusesWithItsCode()
    {
        var off = new LineWorld(1, LineWorld.Policy(WaitingLinePolicy.Default), held: 1);
        off.Wait("carl").ShouldBeOfType<WaitCheckoutResult.Denied>().Checkout.Code.ShouldBe(Codes.WaitingNotAllowed);
        off.Open.ShouldBeEmpty();

        var web = Given.ClientType("web") with { Waits = false };
        var typed = new LineWorld(1, LineWorld.Policy(null, null, null, Given.ClientType("desktop"), web), held: 1);
        typed.Wait("carl", client: "web").ShouldBeOfType<WaitCheckoutResult.Denied>().Checkout.Code.ShouldBe(Codes.WaitingNotAllowed);
        PositionOf(typed.Wait("dora", client: "desktop")).ShouldBe(1);

        var optIn = Given.ClientType("web") with { Waits = true };
        var only = new LineWorld(1, LineWorld.Policy(WaitingLinePolicy.Default, null, null, Given.ClientType("desktop"), optIn), held: 1);
        PositionOf(only.Wait("carl", client: "web")).ShouldBe(1);
        only.Wait("dora", client: "desktop").ShouldBeOfType<WaitCheckoutResult.Denied>().Checkout.Code.ShouldBe(Codes.WaitingNotAllowed);
    }

    [Fact]
    public void RefusalsWaitingCannotCure_AreAnsweredAsACheckoutIs_AndNobodyJoins()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        var ended = new LineWorld(1, LineWorld.Policy(), held: 1);
        ended.Pass(TimeSpan.FromDays(2));
        var license = ended.Ledger.License with { EndsAt = Given.T0.AddDays(1) };

        world.Wait("carl", client: "tablet").ShouldBeOfType<WaitCheckoutResult.Rejected>().Error.Code.ShouldBe(Codes.UnknownClientType);
        var expired = WaitingLine.Checkout(ended.Ledger with { License = license }, new CheckoutRequest("ses_x", "carl", "pc", "desktop"),
            new WaitRequest("wait_x", Given.Minutes(10)), ended.Now);

        var borrow = WaitingLine.Checkout(world.Ledger, new CheckoutRequest("ses_b", "bea", "pc", "desktop") { BorrowUntil = world.Now.AddDays(1) },
            new WaitRequest("wait_b", Given.Minutes(10)), world.Now);

        borrow.Result.ShouldBeOfType<WaitCheckoutResult.Rejected>().Error.Code.ShouldBe(Codes.BorrowNotAllowed); // the type may not borrow at all
        expired.Result.ShouldBeOfType<WaitCheckoutResult.Denied>().Checkout.Code.ShouldBe(Codes.LicenseExpired);
        expired.Changes.Waits.ShouldBeEmpty();
        world.Open.ShouldBeEmpty();
    }

    [Fact]
    public void ABorrowDoesNotWait()
    {
        var policy = LineWorld.Policy(null, null, null, Given.ClientType("desktop") with { BorrowDays = 7 });
        var world = new LineWorld(1, policy, held: 1);

        var borrow = WaitingLine.Checkout(world.Ledger, new CheckoutRequest("ses_b", "bea", "pc", "desktop") { BorrowUntil = world.Now.AddDays(1) },
            new WaitRequest("wait_b", Given.Minutes(10)), world.Now);

        borrow.Result.ShouldBeOfType<WaitCheckoutResult.Denied>().Checkout.Code.ShouldBe(Codes.NoSeatAvailable);
        borrow.Changes.Waits.ShouldBeEmpty();
    }

    [Fact]
    public void ARetryWithTheSameIdempotencyKey_AnswersTheSameEntry()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        var first = world.Wait("carl", idempotencyKey: "k1").ShouldBeOfType<WaitCheckoutResult.Joined>();

        var again = world.Wait("carl", idempotencyKey: "k1").ShouldBeOfType<WaitCheckoutResult.Joined>();

        again.Replayed.ShouldBeTrue();
        again.Entry.Id.ShouldBe(first.Entry.Id);
        world.Open.Count().ShouldBe(1);
    }

    [Fact]
    public void ARetryAfterTheEntryEnded_AnswersItEnded_AndAKeyReusedForAnotherCheckoutIsRejected()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        var first = world.Wait("carl", upTo: Given.Minutes(1), idempotencyKey: "k1").ShouldBeOfType<WaitCheckoutResult.Joined>();
        world.Pass(Given.Minutes(1));
        world.Advance();

        var retry = WaitingLine.Checkout(world.Ledger with { WaitReplay = world.Entry(first.Entry.Id) }, first.Entry.Request,
            new WaitRequest("wait_other", Given.Minutes(1)), world.Now);
        var other = WaitingLine.Checkout(world.Ledger with { WaitReplay = world.Entry(first.Entry.Id) }, first.Entry.Request with { User = "dora" },
            new WaitRequest("wait_other", Given.Minutes(1)), world.Now);

        var again = retry.Result.ShouldBeOfType<WaitCheckoutResult.Joined>();
        again.ShouldSatisfyAllConditions(r => r.Replayed.ShouldBeTrue(), r => r.Position.ShouldBe(0), r => r.Entry.EndReason.ShouldBe(WaitEnd.TimedOut));
        retry.Changes.Waits.ShouldBeEmpty();
        other.Result.ShouldBeOfType<WaitCheckoutResult.Rejected>().Error.Code.ShouldBe(Codes.IdempotencyKeyReused);
    }

    [Fact]
    public void OnlyTheEntrysOwnCheckout_TakesTheSeatHeldForIt()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        world.Wait("carl");
        world.SignOffUser("holder0");
        var entry = world.EntryOf("carl");

        var stranger = SeatDecision.Checkout(world.Ledger, new CheckoutRequest("ses_zed", "zed", "pc", "desktop") { WaitId = entry.Id }, world.Now);

        stranger.Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe(Codes.OfferNotHeld);
        world.Take("carl").ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void AnOfferIsHeldForItsWholeHold_EvenPastTheEndOfTheWait()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        world.Wait("carl", upTo: Given.Minutes(1));
        world.Pass(TimeSpan.FromSeconds(50));
        world.SignOffUser("holder0");

        world.Pass(TimeSpan.FromSeconds(30)); // past the wait's end, inside the offer's 60 s

        world.Take("carl").ShouldBeOfType<CheckoutResult.Admitted>();
    }

    [Fact]
    public void InSoftMode_TheLineIsForTheOverageCap_AndATakenOfferOverTheSeatsIsWarned()
    {
        var world = new LineWorld(1, LineWorld.Policy() with { Limit = GivenPolicy.Soft(overageCount: 1) }, held: 2);
        PositionOf(world.Wait("carl")).ShouldBe(1);

        world.SignOffUser("holder0");

        var admitted = world.Take("carl").ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.Warnings.ShouldContain(w => w.Code == Codes.OverLimit);
    }

    [Fact]
    public void LoweringTheSeats_LeavesAnOfferHeld_AndOffersNothingNewUntilEnoughFree()
    {
        var world = new LineWorld(2, LineWorld.Policy(), held: 2);
        world.Wait("carl");
        world.Wait("dora");
        world.SignOffUser("holder0");

        world.SetSeats(1);
        world.SignOffUser("holder1");

        world.State("carl").ShouldBe("offered");
        world.State("dora").ShouldBe("waiting");
        world.Take("carl").ShouldBeOfType<CheckoutResult.Admitted>();
        world.SeatsCounted().ShouldBe(1);
    }

    [Fact]
    public void TheEstimate_ComesFromTheLicensesRecentSignOffRate()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1) { Turnover = new SeatTurnover(6, TimeSpan.FromHours(1)) };

        world.Wait("carl").ShouldBeOfType<WaitCheckoutResult.Joined>().EstimatedWait.ShouldBe(Given.Minutes(10));
        world.Wait("dora").ShouldBeOfType<WaitCheckoutResult.Joined>().EstimatedWait.ShouldBe(Given.Minutes(20));
        WaitingLine.Estimate(3, new SeatTurnover(0, TimeSpan.FromHours(1))).ShouldBeNull();
        WaitingLine.Estimate(3, null).ShouldBeNull();
    }

    [Fact]
    public void APassFailCheck_FailsWhileTheLineCouldUseTheFreeSeat()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        world.Wait("carl");
        world.Wait("dora");
        world.SignOffUser("holder0"); // carl holds the offer

        var check = SeatDecision.Check(world.Ledger, new CheckRequest("mia", "desktop"), world.Now);

        check.Result.ShouldBeOfType<CheckResult.Answered>().Pass.ShouldBeFalse();
    }

    [Fact]
    public void WithoutALine_EveryDecisionIsAsBefore_AndWritesNothingOfTheLine()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 0);

        world.Checkout("carl").ShouldBeOfType<CheckoutResult.Admitted>();
        world.Checkout("dora").ShouldBeOfType<CheckoutResult.Denied>();

        world.Written.ShouldAllBe(c => c.Waits.Count == 0 && c.WaitEvents.Count == 0);
    }

    [Fact]
    public void ASignOff_FollowedByTheLine_OffersTheSeatInTheSameChanges()
    {
        var world = new LineWorld(1, LineWorld.Policy(), held: 1);
        world.Wait("carl");
        var ledger = world.Ledger;
        var holder = ledger.Holders.Single();

        var release = SessionLifecycle.Release(holder, world.Now);
        var changes = WaitingLine.Following(ledger, release.Changes, world.Now);

        changes.Sessions.ShouldHaveSingleItem().EndReason.ShouldBe(EndReason.Released);
        changes.Waits.ShouldHaveSingleItem().State.ShouldBe(WaitState.Offered);
        changes.WaitEvents.ShouldHaveSingleItem().Kind.ShouldBe(WaitEventKind.Offered);
        WaitingLine.Following(ledger with { Line = [] }, release.Changes, world.Now).ShouldBeSameAs(release.Changes);
    }

    [Fact]
    public void EveryWaitEnd_HasACode()
    {
        Enum.GetValues<WaitEnd>().Select(Codes.Of).Distinct().Count().ShouldBe(Enum.GetValues<WaitEnd>().Length);
        Codes.IsSeatRefusal(Codes.WaitingLineFull).ShouldBeTrue();
        Codes.IsSeatRefusal(Codes.WaitingNotAllowed).ShouldBeTrue();
        Codes.IsSeatRefusal(Codes.OfferNotHeld).ShouldBeFalse();
    }
}
