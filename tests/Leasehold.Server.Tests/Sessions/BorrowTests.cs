using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using Leasehold.Server.Background;
using Leasehold.Server.Tests.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Sessions;

/// <summary>Borrowing a seat over HTTP: held without heartbeats until its end, shown to admins, returned early, refused when the policy says no.</summary>
public sealed class BorrowTests : HostedTests
{
    private static readonly object Lending = new { clientTypes = new { desktop = new { borrowDays = 7 }, web = new { } } };

    private static Task<JsonElement> BorrowAsync(Tenancy t, DateTimeOffset until, HttpStatusCode expected = HttpStatusCode.Created,
        string user = "alice", string kind = "desktop") =>
        t.App.PostAsync("/v1/sessions", new { licenseId = t.LicenseId, user, device = "laptop-7", client = kind, borrowUntil = until }, expected);

    [Fact]
    public async Task Borrow_HoldsTheSeatWithoutHeartbeats_UntilItsEnd_WhenTheReaperEndsItAsBorrowEnded()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1, Lending);
        var until = TestHost.Epoch.AddDays(3);

        var borrowed = await BorrowAsync(t, until);

        borrowed.GetProperty("borrowedUntil").GetDateTimeOffset().ShouldBe(until);
        borrowed.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(until);
        borrowed.Str("lease").Split('.').Length.ShouldBe(3);
        Host.Clock.Advance(TimeSpan.FromDays(2));
        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict);

        Host.Clock.Advance(TimeSpan.FromDays(1));
        await Host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

        await t.App.CheckoutAsync(t.LicenseId, "bob");
        var events = await Host.UsageEventsAsync(t.LicenseId);
        var admitted = events.First(e => e.SessionId == borrowed.Str("id"));
        admitted.BorrowedUntil.ShouldBe(until);
        var ended = events.Single(e => e.SessionId == borrowed.Str("id") && e.Kind == Core.Usage.UsageKind.Ended);
        ended.Code.ShouldBe("borrow_ended");
        ended.At.ShouldBe(until);
        var gone = await t.App.GetJsonAsync($"/v1/sessions/{borrowed.Str("id")}");
        gone.Str("endReason").ShouldBe("borrow_ended");
    }

    [Fact]
    public async Task BorrowedSeat_ShowsInTheSessionsListAndTheUsageHistory_WithItsHolderAndEnd()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2, Lending);
        var until = TestHost.Epoch.AddDays(5);
        var id = (await BorrowAsync(t, until)).Str("id");
        await t.App.CheckoutAsync(t.LicenseId, "bob");

        var sessions = (await t.Admin.GetJsonAsync($"/v1/sessions?licenseId={t.LicenseId}")).GetProperty("items");
        var history = await t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={t.LicenseId}&kind=admitted");

        var listed = sessions.EnumerateArray().Single(s => s.Str("id") == id);
        listed.Str("user").ShouldBe("alice");
        listed.GetProperty("borrowedUntil").GetDateTimeOffset().ShouldBe(until);
        listed.TryGetProperty("lease", out _).ShouldBeFalse();
        sessions.EnumerateArray().Single(s => s.Str("id") != id).GetProperty("borrowedUntil").ValueKind.ShouldBe(JsonValueKind.Null);
        var admission = history.GetProperty("items").EnumerateArray().Single(e => e.Str("sessionId") == id);
        admission.GetProperty("borrowedUntil").GetDateTimeOffset().ShouldBe(until);
    }

    [Fact]
    public async Task BorrowedSeat_ReturnedEarly_IsFreeAtOnce()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1, Lending);
        var id = (await BorrowAsync(t, TestHost.Epoch.AddDays(3))).Str("id");
        Host.Clock.Advance(TimeSpan.FromHours(5));

        await t.App.DeleteAsync($"/v1/sessions/{id}", HttpStatusCode.NoContent);

        await t.App.CheckoutAsync(t.LicenseId, "bob");
        var ended = (await Host.UsageEventsAsync(t.LicenseId)).Single(e => e.SessionId == id && e.Kind == Core.Usage.UsageKind.Ended);
        ended.Code.ShouldBe("released");
        ended.At.ShouldBe(TestHost.Epoch.AddHours(5));
    }

    [Fact]
    public async Task Heartbeat_OnABorrowedSeat_DoesNotShortenIt()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1, Lending);
        var until = TestHost.Epoch.AddDays(3);
        var id = (await BorrowAsync(t, until)).Str("id");
        Host.Clock.Advance(TimeSpan.FromHours(1));

        var beat = await t.App.PostAsync($"/v1/sessions/{id}/heartbeat", new { active = true }, HttpStatusCode.OK);
        Host.Clock.Advance(TimeSpan.FromHours(1));
        await Host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

        beat.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(until);
        (await t.App.GetJsonAsync($"/v1/sessions/{id}")).Str("status").ShouldBe("active");
    }

    [Fact]
    public async Task Borrow_ByAClientTypeThatDoesNotAllowIt_IsRefusedNamingTheField_AndHoldsNothing()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1, Lending);

        var refused = await BorrowAsync(t, TestHost.Epoch.AddDays(1), HttpStatusCode.BadRequest, kind: "web");

        refused.Str("code").ShouldBe("borrow_not_allowed");
        refused.Str("field").ShouldBe("borrowUntil");
        refused.Str("detail").ShouldContain("'web'");
        (await t.Admin.GetJsonAsync($"/v1/sessions?licenseId={t.LicenseId}")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Borrow_LongerThanThePolicyAllows_IsRefusedNamingTheField()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1, Lending);

        var refused = await BorrowAsync(t, TestHost.Epoch.AddDays(7).AddMinutes(1), HttpStatusCode.BadRequest);

        refused.Str("code").ShouldBe("invalid_request");
        refused.Str("field").ShouldBe("borrowUntil");
        refused.Str("detail").ShouldContain("7 days");
        (await t.Admin.GetJsonAsync($"/v1/sessions?licenseId={t.LicenseId}")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Stop_OfABorrowedSeat_IsRefused_AndTheSeatStaysHeld()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1, Lending);
        var until = TestHost.Epoch.AddDays(3);
        var id = (await BorrowAsync(t, until)).Str("id");

        var refused = await t.Admin.PostAsync($"/v1/sessions/{id}/stop", null, HttpStatusCode.Conflict);

        refused.Str("code").ShouldBe("session_borrowed");
        refused.GetProperty("borrowedUntil").GetDateTimeOffset().ShouldBe(until);
        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Lease_IsSignedByAKeyOfTheServersKeySet_WithItsOwnType()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1, Lending);

        var lease = (await BorrowAsync(t, TestHost.Epoch.AddDays(1))).Str("lease");

        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(lease.Split('.')[0])));
        header.RootElement.Str("typ").ShouldBe("leasehold-borrow+jwt");
        header.RootElement.Str("alg").ShouldBe("ES256");
        using var anonymous = Host.Client();
        var jwks = await anonymous.GetJsonAsync("/.well-known/jwks.json");
        jwks.GetProperty("keys").EnumerateArray().Select(k => k.Str("kid")).ShouldContain(header.RootElement.Str("kid"));
    }
}
