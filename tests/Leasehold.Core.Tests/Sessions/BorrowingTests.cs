using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Leasehold.Core.Installations;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Signing;
using Leasehold.Core.Usage;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>Borrowing a seat: the same seat decision, a seat held without heartbeats until its end, and a signed lease.</summary>
public class BorrowingTests
{
    private static readonly DateTimeOffset Now = At(Minutes(2));
    private static readonly License Lending = License(seats: 1, Policy(SeatKey.Session, ClientType() with { BorrowDays = 7 }, ClientType("web")));

    private static CheckoutRequest Borrow(DateTimeOffset until, string id = "ses_new", string client = "desktop") =>
        Request(id, client: client) with { BorrowUntil = until };

    private static Session Borrowed(DateTimeOffset until) =>
        SeatDecision.Checkout(Ledger(Lending), Borrow(until), Now).Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

    [Fact]
    public void Borrow_WithinThePolicy_IsAdmittedUntilThen_AndTheAdmissionSaysSo()
    {
        var until = Now.AddDays(3);

        var decided = SeatDecision.Checkout(Ledger(Lending), Borrow(until), Now);

        var session = decided.Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;
        session.BorrowedUntil.ShouldBe(until);
        session.ExpiresAt.ShouldBe(until);
        session.IdleTimeout.ShouldBeNull();
        session.NextEnd.ShouldBe((EndReason.BorrowEnded, until));
        decided.Changes.Events.ShouldHaveSingleItem().BorrowedUntil.ShouldBe(until);
        decided.Changes.Events[0].Kind.ShouldBe(UsageKind.Admitted);
    }

    [Fact]
    public void Borrow_HoldsTheSeatLikeAnyCheckout()
    {
        var holder = Borrowed(Now.AddDays(3));

        var refused = SeatDecision.Checkout(Ledger(Lending, holder), Request("ses_bob", user: "bob"), Now.AddDays(2));

        refused.Result.ShouldBeOfType<CheckoutResult.Denied>().Code.ShouldBe(Codes.NoSeatAvailable);
    }

    [Fact]
    public void Borrow_ByAClientTypeWithoutBorrowDays_IsRejectedNamingTheField()
    {
        var decided = SeatDecision.Checkout(Ledger(Lending), Borrow(Now.AddDays(1), client: "web"), Now);

        var error = decided.Result.ShouldBeOfType<CheckoutResult.Rejected>().Error;
        error.Code.ShouldBe(Codes.BorrowNotAllowed);
        error.Field.ShouldBe("borrowUntil");
        decided.Changes.ShouldBe(Changes.None);
    }

    [Theory]
    [InlineData(7 * 24 * 60 + 1)]
    [InlineData(0)]
    [InlineData(-60)]
    public void Borrow_BeyondThePolicyOrNotInTheFuture_IsRejectedNamingTheField(int minutesAhead)
    {
        var decided = SeatDecision.Checkout(Ledger(Lending), Borrow(Now.AddMinutes(minutesAhead)), Now);

        var error = decided.Result.ShouldBeOfType<CheckoutResult.Rejected>().Error;
        error.Code.ShouldBe(Codes.InvalidRequest);
        error.Field.ShouldBe("borrowUntil");
    }

    [Fact]
    public void Borrow_ForExactlyThePolicysDays_IsAdmitted()
    {
        Borrowed(Now.AddDays(7)).BorrowedUntil.ShouldBe(Now.AddDays(7));
    }

    [Fact]
    public void Borrow_NeverOutlivesTheLicense()
    {
        var ending = Lending with { EndsAt = Now.AddDays(2), Policy = Lending.Policy with { Expiry = new ExpiryPolicy(0, 0) } };

        var session = SeatDecision.Checkout(Ledger(ending), Borrow(Now.AddDays(5)), Now).Result.ShouldBeOfType<CheckoutResult.Admitted>().Session;

        session.BorrowedUntil.ShouldBe(Now.AddDays(2));
    }

    [Fact]
    public void Heartbeat_OnABorrowedSeat_DoesNotShortenIt()
    {
        var until = Now.AddDays(3);

        var beaten = SessionLifecycle.Heartbeat(Borrowed(until), active: false, Now.AddHours(1)).Result.Session;

        beaten.IsActive.ShouldBeTrue();
        beaten.Deadline.ShouldBe(until);
        beaten.DueEnd(Now.AddDays(2)).ShouldBeNull();
    }

