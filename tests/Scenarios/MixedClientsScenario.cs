using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Scenarios.Tests;

/// <summary>
/// seeds/003: Infor CRM concurrent licences (Collier Pickard's blog). Lucy, Bill and Olaf share two
/// concurrent licences: the LAN and Web clients hold one until sign-off (a closed browser for twenty
/// minutes), each with its own message; Mobile, Xbar, Outlook and SData only check that one is free;
/// Network users always get in. The policy is examples/mixed-clients.json, as is.
/// </summary>
[Trait("Document", "003 mixed client types")]
public sealed class MixedClientsScenario : HostedTests
{
    // "All three of them would have their own log-in and password (Lucy@company.com, Ben@company.com, Olaf@company.com)"
    // (Bill's log-in is Ben@company.com in the document.)
    private const string Lucy = "Lucy@company.com";
    private const string Bill = "Ben@company.com";
    private const string Olaf = "Olaf@company.com";
    private const string NetworkAdmin = "network.admin@company.com";

    private static JsonElement ClientType(string name) =>
        Scenario.Policy("mixed-clients").GetProperty("clientTypes").GetProperty(name);

    /// <summary>"Lucy, Bill and Olaf are part of the finance department and have two Concurrent Licences between them."</summary>
    private Task<Tenancy> FinanceDepartmentAsync() =>
        Host.TenantWithLicenseAsync("Collier Pickard Finance", "Europe/London", "infor-crm", 2, "mixed-clients");

    /// <summary>Lucy on the LAN client and Bill on the Web client hold the two licences.</summary>
    private static async Task<(JsonElement Lucy, JsonElement Bill)> LucyAndBillSignInAsync(Tenancy finance)
    {
        // "Network user logs in: One Concurrent User License is consumed until the user logs out of the LAN Client."
        var lucy = await finance.App.SignInAsync(finance.LicenseId, Lucy, "lucy-pc", "lan");
        lucy.Int("seats").ShouldBe(1);
        // "Web user logs in: One Concurrent User Licence is consumed until the user logs out of the Web Client."
        var bill = await finance.App.SignInAsync(finance.LicenseId, Bill, "bill-laptop-browser", "web");
        bill.Int("seats").ShouldBe(1);
        bill.Int("seatsInUse").ShouldBe(2);
        return (lucy, bill);
    }

    [Fact]
    public async Task Only_two_of_the_three_can_be_logged_in_and_each_client_says_so_in_its_own_words()
    {
        using var finance = await FinanceDepartmentAsync();
        await LucyAndBillSignInAsync(finance);

        // "If no Concurrent Licences are available, the message "there are no concurrent licenses available for use"
        // will be displayed."
        var lan = await finance.App.SignInAsync(finance.LicenseId, Olaf, "olaf-pc", "lan", HttpStatusCode.Conflict);
        lan.Str("code").ShouldBe("no_concurrent_license");
        lan.Str("detail").ShouldBe("there are no concurrent licenses available for use");
        lan.Str("message").ShouldBe("there are no concurrent licenses available for use");

        // "If no Concurrent Licences are available, the message "no Valid Concurrent User license available" will be displayed."
        var web = await finance.App.SignInAsync(finance.LicenseId, Olaf, "olaf-browser", "web", HttpStatusCode.Conflict);
        web.Str("code").ShouldBe("no_valid_concurrent_license");
        web.Str("detail").ShouldBe("no Valid Concurrent User license available");
        web.Int("seatsInUse").ShouldBe(2);
        web.Int("seatLimit").ShouldBe(2);

        (await finance.ActiveSessionsAsync()).Select(s => s.Str("user")).ShouldBe([Lucy, Bill], ignoreOrder: true);
    }

