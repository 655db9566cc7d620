using System.Net;
using System.Security.Cryptography;
using Leasehold.Server.Tests.Support;
using Leasehold.Server.Usage;

namespace Leasehold.Server.Tests.Security;

/// <summary>Usage-event ids are numbered across tenants in the store; what a tenant sees must not count the others' events.</summary>
public sealed class UsageEventIdTests : HostedTests
{
    [Fact]
    public async Task UsageEventIds_DoNotCountOtherTenantsEvents_AndCursorsStillPage()
    {
        using var a = await Host.CreateTenancyAsync(seats: 5);
        using var b = await Host.CreateTenancyAsync(seats: 5);
        await a.App.CheckoutAsync(a.LicenseId, "alice");
        for (var i = 0; i < 5; i++)
            await b.App.CheckoutAsync(b.LicenseId, $"user-{i}", device: $"pc-{i}");
        await a.App.CheckoutAsync(a.LicenseId, "bob", device: "pc-2");
        await a.App.CheckoutAsync(a.LicenseId, "carol", device: "pc-3");

        var all = (await a.Admin.GetJsonAsync("/v1/usage/events")).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        all.Count.ShouldBe(3);
        all.Distinct().Count().ShouldBe(3);
        // Raw row ids here would be small and 6 apart (five events of the other tenant in between).
        all.ShouldAllBe(id => id > 1_000_000 && id < (1L << 53), "enciphered, and exact in JavaScript's numbers");

        var paged = new List<long>();
        string? cursor = null;
        do
        {
            var page = await a.Admin.GetJsonAsync("/v1/usage/events?limit=1" + (cursor is null ? "" : "&cursor=" + cursor));
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        paged.ShouldBe(all);

        var csv = await a.Admin.GetStringAsync("/v1/usage/events.csv");
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(row => long.Parse(row.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(all);
    }

    [Fact]
    public async Task ACursorThisApiDidNotGive_IsRefused()
    {
        using var a = await Host.CreateTenancyAsync(seats: 5);
        var forged = System.Buffers.Text.Base64Url.EncodeToString("v1.0.5"u8);
        await a.Admin.ShouldFailAsync(HttpMethod.Get, "/v1/usage/events?cursor=" + forged, null, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public void TheCipher_IsAPermutationThatHidesTheOrder()
    {
        var cipher = new UsageEventIds.Cipher(RandomNumberGenerator.GetBytes(32));
        var shown = Enumerable.Range(1, 2000).Select(i => cipher.Hide(i)).ToList();
        shown.Distinct().Count().ShouldBe(2000);
        Enumerable.Range(1, 2000).ShouldAllBe(i => cipher.Reveal(cipher.Hide(i)) == i);
        shown.ShouldNotBe(shown.Order().ToList(), "shown ids in row order would count events");
        cipher.Reveal(-1).ShouldBeNull();
        cipher.Reveal(1L << 52).ShouldBeNull();
    }
}
