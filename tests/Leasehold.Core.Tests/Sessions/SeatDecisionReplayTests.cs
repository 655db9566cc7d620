using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>Exactly-once checkout: a retried request with the same idempotency key gets its own session back.</summary>
public class SeatDecisionReplayTests
{
    private static readonly DateTimeOffset Now = At(Minutes(1));
    private static readonly License OneSeat = License(seats: 1);

    private static readonly Session Earlier =
        Holder(OneSeat, "ses_first", user: "alice", device: "pc-1", client: "desktop", since: T0, idempotencyKey: "key-1");

    private static LicenseLedger LedgerReplaying(Session earlier, License? license = null) =>
        new(license ?? OneSeat, [Earlier], earlier);

    [Fact]
    public void Checkout_RetriedWithTheSameIdempotencyKey_ReturnsTheEarlierSessionAsReplayedWithNoChanges()
    {
        var retry = Request("ses_second", user: "alice", device: "pc-1", client: "desktop", idempotencyKey: "key-1");

        var decided = SeatDecision.Checkout(LedgerReplaying(Earlier), retry, Now);

        // The license is full (the earlier session holds its only seat), yet the retry is not denied.
        decided.Result.ShouldBe(new CheckoutResult.Admitted(Earlier, Replayed: true, SeatsInUse: 1, Seats: 1));
        decided.Changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Checkout_RetriedWithTheClientNamedInAnotherCase_IsStillAReplay()
    {
        var retry = Request("ses_second", user: "alice", device: "pc-1", client: "DESKTOP", idempotencyKey: "key-1");

        var decided = SeatDecision.Checkout(LedgerReplaying(Earlier), retry, Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().Replayed.ShouldBeTrue();
    }

    [Fact]
    public void Checkout_RetriedWithAnUnknownClientNameResolvingToTheSameDefaultType_IsStillAReplay()
    {
        var license = License(seats: 1, Policy(SeatKey.Session, "desktop", ClientType("desktop")));
        var earlier = Holder(license, "ses_first", user: "alice", device: "pc-1", client: "thin-client", idempotencyKey: "key-1");
        var retry = Request("ses_second", user: "alice", device: "pc-1", client: "thin-client", idempotencyKey: "key-1");

        var decided = SeatDecision.Checkout(new LicenseLedger(license, [earlier], earlier), retry, Now);

        decided.Result.ShouldBe(new CheckoutResult.Admitted(earlier, Replayed: true, SeatsInUse: 1, Seats: 1));
    }

    [Fact]
    public void Checkout_Replay_CountsOnlyLiveHoldersInSeatsInUse()
    {
        var license = License(seats: 2);
        var stale = Holder(license, "ses_stale", user: "bob", since: T0 - Minutes(30));
        var earlier = Holder(license, "ses_first", user: "alice", device: "pc-1", idempotencyKey: "key-1");
        var retry = Request("ses_second", user: "alice", device: "pc-1", idempotencyKey: "key-1");

        var decided = SeatDecision.Checkout(new LicenseLedger(license, [stale, earlier], earlier), retry, Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().SeatsInUse.ShouldBe(1);
        decided.Changes.IsEmpty.ShouldBeTrue();
    }

    [Theory]
    [InlineData("bob", "pc-1", "desktop")]
    [InlineData("alice", "laptop", "desktop")]
    [InlineData("alice", "pc-1", "web")]
    [InlineData("alice", "pc-1", "mobile")]
    public void Checkout_IdempotencyKeyReusedForADifferentCheckout_IsRejectedWithNoChanges(string user, string device, string client)
    {
        var other = Request("ses_second", user, device, client, idempotencyKey: "key-1");

        var decided = SeatDecision.Checkout(LedgerReplaying(Earlier), other, Now);

        var error = decided.Result.ShouldBeOfType<CheckoutResult.Rejected>().Error;
        error.Code.ShouldBe(Codes.IdempotencyKeyReused);
        error.Field.ShouldBe("Idempotency-Key");
        decided.Changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Checkout_IdempotencyKeyReusedOnAnotherLicense_IsRejected()
    {
        var otherLicense = License(seats: 5, id: "lic_crm");
        var retry = Request("ses_second", user: "alice", device: "pc-1", client: "desktop", idempotencyKey: "key-1");

        var decided = SeatDecision.Checkout(new LicenseLedger(otherLicense, [], Earlier), retry, Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Rejected>().Error.Code.ShouldBe(Codes.IdempotencyKeyReused);
        decided.Changes.IsEmpty.ShouldBeTrue();
    }
}
