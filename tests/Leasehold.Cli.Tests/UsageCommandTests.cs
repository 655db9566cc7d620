using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

/// <summary>The usage commands over a small history: alice admitted, bob refused, alice signs off an hour later.</summary>
public sealed class UsageCommandTests : ServerCommandTests
{
    private Tenancy _t = null!;
    private CliRun _admin = null!;

    protected override async Task GivenAsync()
    {
        _t = await Host.CreateTenancyAsync(seats: 1);
        var alice = (await _t.App.CheckoutAsync(_t.LicenseId, "alice", device: "laptop-7")).Str("id");
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        await _t.App.CheckoutAsync(_t.LicenseId, "bob", HttpStatusCode.Conflict, device: "pc-2");
        for (var i = 0; i < 20; i++) // an hour of work, heartbeating well within the 300 s TTL
        {
            Host.Clock.Advance(TimeSpan.FromMinutes(3));
            await _t.App.PostAsync($"/v1/sessions/{alice}/heartbeat", new { active = true }, HttpStatusCode.OK);
        }
        await _t.App.DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent);
        _admin = new CliRun(Host, await Host.CreateKeyAsync(_t.TenantId, "admin"));
    }

    public override async Task DisposeAsync()
    {
        _t?.Dispose(); // null when the setup failed part way
        await base.DisposeAsync();
    }

    [Fact]
    public async Task History_ShowsEveryDecision_AsATableAndJson_WithTheApisFilters()
    {
        var table = (await _admin.RunAsync("usage", "history", "--license", _t.LicenseId)).ShouldSucceed().Out;
        table.ShouldContain("│ At ");
        table.ShouldContain("│ admitted │ admitted          │ alice │ desktop │ laptop-7");
        table.ShouldContain("│ denied   │ no_seat_available │ bob   │ desktop │ pc-2");
        table.ShouldContain("│ ended    │ released          │ alice");
        table.ShouldContain("3 events.");

        var json = (await _admin.RunAsync("usage", "history", "--license", _t.LicenseId, "--json")).ShouldSucceed().Json;
        json.GetProperty("items").EnumerateArray().Select(e => e.Str("code")).ShouldBe(["admitted", "no_seat_available", "released"]);

        var denied = (await _admin.RunAsync("usage", "history", "--license", _t.LicenseId, "--kind", "denied", "--json")).ShouldSucceed().Json;
        denied.GetProperty("items").EnumerateArray().Select(e => e.Str("user")).ShouldBe(["bob"]);
        var alice = (await _admin.RunAsync("usage", "history", "--user", "alice", "--json")).ShouldSucceed().Json;
        alice.GetProperty("items").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task History_PagesByCursor_OrFollowsEveryPageWithAll()
    {
        var first = (await _admin.RunAsync("usage", "history", "--license", _t.LicenseId, "--limit", "1")).ShouldSucceed().Out;
        first.ShouldContain("1 event. More: add --cursor ");

        var page = (await _admin.RunAsync("usage", "history", "--license", _t.LicenseId, "--limit", "2", "--json")).ShouldSucceed().Json;
        var next = (await _admin.RunAsync("usage", "history", "--license", _t.LicenseId, "--limit", "2", "--cursor", page.Str("nextCursor"), "--json"))
            .ShouldSucceed().Json;
        next.GetProperty("items").EnumerateArray().Select(e => e.Str("code")).ShouldBe(["released"]);

        var all = (await _admin.RunAsync("usage", "history", "--license", _t.LicenseId, "--limit", "1", "--all", "--json")).ShouldSucceed().Json;
        all.GetProperty("items").GetArrayLength().ShouldBe(3);
        all.TryGetProperty("nextCursor", out _).ShouldBeFalse(); // null fields are left out
    }

    [Fact]
    public async Task History_WithABadTime_NamesTheField()
    {
        var result = (await _admin.RunAsync("usage", "history", "--from", "last tuesday")).ShouldFailWith(3);
        result.Error.ShouldContain("field from");
    }

    [Fact]
    public async Task Export_WritesCsvToStandardOutputOrAFile()
    {
        var csv = (await _admin.RunAsync("usage", "export", "--license", _t.LicenseId)).ShouldSucceed().Out;
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("id,at,kind,code,");
        lines.Length.ShouldBe(4);
        lines[2].ShouldContain(",denied,no_seat_available,");

        var file = Path.Combine(Path.GetTempPath(), $"usage-{Guid.NewGuid():N}.csv");
        try
        {
            (await _admin.RunAsync("usage", "export", "--license", _t.LicenseId, "--output", file)).ShouldSucceed().Out.ShouldContain($"Wrote 3 events to {file}.");
            (await File.ReadAllTextAsync(file)).ShouldBe(csv);
            var json = (await _admin.RunAsync("usage", "export", "--kind", "ended", "--output", file, "--json")).ShouldSucceed().Json;
            json.Int("events").ShouldBe(1);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Peaks_ShowThePeakAndRefusalsPerDay_AndPerHour()
    {
        var daily = (await _admin.RunAsync("usage", "peaks", "--license", _t.LicenseId)).ShouldSucceed().Out;
        daily.ShouldContain("│ Day ");
        daily.ShouldContain("Peak 1 of 1 seats (1 sessions)");
        daily.ShouldContain("1 refusal; Europe/Berlin time.");

        var hourly = (await _admin.RunAsync("usage", "peaks", "--license", _t.LicenseId, "--bucket", "hour", "--from", "2026-03-02", "--to", "2026-03-03", "--json"))
            .ShouldSucceed().Json;
        hourly.Str("bucket").ShouldBe("hour");
        hourly.GetProperty("buckets").GetArrayLength().ShouldBe(24);
        hourly.Int("denials").ShouldBe(1);
    }

    [Fact]
    public async Task RightSize_RecommendsTheSeatsThatWouldHaveAdmittedEveryone()
    {
        var text = (await _admin.RunAsync("usage", "right-size", "--license", _t.LicenseId)).ShouldSucceed().Out;
        text.ShouldContain("Recommended: 2 seats (1 more than now) for at most 0 refusals.");
        text.ShouldContain("Refusals at current");

        var json = (await _admin.RunAsync("usage", "right-size", "--license", _t.LicenseId, "--max-refusals", "1", "--json")).ShouldSucceed().Json;
        json.Int("recommendedSeats").ShouldBe(1);
        json.Int("currentSeats").ShouldBe(1);
    }
}