    [Fact]
    public async Task Mobile_Xbar_Outlook_and_SData_only_check_that_a_licence_is_free_and_hold_none()
    {
        using var finance = await FinanceDepartmentAsync();
        var (lucy, _) = await LucyAndBillSignInAsync(finance);

        // "A FAIL will occur when ALL Concurrent User Licenses are being used at the time the authentication is done
        // against the SData Portal. This means if the maximum number of available Concurrent Users are logged into
        // either the Network or Web Client at the time the authentication request is made, then Mobile, Xbar and
        // Outlook Integration will fail."
        // "... a message "the user name or password is invalid" will be displayed."
        // "... the check fails and the message "one or more errors occurred" will be displayed."
        // "A failed Send to CRM attempt will display a message "could not process 'Send To CRM' message: The username
        // or password is incorrect"."
        foreach (var (client, code, message) in new[]
        {
            ("mobile", "invalid_credentials", "the user name or password is invalid"),
            ("xbar", "xbar_error", "one or more errors occurred"),
            ("outlook", "send_to_crm_failed", "could not process 'Send To CRM' message: The username or password is incorrect"),
            ("sdata", ClientType("sdata").Str("denialCode"), ClientType("sdata").Str("denialMessage")),
        })
        {
            var check = await finance.App.CheckAsync(finance.LicenseId, Olaf, client);
            check.GetProperty("pass").GetBoolean().ShouldBeFalse(client);
            check.Str("code").ShouldBe(code, client);
            check.Str("message").ShouldBe(message, client);
            check.Int("seatsInUse").ShouldBe(2, client);
        }

        // "To PASS the check, at least one Concurrent User License needs to be available at the time authentication is done."
        await finance.App.SignOffAsync(lucy);
        foreach (var client in new[] { "mobile", "xbar", "outlook", "sdata" })
        {
            var check = await finance.App.CheckAsync(finance.LicenseId, Olaf, client);
            check.GetProperty("pass").GetBoolean().ShouldBeTrue(client);
            check.Int("seatsInUse").ShouldBe(1, client);
        }

        // "Concurrent User licenses are not consumed or held in use when used against the SData Portal": after four
        // passed checks the free licence is still free, and Olaf's LAN client takes it.
        (await finance.LicenseAsync()).Int("seatsInUse").ShouldBe(1);
        (await finance.ActiveSessionsAsync()).Select(s => s.Str("user")).ShouldBe([Bill]);
        (await finance.App.SignInAsync(finance.LicenseId, Olaf, "olaf-pc", "lan")).Int("seatsInUse").ShouldBe(2);
    }

