using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>Holders past their deadline are ended by whichever decision notices first, dated at the deadline.</summary>
public class SeatDecisionSweepTests
{
    // Test client type: 5 minute TTL, 1 hour idle timeout.
    private static readonly License OneSeat = License(seats: 1, Policy(SeatKey.Session, ClientType("desktop")));

    [Fact]
    public void Checkout_WhenAHolderMissedItsHeartbeat_EndsItAsExpiredAtItsDeadlineAndAdmitsInItsSeat()
    {
        var stale = Holder(OneSeat, "ses_stale", user: "bob", device: "pc-9", since: T0);
        var now = At(Minutes(7));

        var decided = SeatDecision.Checkout(Ledger(OneSeat, stale), Request("ses_new"), now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.SeatsInUse.ShouldBe(1);
        var ended = stale.End(EndReason.Expired, At(Minutes(5)));
        decided.Changes.Sessions.ShouldBe([ended, admitted.Session]);
        decided.Changes.Events.ShouldBe([
            new UsageEvent(TenantId, LicenseId, "ses_stale", At(Minutes(5)), UsageKind.Ended, "expired", "bob", "pc-9", "desktop", 1)
            {
                SeatKey = "ses_stale", LastActivityAt = T0,
            },
            new UsageEvent(TenantId, LicenseId, "ses_new", now, UsageKind.Admitted, Codes.Admitted, "alice", "pc-1", "desktop", 1)
            {
                SeatKey = "ses_new", SeatsInUse = 1, SeatLimit = 1,
            },
        ]);
    }

    [Fact]
    public void Checkout_WhenAHolderHasBeenInactiveForTheIdleTimeout_EndsItAsIdleAtItsIdleDeadline()
    {
        // Heartbeats kept coming (the client is open) but the user has done nothing since T0.
        var idle = Holder(OneSeat, "ses_idle", since: T0) with { LastHeartbeatAt = At(Minutes(62)) };
        var now = At(Minutes(64));

        var decided = SeatDecision.Checkout(Ledger(OneSeat, idle), Request("ses_new"), now);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        var ended = decided.Changes.Sessions[0];
        ended.Id.ShouldBe("ses_idle");
        ended.EndReason.ShouldBe(EndReason.Idle);
        ended.EndedAt.ShouldBe(At(Minutes(60)));
        decided.Changes.Events[0].ShouldBe(UsageEvent.Ended(ended));
        decided.Changes.Events[0].Code.ShouldBe("idle");
        decided.Changes.Events[0].At.ShouldBe(At(Minutes(60)));
    }

    [Fact]
    public void Checkout_WhenItDenies_StillRecordsTheHoldersThatFellDue()
    {
        var license = License(seats: 2, Policy(SeatKey.Session, ClientType("desktop"), ClientType("integration", weight: 2)));
        var live = Holder(license, "ses_live", since: At(Minutes(4)));
        var stale = Holder(license, "ses_stale", since: T0);
        var now = At(Minutes(6));

        var decided = SeatDecision.Checkout(Ledger(license, live, stale), Request(client: "integration"), now);

        decided.Result.ShouldBe(new CheckoutResult.Denied(Codes.NoSeatAvailable, "No seat for integration.", SeatsInUse: 1, Seats: 2));
        decided.Changes.Sessions.ShouldBe([stale.End(EndReason.Expired, At(Minutes(5)))]);
        decided.Changes.Events.Select(e => (e.Kind, e.SessionId, e.At)).ShouldBe([
            (UsageKind.Ended, "ses_stale", At(Minutes(5))),
            (UsageKind.Denied, null, now),
        ]);
    }

    [Fact]
    public void Checkout_ExactlyAtAHoldersDeadline_EndsTheHolder()
    {
        var holder = Holder(OneSeat, "ses_bob", since: T0);

        var decided = SeatDecision.Checkout(Ledger(OneSeat, holder), Request(), holder.Deadline);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        decided.Changes.Sessions[0].ShouldBe(holder.End(EndReason.Expired, holder.Deadline));
    }

    [Fact]
    public void Checkout_JustBeforeAHoldersDeadline_LeavesTheHolderItsSeat()
    {
        var holder = Holder(OneSeat, "ses_bob", since: T0);

        var decided = SeatDecision.Checkout(Ledger(OneSeat, holder), Request(), holder.Deadline - TimeSpan.FromTicks(1));

        decided.Result.ShouldBeOfType<CheckoutResult.Denied>();
        decided.Changes.Sessions.ShouldBeEmpty();
    }

    [Fact]
    public void Checkout_HoldersThatAlreadyEnded_NeitherCountNorAreEndedAgain()
    {
        var released = Holder(OneSeat, "ses_gone", since: T0).End(EndReason.Released, At(Minutes(1)));

        var decided = SeatDecision.Checkout(Ledger(OneSeat, released), Request("ses_new"), At(Minutes(2)));

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(1);
        decided.Changes.Sessions.Select(s => s.Id).ShouldBe(["ses_new"]);
        decided.Changes.Events.Select(e => e.Kind).ShouldBe([UsageKind.Admitted]);
    }

    [Fact]
    public void Sweep_SplitsHoldersIntoLiveAndEndedAndSkipsTheAlreadyEnded()
    {
        var live = Holder(OneSeat, "ses_live", since: At(Minutes(8)));
        var stale = Holder(OneSeat, "ses_stale", since: T0);
        var released = Holder(OneSeat, "ses_gone", since: T0).End(EndReason.Released, At(Minutes(1)));

        var (liveOnes, endedOnes) = SeatDecision.Sweep([live, stale, released], At(Minutes(10)));

        liveOnes.ShouldBe([live]);
        endedOnes.ShouldBe([stale.End(EndReason.Expired, At(Minutes(5)))]);
    }
}