    [Fact]
    public void Reap_AtItsEnd_EndsTheBorrowAsBorrowEnded_DatedThen()
    {
        var until = Now.AddDays(3);

        var reaped = SessionLifecycle.Reap(Borrowed(until), until.AddMinutes(7));

        reaped.Result.Session.EndReason.ShouldBe(EndReason.BorrowEnded);
        reaped.Result.Session.EndedAt.ShouldBe(until);
        reaped.Changes.Events.ShouldHaveSingleItem().Code.ShouldBe(Codes.BorrowEnded);
    }

    [Fact]
    public void Release_OfABorrowedSeat_FreesItAtOnce()
    {
        var released = SessionLifecycle.Release(Borrowed(Now.AddDays(3)), Now.AddHours(2));

        released.Result.Session.EndReason.ShouldBe(EndReason.Released);
        released.Result.Session.EndedAt.ShouldBe(Now.AddHours(2));
    }

    [Fact]
    public void Stop_OfABorrowedSeat_ChangesNothing()
    {
        var borrowed = Borrowed(Now.AddDays(3));

        var stopped = SessionLifecycle.Stop(borrowed, Now.AddHours(2), "key_admin");

        stopped.Result.EndedNow.ShouldBeFalse();
        stopped.Result.Session.ShouldBe(borrowed);
        stopped.Changes.ShouldBe(Changes.None);
    }

    [Fact]
    public void Replay_OfABorrowAsAPlainCheckout_IsRejectedAsAReusedKey()
    {
        var borrowed = Borrowed(Now.AddDays(3)) with { IdempotencyKey = "k1" };
        var ledger = Ledger(Lending, borrowed) with { Replay = borrowed };

        var decided = SeatDecision.Checkout(ledger, Request("ses_other", idempotencyKey: "k1"), Now);

        decided.Result.ShouldBeOfType<CheckoutResult.Rejected>().Error.Code.ShouldBe(Codes.IdempotencyKeyReused);
    }

    [Fact]
    public void Codes_BorrowEnded_RoundTrips()
    {
        Codes.ParseEndReason(Codes.Of(EndReason.BorrowEnded)).ShouldBe(EndReason.BorrowEnded);
    }

    [Fact]
    public void Lease_IsAJwsOfItsOwnType_SignedByTheKey_WithTheSessionsFields()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var session = Borrowed(Now.AddDays(3));
        var kid = SigningJwk.From(key).Kid;

        var token = BorrowLeases.Sign(session, Lending, Now, key);

        var read = CompactJws.Read(token, BorrowLeases.MediaType, k => k == kid ? SigningJwk.From(key).ToVerifier() : null);
        read.Fault.ShouldBe(CompactJws.Fault.None);
        read.Header.ShouldBe(new CompactJws.Header("ES256", "leasehold-borrow+jwt", kid));
        var claims = JsonSerializer.Deserialize<BorrowLeaseClaims>(CompactJws.Decode(read.Payload), BorrowLeaseClaims.Json)!;
        claims.ShouldBe(new BorrowLeaseClaims
        {
            SessionId = session.Id, TenantId = session.TenantId, LicenseId = session.LicenseId, Product = "erp",
            User = "alice", Device = "pc-1", Client = "desktop", Seats = 1, BorrowedUntil = Now.AddDays(3), IssuedAt = Now, KeyId = kid,
        });
    }

    [Fact]
    public void Lease_IsNeverReadAsALicenseFile()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = BorrowLeases.Sign(Borrowed(Now.AddDays(3)), Lending, Now, key);

        LicenseFiles.Read(token, [SigningJwk.From(key)]).ShouldBeOfType<LicenseFileReading.Refused>().Code.ShouldBe(Codes.LicenseFileMalformed);
    }

    [Fact]
    public void Lease_WithOneByteChanged_DoesNotVerify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parts = BorrowLeases.Sign(Borrowed(Now.AddDays(3)), Lending, Now, key).Split('.');
        var payload = Encoding.UTF8.GetString(CompactJws.Decode(parts[1])).Replace("\"seats\":1", "\"seats\":9", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{CompactJws.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        CompactJws.Read(forged, BorrowLeases.MediaType, _ => SigningJwk.From(key).ToVerifier()).Fault.ShouldBe(CompactJws.Fault.BadSignature);
    }
}
