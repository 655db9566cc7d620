using System.Net;
using System.Text.Json;
using Leasehold.Server.Sessions;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Sessions;

/// <summary>
/// Batched heartbeats (issue 18): a host holding many sessions keeps them alive with one
/// <c>POST /v1/sessions/heartbeats</c>; each item is judged exactly as its own heartbeat would be,
/// and answered in the request's order.
/// </summary>
public sealed class HeartbeatBatchTests : HostedTests
{
    private const string Url = "/v1/sessions/heartbeats";
    private Tenancy _t = null!;

    protected override async Task GivenAsync() => _t = await Host.CreateTenancyAsync(seats: 10);

    public override async Task DisposeAsync()
    {
        _t?.Dispose();
        await base.DisposeAsync();
    }

    private static string TokenOf(JsonElement session) => session.Str("sessionToken");

    [Fact]
    public async Task AMixedBatch_IsAnsweredItemByItem_InTheRequestsOrder()
    {
        var alice = await _t.App.CheckoutAsync(_t.LicenseId, "alice");
        var bob = await _t.App.CheckoutAsync(_t.LicenseId, "bob", device: "pc-2");
        var carol = await _t.App.CheckoutAsync(_t.LicenseId, "carol", device: "pc-3");
        var dave = await _t.App.CheckoutAsync(_t.LicenseId, "dave", device: "pc-4");
        using var other = await Host.CreateTenancyAsync(seats: 2);
        var stranger = await other.App.CheckoutAsync(other.LicenseId, "eve");
        await _t.App.DeleteAsync($"/v1/sessions/{bob.Str("id")}", HttpStatusCode.NoContent); // bob signed off
        Host.Clock.Advance(TimeSpan.FromSeconds(30));
        var carolBefore = await _t.Admin.GetJsonAsync($"/v1/sessions/{carol.Str("id")}");

        var answer = await _t.App.PostAsync(Url, new
        {
            sessions = new object[]
            {
                new { id = alice.Str("id"), active = true, sessionToken = TokenOf(alice) },
                new { id = bob.Str("id"), active = true, sessionToken = TokenOf(bob) },
                new { id = stranger.Str("id"), active = true, sessionToken = TokenOf(stranger) },
                new { id = carol.Str("id"), active = true }, // no token
                new { id = "ses_no_such_session", active = true, sessionToken = TokenOf(alice) },
                new { id = dave.Str("id"), active = false, sessionToken = TokenOf(dave) },
            },
        }, HttpStatusCode.OK);

        var items = answer.GetProperty("items").EnumerateArray().ToArray();
        items.Length.ShouldBe(6);
        items[0].Str("id").ShouldBe(alice.Str("id"));
        items[0].Str("status").ShouldBe("active");
        items[0].GetProperty("expiresAt").GetDateTimeOffset().ShouldBeGreaterThan(alice.GetProperty("expiresAt").GetDateTimeOffset());
        items[0].Int("heartbeatIntervalSeconds").ShouldBe(alice.Int("heartbeatIntervalSeconds"));
        items[0].GetProperty("warnings").ValueKind.ShouldBe(JsonValueKind.Array);

        items[1].Str("id").ShouldBe(bob.Str("id"));
        items[1].Int("status").ShouldBe(410);
        items[1].Str("code").ShouldBe("session_ended");
        items[1].Str("reason").ShouldBe("released");
        items[1].TryGetProperty("endedAt", out _).ShouldBeTrue();
        items[1].Str("detail").ShouldNotBeNullOrWhiteSpace();

        items[2].Str("id").ShouldBe(stranger.Str("id"));
        items[2].Int("status").ShouldBe(404, "another tenant's session is not found");
        items[2].Str("code").ShouldBe("not_found");

        items[3].Int("status").ShouldBe(403);
        items[3].Str("code").ShouldBe("session_token_invalid");
        items[3].Str("field").ShouldBe("sessions[3].sessionToken");

        items[4].Int("status").ShouldBe(404);
        items[4].Str("field").ShouldBe("sessions[4].id");

        items[5].Str("id").ShouldBe(dave.Str("id"));
        items[5].Str("status").ShouldBe("active");
        items[5].GetProperty("lastActivityAt").GetDateTimeOffset().ShouldBe(dave.GetProperty("lastActivityAt").GetDateTimeOffset(), "inactive: no activity");

        // What the answers said is what happened: alice kept alive, carol (refused) and the stranger untouched.
        var aliceAfter = await _t.Admin.GetJsonAsync($"/v1/sessions/{alice.Str("id")}");
        aliceAfter.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(items[0].GetProperty("expiresAt").GetDateTimeOffset());
        (await _t.Admin.GetJsonAsync($"/v1/sessions/{carol.Str("id")}")).GetProperty("expiresAt").GetDateTimeOffset()
            .ShouldBe(carolBefore.GetProperty("expiresAt").GetDateTimeOffset());
        (await other.Admin.GetJsonAsync($"/v1/sessions/{stranger.Str("id")}")).GetProperty("lastHeartbeatAt").GetDateTimeOffset()
            .ShouldBe(stranger.GetProperty("lastHeartbeatAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task AnAdmin_NeedsNoTokens_AndAnExpiredSessionIsAnsweredWithItsReason()
    {
        var alice = await _t.App.CheckoutAsync(_t.LicenseId, "alice");
        Host.Clock.Advance(TimeSpan.FromHours(2)); // past every TTL: alice's session expired, not yet reaped
        var bob = await _t.App.CheckoutAsync(_t.LicenseId, "bob", device: "pc-2");

        var answer = await _t.Admin.PostAsync(Url, new { sessions = new object[] { new { id = bob.Str("id") }, new { id = alice.Str("id") } } },
            HttpStatusCode.OK);

        var items = answer.GetProperty("items").EnumerateArray().ToArray();
        items[0].Str("status").ShouldBe("active");
        items[1].Int("status").ShouldBe(410);
        items[1].Str("reason").ShouldBe("expired");
        var ended = await _t.Admin.GetJsonAsync($"/v1/usage/events?licenseId={_t.LicenseId}&kind=ended");
        ended.GetProperty("items").EnumerateArray().Count(e => e.Str("sessionId") == alice.Str("id")).ShouldBe(1, "the end recorded once, with its event");
    }

    [Fact]
    public async Task AMalformedItem_IsRefusedByItsField_AndNothingChanges()
    {
        var alice = await _t.App.CheckoutAsync(_t.LicenseId, "alice");
        Host.Clock.Advance(TimeSpan.FromSeconds(30));
        var before = await Host.SnapshotAsync();
        var good = new { id = alice.Str("id"), active = true, sessionToken = TokenOf(alice) };

        await _t.App.ShouldFailAsync(HttpMethod.Post, Url, new { sessions = new object[] { good, good, good, new { active = true } } },
            HttpStatusCode.BadRequest, "invalid_request", "sessions[1].id"); // listed twice comes first
        await _t.App.ShouldFailAsync(HttpMethod.Post, Url, new { sessions = new object[] { good, new { id = "ses_x" }, new { id = "ses_y" }, new { active = true } } },
            HttpStatusCode.BadRequest, "invalid_request", "sessions[3].id");
        await _t.App.ShouldFailAsync(HttpMethod.Post, Url, new { sessions = new object?[] { good, null } },
            HttpStatusCode.BadRequest, "invalid_request", "sessions[1]");
        await _t.App.ShouldFailAsync(HttpMethod.Post, Url, new { sessions = Array.Empty<object>() }, HttpStatusCode.BadRequest, "invalid_request", "sessions");
        await _t.App.ShouldFailAsync(HttpMethod.Post, Url, new { }, HttpStatusCode.BadRequest, "invalid_request", "sessions");

        await Host.ShouldBeUnchangedSinceAsync(before, "a refused batch");
    }

    [Fact]
    public async Task ABatch_HoldsUpTo1000Sessions_AndNoMore()
    {
        var alice = await _t.App.CheckoutAsync(_t.LicenseId, "alice");
        // Items of the real size: a session id and a token each.
        var full = Enumerable.Range(0, HeartbeatsBody.MaxItems)
            .Select(i => (object)new { id = i == 999 ? alice.Str("id") : $"{alice.Str("id")[..^4]}{i:x4}", active = true, sessionToken = TokenOf(alice) })
            .ToArray();

        var answer = await _t.App.PostAsync(Url, new { sessions = full }, HttpStatusCode.OK);
        var items = answer.GetProperty("items").EnumerateArray().ToArray();
        items.Length.ShouldBe(1000);
        items[999].Str("status").ShouldBe("active");
        items.Take(999).ShouldAllBe(i => i.GetProperty("status").GetInt32() == 404);

        await _t.App.ShouldFailAsync(HttpMethod.Post, Url, new { sessions = full.Append(new { id = "ses_one_more" }).ToArray() },
            HttpStatusCode.BadRequest, "invalid_request", "sessions");
    }

    [Fact]
    public async Task BatchesAcrossLicensesInEitherOrder_AndSingleHeartbeats_AllComeThrough()
    {
        // Two licenses, batches naming them in opposite orders, and single heartbeats beside them: on PostgreSQL the
        // licenses are locked in the order of their ids, so none of these waits for another in a cycle.
        var second = await Host.CreateLicenseAsync(_t.TenantId, 10, product: "cam");
        var sessions = new List<JsonElement>();
        for (var i = 0; i < 4; i++)
        {
            sessions.Add(await _t.App.CheckoutAsync(_t.LicenseId, $"a-{i}", device: $"a-{i}"));
            sessions.Add(await _t.App.CheckoutAsync(second, $"b-{i}", device: $"b-{i}"));
        }
        object Item(JsonElement s) => new { id = s.Str("id"), active = true, sessionToken = TokenOf(s) };
        var forward = sessions.Select(Item).ToArray();
        var backward = sessions.AsEnumerable().Reverse().Select(Item).ToArray();

        var calls = Enumerable.Range(0, 24).Select(i => (i % 3) switch
        {
            0 => _t.App.PostAsync(Url, new { sessions = forward }, HttpStatusCode.OK),
            1 => _t.App.PostAsync(Url, new { sessions = backward }, HttpStatusCode.OK),
            _ => _t.App.PostAsync($"/v1/sessions/{sessions[i % sessions.Count].Str("id")}/heartbeat", new { active = true }, HttpStatusCode.OK),
        });
        var answers = await Task.WhenAll(calls);

        foreach (var batch in answers.Where(a => a.TryGetProperty("items", out _)))
            batch.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("status").GetString() == "active");
    }

    [Fact]
    public async Task AHolderTheBatchFindsExpired_FreesItsSeatForTheWaitingLine()
    {
        var policy = new
        {
            waitingLine = new { enabled = true, maxLength = 3, offerSeconds = 30, maxWaitSeconds = 1800 },
            clientTypes = new { desktop = new { ttlSeconds = 300, idleTimeoutSeconds = 0 } },
        };
        var licenseId = await Host.CreateLicenseAsync(_t.TenantId, 1, policy, product: "line");
        var alice = await _t.App.CheckoutAsync(licenseId, "alice");
        var carl = await _t.App.PostAsync("/v1/waits", new { licenseId, user = "carl", device = "pc-carl", client = "desktop", waitSeconds = 600 },
            HttpStatusCode.Accepted);
        Host.Clock.Advance(TimeSpan.FromSeconds(200));
        await _t.App.PostAsync($"/v1/waits/{carl.Str("id")}/heartbeat", null, HttpStatusCode.OK);
        Host.Clock.Advance(TimeSpan.FromSeconds(101)); // alice's TTL ran out; carl still waits

        var answer = await _t.App.PostAsync(Url, new { sessions = new[] { new { id = alice.Str("id"), active = true, sessionToken = TokenOf(alice) } } },
            HttpStatusCode.OK);

        var item = answer.GetProperty("items")[0];
        (item.Int("status"), item.Str("reason")).ShouldBe((410, "expired"));
        (await _t.App.GetJsonAsync($"/v1/waits/{carl.Str("id")}")).Str("status").ShouldBe("offered", "the freed seat went down the line");
    }
}
