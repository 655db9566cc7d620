using System.Net;
using Leasehold.Server.Tests.Support;
using Microsoft.Playwright;

namespace Leasehold.Console.Tests;

/// <summary>
/// The licenses pages in a real browser: the vendor changes seats, add-ons and the policy through the
/// same handler as PATCH /v1/licenses/{id}, and every refusal shows the API's own words by its field;
/// a tenant admin reads its own licenses and no one else's.
/// </summary>
public sealed class LicensesTests(Xunit.Abstractions.ITestOutputHelper log) : ConsoleTests(log)
{
    [Fact]
    public async Task APolicyWithAMistake_ShowsTheFieldsError_AndChangesNothing_AndAGoodOneIsTheApisNewVersion()
    {
        var acme = await CustomerAsync("Acme", seats: 3);
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, TestHost.OperatorKey, $"/console/licenses/{acme.LicenseId}");
        var policy = page.GetByLabel("Policy (JSON)");
        await Assertions.Expect(policy).ToContainTextAsync("\"desktop\""); // the policy in force, as the API answers it

        await policy.FillAsync("""{"clientTypes": {"desktop": {"ttlSeconds": 1}}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("field-error")).ToContainTextAsync("policy.clientTypes.desktop.ttlSeconds: Must be between 5");
        await Assertions.Expect(policy).ToHaveValueAsync("""{"clientTypes": {"desktop": {"ttlSeconds": 1}}}"""); // what was typed stays to mend

        await policy.FillAsync("""{"seatKee": "user"}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("field-error")).ToContainTextAsync("policy.seatKee: Unknown field; the fields here are: seatKey,");
        var unchanged = await Operator.GetJsonAsync($"/v1/licenses/{acme.LicenseId}");
        unchanged.Int("policyVersion").ShouldBe(1);
        unchanged.GetProperty("policy").Str("seatKey").ShouldBe("session");

