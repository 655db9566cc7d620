using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// The console in a real browser against the real server process: a tenant admin signs in with the
/// tenant's admin key, sees the tenant's licenses (and nobody else's) with seats in use, and signs
/// out; keys that belong to software, or to nobody, do not get in.
/// </summary>
public sealed class SignInTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task ATenantAdmin_SignsIn_SeesOnlyItsLicensesWithSeatsInUse_AndSignsOut()
    {
        var acme = await CustomerAsync("Acme", seats: 5);
        var other = await CustomerAsync("Other", seats: 3);
        using var app = Server.Client(acme.ClientKey);
        await app.CheckoutAsync(acme.LicenseId, "alice");
        var page = await Browser.NewPageAsync(Server.BaseAddress);

        await page.GotoAsync("/console");
        page.Url.ShouldContain("/console/sign-in", customMessage: "the console asks who you are first");
        await SignInAsync(page, acme.AdminKey);

        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync($"Admin of {acme.TenantId}");
        var rows = page.GetByTestId("license-row");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync(acme.LicenseId);
        await Assertions.Expect(rows.First.GetByTestId("seats")).ToHaveTextAsync("1 of 5");
        (await page.ContentAsync()).ShouldNotContain(other.LicenseId);
        await page.GotoAsync($"/console?tenant={other.TenantId}"); // another tenant's pages are not found, also by URL
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("No such tenant.");
        (await page.ContentAsync()).ShouldNotContain(other.LicenseId);
        await page.GotoAsync("/console");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "leasehold-console");
        (cookie.HttpOnly, cookie.SameSite).ShouldBe((true, SameSiteAttribute.Strict));
        (await page.APIRequest.GetAsync("/_content/MudBlazor/MudBlazor.min.css")).Status.ShouldBe(200, "the styles come from this server, not a CDN");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        await page.GotoAsync("/console");
        page.Url.ShouldContain("/console/sign-in", customMessage: "signed out, the console asks again");
    }

    [Fact]
    public async Task AClientKey_OrAnUnknownKey_DoesNotGetIn()
    {
        var acme = await CustomerAsync("Acme", seats: 5);
        var page = await Browser.NewPageAsync(Server.BaseAddress);

        await SignInAsync(page, acme.ClientKey);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("may not use the console");
        await SignInAsync(page, "lh_not-a-key");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");
        await page.GotoAsync("/console");
        page.Url.ShouldContain("/console/sign-in");
    }

    [Fact]
    public async Task RevokingTheKeyYouSignedInWith_SignsYouOutAtTheNextPage()
    {
        var acme = await CustomerAsync("Acme", seats: 5);
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, acme.AdminKey);
        await Assertions.Expect(page.GetByTestId("license-row")).ToHaveCountAsync(1);
        var adminKeyId = (await Operator.GetJsonAsync($"/v1/api-keys?tenantId={acme.TenantId}")).GetProperty("items").EnumerateArray().Single(k => k.Str("role") == "admin").Str("id");

        await Operator.DeleteAsync($"/v1/api-keys/{adminKeyId}", HttpStatusCode.OK);
        await page.GotoAsync("/console");

        page.Url.ShouldContain("/console/sign-in", customMessage: "the cookie does not outlive the key");
    }
}
