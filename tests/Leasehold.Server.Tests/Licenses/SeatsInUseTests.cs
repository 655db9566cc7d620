using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Licenses;

/// <summary>
/// The seats in use a license shows (one license, the list of licenses, the console's pages, the metrics) are
/// counted by the store without reading the sessions behind them; they must be the seats the next checkout's
/// decision counts: a user's sessions share their seat, and a session past its end holds none even before the
/// reaper has written its end.
/// </summary>
public sealed class SeatsInUseTests : HostedTests
{
    private static readonly object Policy = new
    {
        seatKey = "user",
        clientTypes = new
        {
            desktop = new { ttlSeconds = 7200, idleTimeoutSeconds = 0 },
            kiosk = new { ttlSeconds = 300, idleTimeoutSeconds = 0 },
        },
    };

    [Fact]
    public async Task ALicenseShowsTheSeatsItsNextDecisionCounts_SharedSeatsOnce_EndedSessionsNot()
    {
        using var t = await Host.CreateTenancyAsync(seats: 3, Policy);
        var other = await Host.CreateLicenseAsync(t.TenantId, seats: 5, Policy, product: "viewer");
        await t.App.CheckoutAsync(t.LicenseId, "alice", device: "pc-1");
        await t.App.CheckoutAsync(t.LicenseId, "alice", device: "laptop"); // alice's second session: her seat
        await t.App.CheckoutAsync(t.LicenseId, "bob");
        await t.App.CheckoutAsync(t.LicenseId, "carol", kind: "kiosk");
        await t.App.CheckoutAsync(other, "alice");

        (await SeatsShownAsync(t)).ShouldBe((3, 1));
        var full = await t.App.CheckoutAsync(t.LicenseId, "dave", HttpStatusCode.Conflict);
        full.Int("seatsInUse").ShouldBe(3, "the decision counts what the license shows");

        Host.Clock.Advance(TimeSpan.FromMinutes(10)); // carol's kiosk session is past its TTL

        (await SeatsShownAsync(t)).ShouldBe((2, 1), "a session past its end holds no seat, written as ended or not");
        await t.App.CheckoutAsync(t.LicenseId, "dave");
        (await SeatsShownAsync(t)).ShouldBe((3, 1));
    }

    [Fact]
    public async Task ALicenseWithNobodyOnIt_ShowsNone_AndAReleasedSeatIsFree()
    {
        using var t = await Host.CreateTenancyAsync(seats: 3, Policy);
        var other = await Host.CreateLicenseAsync(t.TenantId, seats: 5, Policy, product: "viewer");
        await t.App.CheckoutAsync(other, "alice");
        await t.App.DeleteAsync($"/v1/sessions/{(await t.App.CheckoutAsync(other, "bob")).Str("id")}", HttpStatusCode.NoContent);

        (await SeatsShownAsync(t)).ShouldBe((0, 1));
    }

    /// <summary>The seats in use of the tenancy's license as its own page shows them, checked against the list; and the other license's, from the list.</summary>
    private static async Task<(int License, int Other)> SeatsShownAsync(Tenancy t)
    {
        var own = (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seatsInUse");
        var listed = (await t.Admin.GetJsonAsync("/v1/licenses")).GetProperty("items").EnumerateArray().ToArray();
        listed.Single(l => l.Str("id") == t.LicenseId).Int("seatsInUse").ShouldBe(own, "the list and the license agree");
        return (own, listed.Single(l => l.Str("id") != t.LicenseId).Int("seatsInUse"));
    }
}