        await policy.FillAsync("""{"seatKey": "user", "clientTypes": {"desktop": {"denialMessage": "All 3 seats are taken: ask Dana for another."}}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Policy saved as version 2");
        var saved = await Operator.GetJsonAsync($"/v1/licenses/{acme.LicenseId}");
        saved.Int("policyVersion").ShouldBe(2);
        saved.GetProperty("policy").Str("seatKey").ShouldBe("user");
        saved.GetProperty("policy").GetProperty("clientTypes").GetProperty("desktop").Str("denialMessage").ShouldBe("All 3 seats are taken: ask Dana for another.");

        // The policy as the page shows it saves again unchanged: what the API answers, it takes back.
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Policy saved as version 3");
        (await Operator.GetJsonAsync($"/v1/licenses/{acme.LicenseId}")).GetProperty("policy").Str("seatKey").ShouldBe("user");
    }

    [Fact]
    public async Task RaisingSeats_IsWhatTheApiAnswers_AndPastThePlansCap_ShowsThePlansMessage()
    {
        var acme = await CustomerAsync("Acme", seats: 3);
        var plan = new { name = "Small Business Basic", baseSeats = 3, maxSeats = 5, changePlanMessage = "Small Business ends at 5 seats: move to Business Premium for more." };
        var licenseId = (await Operator.PostAsync("/v1/licenses",
            new { tenantId = acme.TenantId, product = "erp", seats = 3, policy = new { plan } }, HttpStatusCode.Created)).Str("id");
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, TestHost.OperatorKey, $"/console/licenses/{licenseId}");
        await Assertions.Expect(page.GetByTestId("plan")).ToHaveTextAsync("Small Business Basic: 3 base + 0 add-on seat(s) (up to 5)");

        await page.GetByLabel("Seats", new() { Exact = true }).FillAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change seats" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("the license now has 4");
        (await Operator.GetJsonAsync($"/v1/licenses/{licenseId}")).Int("seats").ShouldBe(4);

        await page.GetByRole(AriaRole.Button, new() { Name = "Add an add-on seat" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("plan")).ToHaveTextAsync("Small Business Basic: 3 base + 2 add-on seat(s) (up to 5)");
        (await Operator.GetJsonAsync($"/v1/licenses/{licenseId}")).GetProperty("plan").Int("addOnSeats").ShouldBe(2);

        await page.GetByLabel("Seats", new() { Exact = true }).FillAsync("6");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change seats" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("field-error")).ToContainTextAsync("move to Business Premium for more");
        (await Operator.GetJsonAsync($"/v1/licenses/{licenseId}")).Int("seats").ShouldBe(5);
    }

    [Fact]
    public async Task ATenantAdmin_ReadsItsOwnLicenses_AndNoOtherTenantsEvenByUrl()
    {
        var acme = await CustomerAsync("Acme", seats: 3);
        var globex = await CustomerAsync("Globex", seats: 7);
        var page = await Browser.NewPageAsync(Server.BaseAddress);
        await SignInAsync(page, acme.AdminKey, "/console/licenses");

        await Assertions.Expect(page.GetByTestId("license-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("license-row")).ToContainTextAsync(acme.LicenseId);
        await page.GetByRole(AriaRole.Link, new() { Name = acme.LicenseId }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("seats")).ToHaveTextAsync("0 of 3");
        // The API's PATCH is the operator's: a tenant admin reads the policy but has no form to change it.
        await Assertions.Expect(page.GetByLabel("Policy (JSON)")).ToHaveAttributeAsync("readonly", "");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save policy" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Change seats" })).ToHaveCountAsync(0);

        await page.GotoAsync($"/console/licenses?tenant={globex.TenantId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("No such tenant.");
        await page.GotoAsync($"/console/licenses/{globex.LicenseId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("No license with that id exists");
        await Assertions.Expect(page.GetByText("0 of 7")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task OnAnInstallation_TheLicenseDatePanel_ShowsItsFile_AndUpdateTakesTheRenewedEndDate()
    {
        var cargo = await CustomerAsync("Rotterdam Cargo Handling", seats: 10, "Europe/Amsterdam");
        var today = DateTimeOffset.UtcNow.Date;
        await Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{cargo.LicenseId}", new { endsAt = new DateTimeOffset(today.AddDays(60), TimeSpan.Zero) }, HttpStatusCode.OK);
        var work = Directory.CreateTempSubdirectory("leasehold-console-installation-").FullName;
        try
        {
            await using var central = await InstallationServer.StartAsync(Server, Operator, cargo, seats: 8, work);
            var page = await Browser.NewPageAsync(central.BaseAddress);
            await SignInAsync(page, TestHost.OperatorKey, "/console/licenses");
            await Assertions.Expect(page.GetByTestId("installation-note")).ToContainTextAsync("its file grants 8 seat(s)");
            await page.GetByRole(AriaRole.Link, new() { Name = cargo.LicenseId }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("file-ends")).ToHaveTextAsync($"{today.AddDays(60):yyyy-MM-dd}");
            await NoSeriousViolationsAsync(page, "license date panel");

            // The vendor renews on the issuer; the installation's administrator presses Update.
            await Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{cargo.LicenseId}", new { endsAt = new DateTimeOffset(today.AddDays(400), TimeSpan.Zero) }, HttpStatusCode.OK);
            await page.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("update-result")).ToContainTextAsync("endsAt, usableUntil changed");
            await Assertions.Expect(page.GetByTestId("file-ends")).ToHaveTextAsync($"{today.AddDays(400):yyyy-MM-dd}");
            await Assertions.Expect(page.GetByTestId("last-attempt")).ToContainTextAsync("by hand: took a new file");
            using var centralApi = central.Client(TestHost.OperatorKey);
            (await centralApi.GetJsonAsync("/v1/installation")).GetProperty("file").GetProperty("endsAt").GetDateTimeOffset()
                .ShouldBe(new DateTimeOffset(today.AddDays(400), TimeSpan.Zero));
        }
        finally
        {
            TestHost.TryDelete(work);
        }
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task TheLicensesPages_HaveNoSeriousOrCriticalViolation(int width)
    {
        var acme = await CustomerAsync("Acme", seats: 3);
        var page = await Browser.NewPageAsync(Server.BaseAddress, width);
        await SignInAsync(page, TestHost.OperatorKey, "/console/licenses");
        await Assertions.Expect(page.GetByTestId("license-row")).ToHaveCountAsync(1);
        await NoSeriousViolationsAsync(page, "licenses");

        await page.GotoAsync($"/console/licenses/{acme.LicenseId}");
        await page.GetByLabel("Policy (JSON)").FillAsync("""{"seatKey": "anyone"}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("field-error")).ToBeVisibleAsync();
        await NoSeriousViolationsAsync(page, "license with a field error");
    }
}