    [Fact]
    public async Task Outlook_integration_checks_again_at_each_synchronisation()
    {
        using var finance = await FinanceDepartmentAsync();
        var lucy = await finance.App.SignInAsync(finance.LicenseId, Lucy, "lucy-pc", "lan");

        // "Upon login or performing any synchronisation of data, Outlook Integration will attempt to verify that at
        // least one concurrent license is available."
        var login = await finance.App.CheckAsync(finance.LicenseId, Olaf, "outlook");
        login.GetProperty("pass").GetBoolean().ShouldBeTrue("one licence is free at login");

        // Bill signs in to the Web client meanwhile: both licences are in use at Olaf's next synchronisation.
        Host.Clock.Advance(TimeSpan.FromMinutes(4));
        await finance.App.HeartbeatAsync(lucy);
        var bill = await finance.App.SignInAsync(finance.LicenseId, Bill, "bill-laptop-browser", "web");
        var sync = await finance.App.CheckAsync(finance.LicenseId, Olaf, "outlook");
        sync.GetProperty("pass").GetBoolean().ShouldBeFalse("both licences are in use at this sync");
        sync.Str("message").ShouldBe("could not process 'Send To CRM' message: The username or password is incorrect");

        // Bill signs off; the sync after that passes again.
        await finance.App.SignOffAsync(bill);
        (await finance.App.CheckAsync(finance.LicenseId, Olaf, "outlook")).GetProperty("pass").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_web_user_who_closes_the_browser_keeps_the_licence_in_use_for_twenty_minutes()
    {
        using var finance = await FinanceDepartmentAsync();
        var (lucy, bill) = await LucyAndBillSignInAsync(finance);

        // "If the user closes the browser with the X button, the license will stay in use for twenty minutes as that is
        // the default session timeout." Bill's browser is gone: no sign-off, no more heartbeats. Lucy works on.
        await Host.PassTimeAsync(finance.App, TimeSpan.FromMinutes(19), TimeSpan.FromMinutes(4), active: true, lucy);
        var stillHeld = await finance.App.SignInAsync(finance.LicenseId, Olaf, "olaf-browser", "web", HttpStatusCode.Conflict);
        stillHeld.Str("detail").ShouldBe("no Valid Concurrent User license available", "after 19 minutes Bill's licence is still in use");
        (await finance.App.CheckAsync(finance.LicenseId, Olaf, "mobile")).GetProperty("pass").GetBoolean().ShouldBeFalse();

        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var olaf = await finance.App.SignInAsync(finance.LicenseId, Olaf, "olaf-browser", "web");
        olaf.Int("seatsInUse").ShouldBe(2);

        // Bill's session ended twenty minutes after his browser's last word.
        var ended = await finance.App.GetJsonAsync($"/v1/sessions/{bill.Str("id")}");
        ended.Str("status").ShouldBe("ended");
        ended.Str("endReason").ShouldBe("expired");
        ended.Time("endedAt").ShouldBe(bill.Time("startedAt").AddMinutes(20));
        (await finance.ActiveSessionsAsync()).Select(s => s.Str("user")).ShouldBe([Lucy, Olaf]);
    }

    [Fact]
    public async Task Signing_off_releases_the_licence_at_once()
    {
        using var finance = await FinanceDepartmentAsync();
        var (lucy, bill) = await LucyAndBillSignInAsync(finance);
        Host.Clock.Advance(TimeSpan.FromMinutes(1));

        // "One Concurrent User License is consumed until the user logs out of the LAN Client."
        await finance.App.SignOffAsync(lucy);
        (await finance.App.SignInAsync(finance.LicenseId, Olaf, "olaf-pc", "lan")).Int("seatsInUse").ShouldBe(2);
        await finance.App.ShouldHaveEndedAsync(lucy, "released");

        // "Users must use the Sign Off button on the Web Client to properly release the licence."
        await finance.App.SignOffAsync(bill);
        (await finance.App.SignInAsync(finance.LicenseId, Lucy, "lucy-browser", "web")).Int("seatsInUse").ShouldBe(2);
        (await finance.ActiveSessionsAsync()).Select(s => s.Str("user")).ShouldBe([Olaf, Lucy], ignoreOrder: true);
    }

    [Fact]
    public async Task Network_users_log_in_anywhere_anytime_anyhow_without_drawing_on_the_concurrent_licences()
    {
        using var finance = await FinanceDepartmentAsync();
        await LucyAndBillSignInAsync(finance);

        // "We have Network users who can log in anywhere, anytime, anyhow!" Both concurrent licences are in use.
        var lan = await finance.App.SignInAsync(finance.LicenseId, NetworkAdmin, "it-desk", "lan");
        lan.Str("status").ShouldBe("active");
        lan.GetProperty("named").GetBoolean().ShouldBeTrue();
        lan.Int("seats").ShouldBe(0);
        var web = await finance.App.SignInAsync(finance.LicenseId, NetworkAdmin, "it-laptop-browser", "web");
        web.Int("seats").ShouldBe(0);
        (await finance.App.CheckAsync(finance.LicenseId, NetworkAdmin, "mobile")).GetProperty("pass").GetBoolean().ShouldBeTrue();
        (await finance.App.CheckAsync(finance.LicenseId, NetworkAdmin, "outlook")).GetProperty("pass").GetBoolean().ShouldBeTrue();

        // He holds none of the two: they are still Lucy's and Bill's, and Olaf is still refused.
        (await finance.LicenseAsync()).Int("seatsInUse").ShouldBe(2);
        (await finance.App.SignInAsync(finance.LicenseId, Olaf, "olaf-pc", "lan", HttpStatusCode.Conflict))
            .Str("code").ShouldBe("no_concurrent_license");
        (await finance.ActiveSessionsAsync()).Select(s => s.Str("user")).ShouldBe([Lucy, Bill, NetworkAdmin, NetworkAdmin], ignoreOrder: true);
    }
}
