using System.Security.Cryptography;
using System.Text;
using Leasehold.Client.Tests.Support;
using Leasehold.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Leasehold.Client.Tests;

/// <summary>Borrowing through the SDK: a seat held off the network on a signed lease that verifies with the server stopped.</summary>
public sealed class BorrowTests
{
    private static readonly object Lending = new { clientTypes = new { desktop = new { borrowDays = 7 }, web = new { } } };
    private static readonly DateTimeOffset Until = TestHost.Epoch.AddDays(3);

    [Fact]
    public async Task BorrowedLease_VerifiesWithTheServerStopped_UntilItsEnd()
    {
        var host = await TestHost.StartAsync(clock: new FakeTimeProvider(TestHost.Epoch));
        string token, keys, sessionId;
        try
        {
            var t = await ClientFixture.TenancyAsync(host, seats: 1, Lending);
            using var client = new LeaseholdClient(ClientFixture.Options(host, t.AppKey, t.LicenseId));

            var borrowed = await client.BorrowAsync("alice", "laptop-7", Until);

            borrowed.User.ShouldBe("alice");
            borrowed.Device.ShouldBe("laptop-7");
            borrowed.LicenseId.ShouldBe(t.LicenseId);
            borrowed.Product.ShouldBe("cad");
            borrowed.BorrowedUntil.ShouldBe(Until);
            (token, keys, sessionId) = (borrowed.Token, borrowed.IssuerKeys, borrowed.SessionId);
            var refused = await Should.ThrowAsync<SeatDeniedException>(() => client.CheckoutAsync("bob", "pc-2"));
            refused.Code.ShouldBe("no_seat_available");
        }
        finally
        {
            await host.DisposeAsync();
        }

        // The server is gone: what the application stored is all it has.
        var offline = BorrowedLease.Verify(token, keys, TestHost.Epoch.AddDays(2));

        offline.SessionId.ShouldBe(sessionId);
        offline.User.ShouldBe("alice");
        offline.BorrowedUntil.ShouldBe(Until);
        offline.Verify(Until.AddSeconds(-1)).SessionId.ShouldBe(sessionId);
        Should.Throw<BorrowedLeaseException>(() => BorrowedLease.Verify(token, keys, Until)).Fault.ShouldBe(LeaseFault.Ended);
    }

    [Fact]
    public async Task BorrowedLease_ChangedOrSignedByAnotherKeyOrReadWithTheClockSetBack_DoesNotVerify()
    {
        await using var host = await TestHost.StartAsync(clock: new FakeTimeProvider(TestHost.Epoch));
        var t = await ClientFixture.TenancyAsync(host, seats: 1, Lending);
        using var client = new LeaseholdClient(ClientFixture.Options(host, t.AppKey, t.LicenseId));
        var lease = await client.BorrowAsync("alice", "laptop-7", Until);
        var now = TestHost.Epoch.AddDays(1);

        var parts = lease.Token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlDecode(parts[1])).Replace(Until.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-", "2099-", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Base64UrlEncode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        Should.Throw<BorrowedLeaseException>(() => BorrowedLease.Verify(forged, lease.IssuerKeys, now)).Fault.ShouldBe(LeaseFault.BadSignature);

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var strangerKeys = $$"""{"keys":[{{System.Text.Json.JsonSerializer.Serialize(Leasehold.Core.Installations.SigningJwk.From(stranger), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))}}]}""";
        Should.Throw<BorrowedLeaseException>(() => BorrowedLease.Verify(lease.Token, strangerKeys, now)).Fault.ShouldBe(LeaseFault.UnknownKey);
        Should.Throw<BorrowedLeaseException>(() => BorrowedLease.Verify(lease.Token, "not json", now)).Fault.ShouldBe(LeaseFault.BadKeys);
        Should.Throw<BorrowedLeaseException>(() => BorrowedLease.Verify("a.b", lease.IssuerKeys, now)).Fault.ShouldBe(LeaseFault.Malformed);
        Should.Throw<BorrowedLeaseException>(() => BorrowedLease.Verify(lease.Token, lease.IssuerKeys, TestHost.Epoch.AddDays(-1)))
            .Fault.ShouldBe(LeaseFault.ClockSetBack);
    }

    [Fact]
    public async Task ReturnAsync_FreesTheSeatAtOnce_AndAfterItsEndSaysItHadEnded()
    {
        var clock = new FakeTimeProvider(TestHost.Epoch);
        await using var host = await TestHost.StartAsync(clock: clock);
        var t = await ClientFixture.TenancyAsync(host, seats: 1, Lending);
        using var client = new LeaseholdClient(ClientFixture.Options(host, t.AppKey, t.LicenseId));
        var first = await client.BorrowAsync("alice", "laptop-7", Until);

        (await client.ReturnAsync(first)).ShouldBeTrue();

        var second = await client.BorrowAsync("bob", "laptop-8", Until);
        clock.Advance(TimeSpan.FromDays(3));
        (await client.ReturnAsync(second)).ShouldBeFalse();
        await using var lease = await client.CheckoutAsync("carol", "pc-3");
        lease.IsActive.ShouldBeTrue();
    }

    [Fact]
    public async Task ReturnAsync_OfALeaseReadBackFromItsStoredText_ProvesTheSeatIsItsOwn()
    {
        var clock = new FakeTimeProvider(TestHost.Epoch);
        await using var host = await TestHost.StartAsync(clock: clock);
        var t = await ClientFixture.TenancyAsync(host, seats: 1, Lending);
        string token, keys;
        using (var before = new LeaseholdClient(ClientFixture.Options(host, t.AppKey, t.LicenseId)))
        {
            var borrowed = await before.BorrowAsync("alice", "laptop-7", Until);
            (token, keys) = (borrowed.Token, borrowed.IssuerKeys); // all the application stores
        }

        // After a restart: the session's token travels inside the signed lease, the application never handled it.
        using var after = new LeaseholdClient(ClientFixture.Options(host, t.AppKey, t.LicenseId));
        (await after.ReturnAsync(BorrowedLease.Verify(token, keys, clock.GetUtcNow()))).ShouldBeTrue();
        await using var lease = await after.CheckoutAsync("bob", "pc-2");
        lease.IsActive.ShouldBeTrue("the one seat was returned");
    }

    [Fact]
    public async Task BorrowAsync_WhenTheClientTypeDoesNotAllowIt_ThrowsWithTheCodeAndField()
    {
        await using var host = await TestHost.StartAsync(clock: new FakeTimeProvider(TestHost.Epoch));
        var t = await ClientFixture.TenancyAsync(host, seats: 1, Lending);
        var options = ClientFixture.Options(host, t.AppKey, t.LicenseId);
        options.ClientType = "web";
        using var client = new LeaseholdClient(options);

        var refused = await Should.ThrowAsync<LeaseholdException>(() => client.BorrowAsync("alice", "laptop-7", Until));

        refused.Code.ShouldBe("borrow_not_allowed");
        refused.Field.ShouldBe("borrowUntil");
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    private static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
