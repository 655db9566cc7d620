using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Waits;

/// <summary>
/// The waiting line over HTTP (docs/api.md, "Waiting for a seat"): a checkout with <c>waitSeconds</c> joins the line when no
/// seat is free, follows its place (read, heartbeat, events), takes the seat held for it, or leaves. Runs on SQLite here and
/// on PostgreSQL in Leasehold.Server.Tests.Postgres.
/// </summary>
public sealed class WaitingLineApiTests
{
    private static readonly object LinePolicy = new
    {
        waitingLine = new { enabled = true, maxLength = 3, offerSeconds = 30, maxWaitSeconds = 1800 },
        clientTypes = new { desktop = new { ttlSeconds = 300, idleTimeoutSeconds = 0 }, web = new { waits = false } },
    };

    private static Task<JsonElement> WaitAsync(HttpClient app, string licenseId, string user, HttpStatusCode expected = HttpStatusCode.Accepted,
        int waitSeconds = 600, string kind = "desktop", string? idempotencyKey = null) =>
        app.PostAsync("/v1/waits", new { licenseId, user, device = $"pc-{user}", client = kind, waitSeconds }, expected,
            idempotencyKey is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey });

    [Fact]
    public async Task ThreeUsersOnTwoSeats_TheThirdWaitsFirstInLine_IsPushedTheOffer_AndTakesTheSeat()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 2, LinePolicy);
        var alice = (await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice")).Str("id");
        await tenancy.App.CheckoutAsync(tenancy.LicenseId, "bob", device: "pc-bob");

        var carl = await WaitAsync(tenancy.App, tenancy.LicenseId, "carl");
        carl.Str("status").ShouldBe("waiting");
        carl.Int("position").ShouldBe(1);
        carl.Str("id").ShouldStartWith("wait_");
        carl.Str("waitToken").ShouldStartWith("lhw_");
        carl.Str("sessionId").ShouldStartWith("ses_");
        carl.GetProperty("waitUntil").GetDateTimeOffset().ShouldBe(host.Clock.GetUtcNow().AddSeconds(600));
        carl.GetProperty("offerExpiresAt").ValueKind.ShouldBe(JsonValueKind.Null);
        var waitId = carl.Str("id");

        await using var events = await SseReader.OpenAsync(tenancy.App, $"/v1/waits/{waitId}/events");
        var first = await events.NextAsync();
        first.Name.ShouldBe("waiting");
        first.Data.Int("position").ShouldBe(1);

        await tenancy.App.DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent);

        var offered = await events.NextOtherThanAsync("waiting");
        offered.Name.ShouldBe("offered");
        offered.Data.Str("take").ShouldBe($"/v1/waits/{waitId}/session");
        offered.Data.GetProperty("offerExpiresAt").GetDateTimeOffset().ShouldBe(host.Clock.GetUtcNow().AddSeconds(30));
        // Held for carl: a newcomer that did not wait is refused, though a seat is free.
        await tenancy.App.CheckoutAsync(tenancy.LicenseId, "zoe", HttpStatusCode.Conflict, device: "pc-zoe");

        var session = await tenancy.App.PostAsync($"/v1/waits/{waitId}/session", null, HttpStatusCode.Created);
        session.Str("id").ShouldBe(carl.Str("sessionId"));
        session.Str("user").ShouldBe("carl");
        session.Str("sessionToken").ShouldStartWith("lhs_");
        session.Int("seatsInUse").ShouldBe(2);

        var ended = await events.NextAsync();
        ended.Name.ShouldBe("ended");
        ended.Data.Str("reason").ShouldBe("granted");
        ended.Data.Str("sessionId").ShouldBe(session.Str("id"));
        (await events.NextAsync()).Name.ShouldBe("(closed)");

        // The session is carl's own: his heartbeats work with its token; the place in line is over.
        await tenancy.App.PostAsync($"/v1/sessions/{session.Str("id")}/heartbeat", new { active = true }, HttpStatusCode.OK);
        var gone = await tenancy.App.PostAsync($"/v1/waits/{waitId}/heartbeat", null, HttpStatusCode.Gone);
        gone.Str("code").ShouldBe("wait_ended");
        gone.Str("reason").ShouldBe("granted");
        gone.Str("sessionId").ShouldBe(session.Str("id"));
        var read = await tenancy.App.GetJsonAsync($"/v1/waits/{waitId}");
        (read.Str("status"), read.Str("endReason")).ShouldBe(("ended", "granted"));
        read.GetProperty("position").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task PositionsMoveUp_AsThoseAheadLeave_AndAHeartbeatAnswersWhereItStands()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice");
        var bob = (await WaitAsync(tenancy.App, tenancy.LicenseId, "bob")).Str("id");
        var carl = await WaitAsync(tenancy.App, tenancy.LicenseId, "carl");
        carl.Int("position").ShouldBe(2);

        await tenancy.App.DeleteAsync($"/v1/waits/{bob}", HttpStatusCode.NoContent);

        var beat = await tenancy.App.PostAsync($"/v1/waits/{carl.Str("id")}/heartbeat", null, HttpStatusCode.OK);
        (beat.Str("status"), beat.Int("position")).ShouldBe(("waiting", 1));
        // Leaving again (the first answer lost) answers the same; the place is over.
        await tenancy.App.DeleteAsync($"/v1/waits/{bob}", HttpStatusCode.NoContent);
        (await tenancy.App.PostAsync($"/v1/waits/{bob}/heartbeat", null, HttpStatusCode.Gone)).Str("reason").ShouldBe("left");
    }

    [Fact]
    public async Task LeavingWithASeatHeld_PassesTheSeatToTheNextInLine()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        var alice = (await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice")).Str("id");
        var bob = (await WaitAsync(tenancy.App, tenancy.LicenseId, "bob")).Str("id");
        var carl = (await WaitAsync(tenancy.App, tenancy.LicenseId, "carl")).Str("id");
        await tenancy.App.DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent);
        (await tenancy.App.GetJsonAsync($"/v1/waits/{bob}")).Str("status").ShouldBe("offered");

        await tenancy.App.DeleteAsync($"/v1/waits/{bob}", HttpStatusCode.NoContent);

        var next = await tenancy.App.GetJsonAsync($"/v1/waits/{carl}");
        (next.Str("status"), next.Int("position")).ShouldBe(("offered", 1));
        next.GetProperty("offerExpiresAt").GetDateTimeOffset().ShouldBe(host.Clock.GetUtcNow().AddSeconds(30));
    }

    [Fact]
    public async Task WhoMayWait_AndHowLong_IsThePolicys()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice");

        // Without waitSeconds: refused at once, as always.
        (await tenancy.App.CheckoutAsync(tenancy.LicenseId, "bob", HttpStatusCode.Conflict, device: "pc-bob")).Str("code").ShouldBe("no_seat_available");
        // A client type the policy keeps out of the line.
        (await WaitAsync(tenancy.App, tenancy.LicenseId, "bob", HttpStatusCode.Conflict, kind: "web")).Str("code").ShouldBe("waiting_not_allowed");
        // Longer than the policy's longest wait: cut to it, not refused.
        var bob = await WaitAsync(tenancy.App, tenancy.LicenseId, "bob", waitSeconds: 86400);
        bob.GetProperty("waitUntil").GetDateTimeOffset().ShouldBe(host.Clock.GetUtcNow().AddSeconds(1800));
        await WaitAsync(tenancy.App, tenancy.LicenseId, "carl");
        await WaitAsync(tenancy.App, tenancy.LicenseId, "dana");
        // maxLength 3.
        var full = await WaitAsync(tenancy.App, tenancy.LicenseId, "erin", HttpStatusCode.Conflict);
        full.Str("code").ShouldBe("waiting_line_full");

        // A license that keeps no line.
        var plain = await host.CreateTenancyAsync(seats: 1);
        await plain.App.CheckoutAsync(plain.LicenseId, "alice");
        (await WaitAsync(plain.App, plain.LicenseId, "bob", HttpStatusCode.Conflict)).Str("code").ShouldBe("waiting_not_allowed");
        // A free seat: a session at once, waitSeconds or not.
        var free = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        (await WaitAsync(free.App, free.LicenseId, "bob", HttpStatusCode.Created)).Str("id").ShouldStartWith("ses_");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(86401)]
    [InlineData(-5)]
    public async Task AWaitOutOfRange_IsRefusedByField_AndNobodyJoins(int waitSeconds)
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice");
        var bad = await WaitAsync(tenancy.App, tenancy.LicenseId, "bob", HttpStatusCode.BadRequest, waitSeconds: waitSeconds);
        (bad.Str("code"), bad.Str("field")).ShouldBe(("invalid_request", "waitSeconds"));
        (await tenancy.Admin.GetJsonAsync($"/v1/waits?licenseId={tenancy.LicenseId}")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task AWaitingCheckoutWithoutWaitSeconds_IsRefusedByField_AndAPlainCheckoutTakesNone()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        var missing = await tenancy.App.PostAsync("/v1/waits", new { licenseId = tenancy.LicenseId, user = "bob", device = "pc-bob", client = "desktop" },
            HttpStatusCode.BadRequest);
        (missing.Str("code"), missing.Str("field")).ShouldBe(("invalid_request", "waitSeconds"));
        // POST /v1/sessions never waits: its answer is a session or a refusal, so it does not take the field.
        var plain = await tenancy.App.PostAsync("/v1/sessions",
            new { licenseId = tenancy.LicenseId, user = "bob", device = "pc-bob", client = "desktop", waitSeconds = 60 }, HttpStatusCode.BadRequest);
        plain.Str("field").ShouldBe("waitSeconds");
    }

    [Fact]
    public async Task OnlyTheHolderOfTheWaitToken_MayActOnThePlace_AndTakingWhatIsNotHeldIsRefused()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice");
        var bob = (await WaitAsync(tenancy.App, tenancy.LicenseId, "bob")).Str("id");

        using var stranger = host.Client(await host.CreateKeyAsync(tenancy.TenantId, "client"), sendSessionTokens: false);
        (await stranger.PostAsync($"/v1/waits/{bob}/heartbeat", null, HttpStatusCode.Forbidden)).Str("code").ShouldBe("session_token_invalid");
        (await stranger.DeleteAsync($"/v1/waits/{bob}", HttpStatusCode.Forbidden)).Str("field").ShouldBe("Leasehold-Session-Token");
        await stranger.PostAsync($"/v1/waits/{bob}/session", null, HttpStatusCode.Forbidden);
        // Another tenant does not see it at all.
        var other = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        await other.Admin.GetJsonAsync($"/v1/waits/{bob}", HttpStatusCode.NotFound);

        // No seat is held for bob yet.
        var early = await tenancy.App.PostAsync($"/v1/waits/{bob}/session", null, HttpStatusCode.Conflict);
        early.Str("code").ShouldBe("offer_not_held");
        (await tenancy.App.GetJsonAsync($"/v1/waits/{bob}")).Str("status").ShouldBe("waiting");
    }

    [Fact]
    public async Task ARetriedCheckout_AnswersTheSamePlace_AndOnceGranted_TheSession()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        var alice = (await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice")).Str("id");
        var first = await WaitAsync(tenancy.App, tenancy.LicenseId, "bob", idempotencyKey: "bob-1");
        var again = await WaitAsync(tenancy.App, tenancy.LicenseId, "bob", idempotencyKey: "bob-1");
        again.Str("id").ShouldBe(first.Str("id"));
        again.Str("waitToken").ShouldBe(first.Str("waitToken"));
        (await tenancy.Admin.GetJsonAsync($"/v1/waits?licenseId={tenancy.LicenseId}")).GetProperty("items").GetArrayLength().ShouldBe(1);

        await tenancy.App.DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent);
        var session = await tenancy.App.PostAsync($"/v1/waits/{first.Str("id")}/session", null, HttpStatusCode.Created);

        var replayed = await WaitAsync(tenancy.App, tenancy.LicenseId, "bob", HttpStatusCode.Created, idempotencyKey: "bob-1");
        replayed.Str("id").ShouldBe(session.Str("id"));
        replayed.Str("sessionToken").ShouldBe(session.Str("sessionToken"));
        // Taking again after the answer was lost: the same session.
        (await tenancy.App.PostAsync($"/v1/waits/{first.Str("id")}/session", null, HttpStatusCode.Created)).Str("id").ShouldBe(session.Str("id"));
    }

    [Fact]
    public async Task AdminsSeeTheLineInOrder_AndARemovalIsAudited()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice");
        var bob = (await WaitAsync(tenancy.App, tenancy.LicenseId, "bob")).Str("id");
        host.Clock.Advance(TimeSpan.FromSeconds(5));
        await WaitAsync(tenancy.App, tenancy.LicenseId, "carl");

        var line = (await tenancy.Admin.GetJsonAsync($"/v1/waits?licenseId={tenancy.LicenseId}")).GetProperty("items").EnumerateArray().ToList();
        line.Select(e => (e.Str("user"), e.Int("position"), e.Str("status"))).ShouldBe([("bob", 1, "waiting"), ("carl", 2, "waiting")]);
        line.Count(e => e.TryGetProperty("waitToken", out var _)).ShouldBe(0);
        // A client key may not list.
        await tenancy.App.GetJsonAsync("/v1/waits", HttpStatusCode.Forbidden);

        // An admin's key without the entry's token is not its holder: a removal.
        using var admin = host.Client(await host.CreateKeyAsync(tenancy.TenantId, "admin"), sendSessionTokens: false);
        await admin.DeleteAsync($"/v1/waits/{bob}", HttpStatusCode.NoContent);

        var after = (await tenancy.Admin.GetJsonAsync($"/v1/waits?licenseId={tenancy.LicenseId}")).GetProperty("items").EnumerateArray().ToList();
        after.Select(e => (e.Str("user"), e.Int("position"))).ShouldBe([("carl", 1)]);
        var audit = (await tenancy.Admin.GetJsonAsync("/v1/audit?action=wait.removed")).GetProperty("items").EnumerateArray().ToList();
        audit.Count.ShouldBe(1);
        audit[0].GetProperty("target").Str("id").ShouldBe(bob);
        // Bob's own client learns why.
        (await tenancy.App.PostAsync($"/v1/waits/{bob}/heartbeat", null, HttpStatusCode.Gone)).Str("reason").ShouldBe("left");
    }

    [Fact]
    public async Task AnOfferNotTakenInTime_Lapses_AndTheStreamSaysSo()
    {
        await using var host = await TestHost.StartAsync();
        var tenancy = await host.CreateTenancyAsync(seats: 1, LinePolicy);
        var alice = (await tenancy.App.CheckoutAsync(tenancy.LicenseId, "alice")).Str("id");
        var bob = (await WaitAsync(tenancy.App, tenancy.LicenseId, "bob")).Str("id");
        var carl = (await WaitAsync(tenancy.App, tenancy.LicenseId, "carl")).Str("id");
        await using var events = await SseReader.OpenAsync(tenancy.App, $"/v1/waits/{carl}/events");
        (await events.NextAsync()).Name.ShouldBe("waiting");
        await tenancy.App.DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent);

        host.Clock.Advance(TimeSpan.FromSeconds(31));

        // Read after its hold: lapsed, dated when it was due, whether or not the reaper wrote it down yet.
        var lapsed = await tenancy.App.GetJsonAsync($"/v1/waits/{bob}");
        (lapsed.Str("status"), lapsed.Str("endReason")).ShouldBe(("ended", "offer_lapsed"));
        lapsed.GetProperty("endedAt").GetDateTimeOffset().ShouldBe(host.Clock.GetUtcNow().AddSeconds(-1));
        // Carl's heartbeat walks the line (if the reaper has not yet): bob's offer lapsed and the seat passes to carl.
        (await tenancy.App.PostAsync($"/v1/waits/{carl}/heartbeat", null, HttpStatusCode.OK)).Str("status").ShouldBe("offered");
        (await events.NextOtherThanAsync("waiting")).Name.ShouldBe("offered");
        (await tenancy.App.PostAsync($"/v1/waits/{bob}/session", null, HttpStatusCode.Gone)).Str("reason").ShouldBe("offer_lapsed");
    }
}
