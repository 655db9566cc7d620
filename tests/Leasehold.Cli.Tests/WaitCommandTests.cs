using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

/// <summary><c>leasehold waits list|remove</c> against a real server: who waits for a seat, and an admin taking someone out of the line.</summary>
public sealed class WaitCommandTests : ServerCommandTests
{
    private static readonly object LinePolicy = new
    {
        waitingLine = new { enabled = true, maxLength = 5, offerSeconds = 30, maxWaitSeconds = 10800 },
        clientTypes = new { desktop = new { ttlSeconds = 10800, idleTimeoutSeconds = 0 } },
    };

    private static async Task<string> WaitAsync(Tenancy t, string user) =>
        (await t.App.PostAsync("/v1/waits", new { licenseId = t.LicenseId, user, device = $"pc-{user}", client = "desktop", waitSeconds = 7200 },
            HttpStatusCode.Accepted)).Str("id");

    private async Task<CliRun> AdminAsync(Tenancy t) => new(Host, await Host.CreateKeyAsync(t.TenantId, "admin")) { Clock = Host.Clock };

    [Fact]
    public async Task List_ShowsTheLineInOrder_WithHowLongEachHasWaited_AndASeatHeld()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1, LinePolicy);
        var admin = await AdminAsync(t);
        (await admin.RunAsync("waits", "list")).ShouldSucceed().Out.ShouldContain("Nobody is waiting.");
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        var bob = await WaitAsync(t, "bob");
        Host.Clock.Advance(TimeSpan.FromMinutes(62));
        var eve = await WaitAsync(t, "eve");
        Host.Clock.Advance(TimeSpan.FromSeconds(35));

        var table = (await admin.RunAsync("waits", "list", "--license", t.LicenseId)).ShouldSucceed().Out;

        table.ShouldContain("│ # │ User │ Device │ Client  │ Waiting for │ Status  │ Offer until │ License");
        table.ShouldContain($"│ 1 │ bob  │ pc-bob │ desktop │ 1 h 2 min   │ waiting │ -           │ {t.LicenseId} │ {bob} │");
        table.ShouldContain($"│ 2 │ eve  │ pc-eve │ desktop │ 35 s        │ waiting │ -           │ {t.LicenseId} │ {eve} │");
        table.ShouldContain("2 waiting for a seat.");
        var json = (await admin.RunAsync("waits", "list", "--json")).ShouldSucceed().Json;
        json.EnumerateArray().Select(w => (w.Str("user"), w.Int("position"), w.Str("status"))).ShouldBe([("bob", 1, "waiting"), ("eve", 2, "waiting")]);
        json.EnumerateArray().Count(w => w.TryGetProperty("waitToken", out _)).ShouldBe(0);

        await t.App.DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent); // alice signs off: the seat is held for bob

        var offered = (await admin.RunAsync("waits", "list")).ShouldSucceed().Out;
        offered.ShouldContain($"│ 1 │ bob  │ pc-bob │ desktop │ 1 h 2 min   │ offered │ {Host.Clock.GetUtcNow().AddSeconds(30):yyyy-MM-dd HH:mm:ss}Z");
        offered.ShouldContain("2 waiting for a seat, 1 with a seat held for them.");
    }

    [Fact]
    public async Task Remove_TakesSomeoneOutOfTheLine_TheSeatHeldPassesOn_AndTheAuditTrailSaysWho()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1, LinePolicy);
        var admin = await AdminAsync(t);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        var bob = await WaitAsync(t, "bob");
        var eve = await WaitAsync(t, "eve");
        await t.App.DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent);

        (await admin.RunAsync("waits", "remove", bob)).ShouldSucceed().Out
            .ShouldContain($"Removed bob (desktop on pc-bob) from the waiting line of {t.LicenseId}");

        var line = (await admin.RunAsync("waits", "list", "--json")).ShouldSucceed().Json;
        line.EnumerateArray().Select(w => (w.Str("id"), w.Int("position"), w.Str("status"))).ShouldBe([(eve, 1, "offered")]);
        (await t.App.PostAsync($"/v1/waits/{bob}/heartbeat", null, HttpStatusCode.Gone)).Str("reason").ShouldBe("left"); // bob's application learns it
        var audit = (await t.Admin.GetJsonAsync("/v1/audit?action=wait.removed")).GetProperty("items").EnumerateArray().ToList();
        audit.Select(a => a.GetProperty("target").Str("id")).ShouldBe([bob]);

        // Eve takes her seat: she is no longer in line, and removing her says why.
        var session = (await t.App.PostAsync($"/v1/waits/{eve}/session", null, HttpStatusCode.Created)).Str("id");
        var refused = (await admin.RunAsync("waits", "remove", eve)).ShouldFailWith(3);
        refused.Error.ShouldContain($"{eve} is no longer in line: they got their seat (session {session}).");
        var json = (await admin.RunAsync("waits", "remove", eve, "--json")).ShouldFailWith(3).ErrorJson;
        json.GetProperty("error").GetProperty("problem").Str("code").ShouldBe("wait_ended");
        (await admin.RunAsync("waits", "remove", "wait_nothing")).ShouldFailWith(4);
    }

    [Fact]
    public async Task RemoveAsJson_AnswersTheEndedEntry()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1, LinePolicy);
        await t.App.CheckoutAsync(t.LicenseId, "alice");
        var bob = await WaitAsync(t, "bob");

        var json = (await Cli.RunAsync("waits", "remove", bob, "--json")).ShouldSucceed().Json;

        (json.Str("id"), json.Str("status"), json.Str("endReason")).ShouldBe((bob, "ended", "left"));
    }
}
