using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Audit;

/// <summary>
/// The audit trail over real HTTP: every kind of admin or operator change leaves one record in its own
/// transaction (who, what, before and after), a tenant admin reads only its tenant's, pages run newest
/// first, and a refused change leaves nothing. Runs on SQLite and, compiled again, on PostgreSQL.
/// </summary>
public sealed class AuditTrailTests : HostedTests
{
    [Fact]
    public async Task EveryKindOfChange_LeavesOneRecord_WithActorBeforeAndAfter()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2);
        var named = (await Host.Operator.PostAsync("/v1/api-keys", new { tenantId = t.TenantId, role = "admin", name = "ops desk" }, HttpStatusCode.Created));
        using var desk = Host.Client(named.Str("key"));
        var deskKeyId = named.Str("id");

        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { seats = 5 }, HttpStatusCode.OK);
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}",
            new { policy = new { plan = new { name = "team", baseSeats = 5, maxSeats = 10 } } }, HttpStatusCode.OK);
        var connection = (await Host.Operator.PostAsync("/v1/connections",
            new { tenantId = t.TenantId, name = "rdp-01", accessPlan = "always" }, HttpStatusCode.Created)).Str("id");
        await desk.SendAsync(HttpMethod.Patch, $"/v1/connections/{connection}", new { name = "rdp-02" }, HttpStatusCode.OK);
        await desk.DeleteAsync($"/v1/connections/{connection}", HttpStatusCode.NoContent);
        var client = (await desk.PostAsync("/v1/api-keys", new { role = "client", name = "cad desktop" }, HttpStatusCode.Created)).Str("id");
        await desk.DeleteAsync($"/v1/api-keys/{client}", HttpStatusCode.OK);
        var session = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await desk.PostAsync($"/v1/sessions/{session}/stop", null, HttpStatusCode.OK);
        await desk.PostAsync($"/v1/sessions/{session}/stop", null, HttpStatusCode.Gone); // already ended: no second record

        var records = await AllAsync(Host.Operator, $"tenantId={t.TenantId}");

        string[] expected =
        [
            "tenant.created", "license.created", "key.created", "key.created", "key.created", "license.seats_changed",
            "license.policy_changed", "license.plan_changed", "connection.created", "connection.updated", "connection.deleted",
            "key.created", "key.revoked", "session.stopped",
        ];
        records.Select(r => r.Str("action")).Reverse().ShouldBe(expected);
        var seats = One(records, "license.seats_changed");
        seats.GetProperty("before").GetProperty("seats").GetInt32().ShouldBe(2);
        seats.GetProperty("after").GetProperty("seats").GetInt32().ShouldBe(5);
        seats.GetProperty("target").Str("id").ShouldBe(t.LicenseId);
        One(records, "license.plan_changed").GetProperty("after").GetProperty("plan").Str("name").ShouldBe("team");
        var renamed = One(records, "connection.updated");
        renamed.GetProperty("actor").Str("keyId").ShouldBe(deskKeyId);
        renamed.GetProperty("actor").Str("keyName").ShouldBe("ops desk");
        renamed.GetProperty("actor").Str("role").ShouldBe("admin");
        renamed.GetProperty("before").Str("name").ShouldBe("rdp-01");
        renamed.GetProperty("after").Str("name").ShouldBe("rdp-02");
        One(records, "connection.deleted").GetProperty("after").ValueKind.ShouldBe(JsonValueKind.Null);
        var revoked = One(records, "key.revoked");
        revoked.GetProperty("before").GetProperty("revokedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        revoked.GetProperty("after").GetProperty("revokedAt").ValueKind.ShouldBe(JsonValueKind.String);
        var stopped = One(records, "session.stopped");
        stopped.GetProperty("before").Str("user").ShouldBe("alice");
        stopped.GetProperty("after").Str("endReason").ShouldBe("stopped");
        foreach (var record in records)
        {
            var text = record.GetRawText();
            text.ShouldNotContain("secret", Case.Insensitive);
            text.ShouldNotContain("\"key\":");
        }
        // One chain per tenant: sequences 1..n, each naming the hash before it.
        var chain = records.OrderBy(r => r.GetProperty("sequence").GetInt64()).ToList();
        for (var i = 0; i < chain.Count; i++)
        {
            chain[i].GetProperty("sequence").GetInt64().ShouldBe(i + 1);
            chain[i].GetProperty("previousHash").ValueKind.ShouldBe(i == 0 ? JsonValueKind.Null : JsonValueKind.String);
            if (i > 0)
                chain[i].Str("previousHash").ShouldBe(chain[i - 1].Str("hash"));
        }
    }

    [Fact]
    public async Task AnAdminsDelete_IsRecordedAsAStop_AndALiftedCoolDownWithWhoLiftedIt()
    {
        using var t = await Host.CreateTenancyAsync(seats: 2);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        var bob = (await t.App.CheckoutAsync(t.LicenseId, "bob")).Str("id");
        using var admin = Host.Client(await Host.CreateKeyAsync(t.TenantId, "admin"), sendSessionTokens: false); // not the holder: its DELETE is a stop
        await admin.DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent);
        await t.Admin.PostAsync($"/v1/sessions/{bob}/stop", new { coolDownMinutes = 60 }, HttpStatusCode.OK);
        await t.Admin.DeleteAsync($"/v1/licenses/{t.LicenseId}/cool-downs/bob", HttpStatusCode.NoContent);
        await t.Admin.DeleteAsync($"/v1/licenses/{t.LicenseId}/cool-downs/bob", HttpStatusCode.NotFound); // nothing lifted: no record

        var records = await AllAsync(t.Admin, "");

        records.Where(r => r.Str("action") == "session.stopped").Select(r => r.GetProperty("target").Str("id")).ShouldBe([bob, alice]);
        var lifted = One(records, "cool_down.lifted");
        lifted.GetProperty("target").Str("id").ShouldBe(t.LicenseId);
        lifted.GetProperty("before").Str("user").ShouldBe("bob");
        lifted.GetProperty("before").Str("stoppedSession").ShouldBe(bob);
        lifted.GetProperty("after").GetProperty("liftedAt").ValueKind.ShouldBe(JsonValueKind.String);
        lifted.GetProperty("actor").Str("role").ShouldBe("admin");
        var deleted = records.Single(r => r.Str("action") == "session.stopped" && r.GetProperty("target").Str("id") == alice);
        deleted.GetProperty("after").Str("endReason").ShouldBe("stopped");
    }

    [Fact]
    public async Task TenantAdmin_ReadsOnlyItsTenantsRecords_TheOperatorReadsAll()
    {
        using var mine = await Host.CreateTenancyAsync(seats: 1);
        using var theirs = await Host.CreateTenancyAsync(seats: 1);
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{theirs.LicenseId}", new { seats = 3 }, HttpStatusCode.OK);

        var seen = await AllAsync(mine.Admin, "");
        var asked = await AllAsync(mine.Admin, $"tenantId={theirs.TenantId}");
        var byTarget = await AllAsync(mine.Admin, $"targetId={theirs.LicenseId}");
        var all = await AllAsync(Host.Operator, "");

        seen.ShouldNotBeEmpty();
        seen.ShouldAllBe(r => r.GetProperty("tenantId").GetString() == mine.TenantId);
        asked.ShouldBeEmpty();
        byTarget.ShouldBeEmpty();
        all.Select(r => r.GetProperty("tenantId").GetString()).Distinct().ShouldBe([mine.TenantId, theirs.TenantId], ignoreOrder: true);
    }

    [Fact]
    public async Task Pages_RunNewestFirst_AndCoverEveryRecordOnce_WithFilters()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        for (var seats = 2; seats <= 8; seats++)
        {
            Host.Clock.Advance(TimeSpan.FromMinutes(1));
            await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { seats }, HttpStatusCode.OK);
        }

        var pages = new List<JsonElement[]>();
        string? cursor = null;
        do
        {
            var page = await Host.Operator.GetJsonAsync($"/v1/audit?action=license.seats_changed&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            pages.Add([.. page.GetProperty("items").EnumerateArray()]);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        var late = await Host.Operator.GetJsonAsync($"/v1/audit?action=license.seats_changed&from={Uri.EscapeDataString(TestHost.Epoch.AddMinutes(6).ToString("O"))}");

        pages.Select(p => p.Length).ShouldBe([3, 3, 1]);
        pages.SelectMany(p => p).Select(r => r.GetProperty("after").GetProperty("seats").GetInt32()).ShouldBe([8, 7, 6, 5, 4, 3, 2]);
        late.GetProperty("items").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task RefusedChanges_LeaveNoRecord()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var before = (await AllAsync(Host.Operator, "")).Count;

        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { seats = 0 }, HttpStatusCode.BadRequest);
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{t.LicenseId}", new { policy = new { seatKey = "nonsense" } }, HttpStatusCode.BadRequest);
        await Host.Operator.PostAsync("/v1/tenants", new { name = "Mars", timeZone = "Mars/Olympus" }, HttpStatusCode.BadRequest);
        await t.Admin.PostAsync("/v1/api-keys", new { role = "operator" }, HttpStatusCode.Forbidden);
        await t.Admin.DeleteAsync("/v1/api-keys/key_nothing", HttpStatusCode.NotFound);
        await Host.Operator.PostAsync("/v1/connections", new { tenantId = t.TenantId, name = "x", accessPlan = "weekends" }, HttpStatusCode.BadRequest);

        (await AllAsync(Host.Operator, "")).Count.ShouldBe(before);
    }

    [Fact]
    public async Task BadFilters_AreRefusedByField()
    {
        var problem = await Host.Operator.GetJsonAsync("/v1/audit?limit=1001", HttpStatusCode.BadRequest);
        problem.Str("field").ShouldBe("limit");
        (await Host.Operator.GetJsonAsync("/v1/audit?cursor=nope", HttpStatusCode.BadRequest)).Str("field").ShouldBe("cursor");
        (await Host.Operator.GetJsonAsync("/v1/audit?action=license.eaten", HttpStatusCode.BadRequest)).Str("field").ShouldBe("action");
    }

    private static JsonElement One(List<JsonElement> records, string action) => records.Single(r => r.Str("action") == action);

    /// <summary>Every record the key reads, newest first, following the cursor.</summary>
    private static async Task<List<JsonElement>> AllAsync(HttpClient client, string filters)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync($"/v1/audit?{filters}&limit=1000" + (cursor is null ? "" : $"&cursor={cursor}"));
            all.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return all;
    }
}
