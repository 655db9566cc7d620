using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Sessions;

public class SeatDecisionCheckoutTests
{
    private static readonly DateTimeOffset Now = At(Minutes(2));

    [Fact]
    public void Checkout_WhileSeatsAreFree_AdmitsANewSessionAndRecordsAnAdmittedEvent()
    {
        var license = License(seats: 2);
        var ledger = Ledger(license, Holder(license, "ses_bob"));

        var decided = SeatDecision.Checkout(ledger, Request("ses_new", user: "alice", device: "pc-1"), Now);

        var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
        admitted.Replayed.ShouldBeFalse();
        admitted.SeatsInUse.ShouldBe(2);
        admitted.Seats.ShouldBe(2);
        admitted.Session.Id.ShouldBe("ses_new");
        decided.Changes.Sessions.ShouldBe([admitted.Session]);
        decided.Changes.Events.ShouldBe([
            new UsageEvent(TenantId, LicenseId, "ses_new", Now, UsageKind.Admitted, Codes.Admitted, "alice", "pc-1", "desktop", 1)
            {
                SeatKey = "ses_new", SeatsInUse = 2, SeatLimit = 2,
            },
        ]);
    }

    [Fact]
    public void Checkout_OnAnEmptyLicense_AdmitsUpToTheLimitOneSessionAtATime()
    {
        var license = License(seats: 3);
        var holders = new List<Session>();

        for (var i = 1; i <= 3; i++)
        {
            var decided = SeatDecision.Checkout(Ledger(license, [.. holders]), Request($"ses_{i}", user: $"user{i}"), Now);
            var admitted = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>();
            admitted.SeatsInUse.ShouldBe(i);
            holders.Add(admitted.Session);
        }

        SeatDecision.Checkout(Ledger(license, [.. holders]), Request("ses_4", user: "user4"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Denied>().SeatsInUse.ShouldBe(3);
    }

    [Fact]
    public void Checkout_WhenLimitReached_IsDeniedWithTheClientTypesCodeAndMessage()
    {
        var desktop = ClientType("desktop", denialCode: "desktop_full", denialMessage: "Close another window first.");
        var license = License(seats: 1, Policy(SeatKey.Session, desktop));
        var ledger = Ledger(license, Holder(license, "ses_bob"));

        var decided = SeatDecision.Checkout(ledger, Request("ses_new", user: "alice", device: "pc-1"), Now);

        decided.Result.ShouldBe(new CheckoutResult.Denied("desktop_full", "Close another window first.", SeatsInUse: 1, Seats: 1));
        decided.Changes.Sessions.ShouldBeEmpty();
        decided.Changes.Events.ShouldBe([
            new UsageEvent(TenantId, LicenseId, null, Now, UsageKind.Denied, "desktop_full", "alice", "pc-1", "desktop", 1)
            {
                SeatKey = "ses_new", SeatsInUse = 1, SeatLimit = 1,
            },
        ]);
    }

    [Theory]
    [InlineData("desktop", "All licenses are in use. Try again later or ask your administrator for more seats.")]
    [InlineData("web", "No license is free right now. Please try again in a few minutes.")]
    public void Checkout_WhenLimitReachedOnTheDefaultPolicy_EachClientTypeGetsItsOwnMessage(string client, string message)
    {
        var license = License(seats: 1);
        var ledger = Ledger(license, Holder(license, "ses_bob"));

        var decided = SeatDecision.Checkout(ledger, Request(client: client), Now);

        decided.Result.ShouldBe(new CheckoutResult.Denied(Codes.NoSeatAvailable, message, 1, 1));
    }

    [Fact]
    public void Checkout_AdmittedSession_CopiesTtlIdleTimeoutAndWeightFromTheClientType()
    {
        var integration = ClientType("integration", weight: 3, ttl: TimeSpan.FromSeconds(90), idle: Minutes(10));
        var license = License(seats: 5, Policy(SeatKey.Session, ClientType("desktop"), integration));

        var decided = SeatDecision.Checkout(Ledger(license),
            Request("ses_new", user: "etl", device: "srv-1", client: "integration", idempotencyKey: "key-1"), Now);

        var session = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;
        session.ShouldBe(new Session
        {
            Id = "ses_new",
            TenantId = TenantId,
            LicenseId = LicenseId,
            User = "etl",
            Device = "srv-1",
            Client = "integration",
            Consumption = Consumption.Seat,
            Seats = 3,
            SeatKey = SeatDecision.SeatKeyFor(SeatKey.Session, Request("ses_new")),
            Ttl = TimeSpan.FromSeconds(90),
            IdleTimeout = Minutes(10),
            StartedAt = Now,
            LastHeartbeatAt = Now,
            LastActivityAt = Now,
            IdempotencyKey = "key-1",
        });
        session.IsActive.ShouldBeTrue();
        session.ExpiresAt.ShouldBe(Now + TimeSpan.FromSeconds(90));
        session.IdleAt.ShouldBe(Now + Minutes(10));
    }

    [Fact]
    public void Checkout_ClientTypeWithoutIdleTimeout_AdmitsASessionThatNeverIdlesOut()
    {
        var license = License(seats: 1, Policy(SeatKey.Session, ClientType("kiosk") with { IdleTimeout = null }));

        var session = SeatDecision.Checkout(Ledger(license), Request(client: "kiosk"), Now)
            .Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        session.IdleTimeout.ShouldBeNull();
        session.IdleAt.ShouldBeNull();
        session.Deadline.ShouldBe(session.ExpiresAt);
    }

    [Fact]
    public void Checkout_ClientNamedInAnotherCase_IsAdmittedUnderTheTypesOwnName()
    {
        var decided = SeatDecision.Checkout(Ledger(License(seats: 1)), Request(client: "DeskTop"), Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().Session.Client.ShouldBe("desktop");
        decided.Changes.Events.Single().Client.ShouldBe("desktop");
    }

    [Fact]
    public void Checkout_UnknownClientType_IsRejectedWithFieldClientAndNoChanges()
    {
        var license = License(seats: 1);
        var overdue = Holder(license, "ses_overdue", since: T0);
        var ledger = Ledger(license, overdue);

        var decided = SeatDecision.Checkout(ledger, Request(client: "mobile"), At(Minutes(30)));

        var error = decided.Result.ShouldBeOfType<CheckoutResult.Rejected>().Error;
        error.Code.ShouldBe(Codes.UnknownClientType);
        error.Field.ShouldBe("client");
        error.Message.ShouldBe("Unknown client type 'mobile'. This license knows: desktop, web.");
        decided.Changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Checkout_UnknownClientName_WithADefaultClientType_IsAdmittedAsTheDefaultType()
    {
        var web = ClientType("web", ttl: Minutes(20));
        var license = License(seats: 1, Policy(SeatKey.Session, "web", ClientType("desktop"), web));

        var decided = SeatDecision.Checkout(Ledger(license), Request(client: "kiosk-browser"), Now);

        var session = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;
        session.Client.ShouldBe("web");
        session.Ttl.ShouldBe(Minutes(20));
    }

    [Fact]
    public void Checkout_UnknownClientName_WhenTheDefaultClientTypeIsNotDefined_IsRejected()
    {
        var license = License(seats: 1, Policy(SeatKey.Session, "web", ClientType("desktop")));

        var decided = SeatDecision.Checkout(Ledger(license), Request(client: "kiosk-browser"), Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Rejected>().Error.Code.ShouldBe(Codes.UnknownClientType);
        decided.Changes.IsEmpty.ShouldBeTrue();
    }
}
