using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Scenarios.Tests;

/// <summary>
/// seeds/000: "What is the Difference between Connections and Licences?" (Chintaro, a hosted
/// housing-management service). A tenant in Sydney holds concurrent licences (a soft limit) and
/// cloud connections (Parallels logins) with access windows in its local time; users may share a
/// connection through a shared e-mail, and one takes the session over from the other; SSO users
/// never share. The policy is examples/hosted-service.json, as is.
/// </summary>
[Trait("Document", "000 hosted service with shared connections")]
public sealed class HostedServiceScenario : HostedTests
{
    private const string Sydney = "Australia/Sydney";
    private const string SharedEmail = "housing@org.com.au";
    private static readonly TimeSpan Aedt = TimeSpan.FromHours(11);

    /// <summary>Sydney wall-clock time in March 2026 (daylight saving, UTC+11). The test clock starts Monday 2 March 20:00 there.</summary>
    private static DateTimeOffset Local(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, Aedt);

    /// <summary>Nobody is working in between (or only sessions the step does not need alive).</summary>
    private void MoveClockTo(DateTimeOffset when) => Host.LetQuietTimePassUntil(when);

    private Task<Tenancy> HousingOrganisationAsync(int licences) =>
        Host.TenantWithLicenseAsync("Sydney Community Housing", Sydney, "chintaro", licences, "hosted-service");

    [Fact]
    public async Task Basic_7_7_connections_open_Monday_to_Saturday_7am_to_7pm_local_time_and_24_7_connections_always()
    {
        using var org = await HousingOrganisationAsync(licences: 2);
        Host.Clock.GetUtcNow().ShouldBe(Local(2, 20), "the story starts on Monday evening in Sydney");

        // "Basic 7-7 Connection - this type of connection will allow you to login to Parallels for
        // Monday to Saturday, 7am-7pm in your local time zone."
        var basic = await Host.CreateConnectionAsync(org.TenantId, "parallels-basic-1", "business-hours");
        // "24/7 Connection - allows access 24/7, except when there are updates such as to the cloud servers or Chintaro."
        var allDay = await Host.CreateConnectionAsync(org.TenantId, "parallels-24x7-1", new
        {
            kind = "always",
            maintenance = new[] { new { from = "2026-03-08T01:00", to = "2026-03-08T03:00" } },
        });

        // Monday 20:00 in Sydney: the basic connection is closed, and the refusal says when it opens (local time).
        var closed = await org.App.SignInAsync(org.LicenseId, "maria", "office-pc-1", "desktop", HttpStatusCode.Conflict, connection: basic);
        closed.Str("code").ShouldBe("outside_access_window");
        closed.Str("detail").ShouldContain("Tuesday 07:00 (Australia/Sydney)");
        closed.Time("opensAt").ShouldBe(Local(3, 7));
        closed.Time("opensAt").Offset.ShouldBe(Aedt, "the opening time is given in the tenant's local time");

        // The 24/7 connection lets her in at the same moment.
        var night = await org.App.SignInAsync(org.LicenseId, "maria", "home-laptop", "desktop", connection: allDay);
        night.Str("status").ShouldBe("active");
        await org.App.SignOffAsync(night);

        // Tuesday 06:59 is still closed; 07:00 opens.
        MoveClockTo(Local(3, 6, 59));
        (await org.App.SignInAsync(org.LicenseId, "maria", "office-pc-1", "desktop", HttpStatusCode.Conflict, connection: basic))
            .Str("code").ShouldBe("outside_access_window");
        MoveClockTo(Local(3, 7));
        await org.App.SignOffAsync(await org.App.SignInAsync(org.LicenseId, "maria", "office-pc-1", "desktop", connection: basic));

        // Saturday is a working day of the basic connection ...
        MoveClockTo(Local(7, 18, 30));
        await org.App.SignOffAsync(await org.App.SignInAsync(org.LicenseId, "maria", "office-pc-1", "desktop", connection: basic));

        // ... Sunday is not: after 7pm on Saturday it opens again on Monday at 7am.
        MoveClockTo(Local(7, 19, 30));
        var saturdayNight = await org.App.SignInAsync(org.LicenseId, "maria", "office-pc-1", "desktop", HttpStatusCode.Conflict, connection: basic);
        saturdayNight.Str("code").ShouldBe("outside_access_window");
        saturdayNight.Str("detail").ShouldContain("Monday 07:00 (Australia/Sydney)");
        saturdayNight.Time("opensAt").ShouldBe(Local(9, 7));

        // "... except when there are updates": Sunday 01:00-03:00 is declared maintenance of the 24/7 connection.
        // Maria works late on Saturday through the 24/7 connection; when the update starts, her session ends.
        MoveClockTo(Local(7, 23));
        var late = await org.App.SignInAsync(org.LicenseId, "maria", "home-laptop", "desktop", connection: allDay);
        await Host.PassTimeAsync(org.App, Local(8, 0, 58) - Host.Clock.GetUtcNow(), TimeSpan.FromMinutes(4), active: true, late);
        Host.Clock.Advance(TimeSpan.FromMinutes(3));
        await org.App.ShouldHaveEndedAsync(late, "window_closed");
        (await org.App.GetJsonAsync($"/v1/sessions/{late.Str("id")}")).Time("endedAt").ShouldBe(Local(8, 1));

        // During the update nobody signs in through it, and the refusal says when it is back.
        MoveClockTo(Local(8, 2));
        var updating = await org.App.SignInAsync(org.LicenseId, "maria", "home-laptop", "desktop", HttpStatusCode.Conflict, connection: allDay);
        updating.Str("code").ShouldBe("outside_access_window");
        updating.Str("detail").ShouldContain("Sunday 03:00 (Australia/Sydney)");
        (await org.App.SignInAsync(org.LicenseId, "maria", "office-pc-1", "desktop", HttpStatusCode.Conflict, connection: basic))
            .Str("detail").ShouldContain("Monday 07:00 (Australia/Sydney)");
        MoveClockTo(Local(8, 3));
        await org.App.SignOffAsync(await org.App.SignInAsync(org.LicenseId, "maria", "home-laptop", "desktop", connection: allDay));

        // "... in your local time zone": after daylight saving ends in Sydney (5 April 2026, UTC+11 -> UTC+10), 7am is
        // still 7am on the office clock.
        var aest = TimeSpan.FromHours(10);
        MoveClockTo(new DateTimeOffset(2026, 4, 6, 6, 59, 0, aest));
        var monday = await org.App.SignInAsync(org.LicenseId, "maria", "office-pc-1", "desktop", HttpStatusCode.Conflict, connection: basic);
        monday.Time("opensAt").ShouldBe(new DateTimeOffset(2026, 4, 6, 7, 0, 0, aest));
        monday.Time("opensAt").Offset.ShouldBe(aest);
        MoveClockTo(new DateTimeOffset(2026, 4, 6, 7, 0, 0, aest));
        (await org.App.SignInAsync(org.LicenseId, "maria", "office-pc-1", "desktop", connection: basic)).Str("status").ShouldBe("active");
    }

    [Fact]
    public async Task At_7pm_sessions_on_a_basic_connection_end_as_window_closed_while_the_24_7_connection_works_on_at_night()
    {
        using var org = await HousingOrganisationAsync(licences: 2);
        var basic = await Host.CreateConnectionAsync(org.TenantId, "parallels-basic-1", "business-hours");
        var allDay = await Host.CreateConnectionAsync(org.TenantId, "parallels-24x7-1", "always");

        // Tuesday, late afternoon: one user on each kind of connection.
        MoveClockTo(Local(3, 18, 50));
        var maria = await org.App.SignInAsync(org.LicenseId, "maria", "office-pc-1", "desktop", connection: basic);
        var tom = await org.App.SignInAsync(org.LicenseId, "tom", "office-pc-2", "desktop", connection: allDay);

        // Both work until just before seven.
        await Host.PassTimeAsync(org.App, TimeSpan.FromMinutes(9.5), TimeSpan.FromMinutes(4), active: true, maria, tom);

        // "... Monday to Saturday, 7am-7pm in your local time zone": at 19:00 the basic connection closes and
        // the policy ("onWindowClose": "end") ends the session still open on it.
        Host.Clock.Advance(TimeSpan.FromMinutes(1.5));
        Host.Clock.GetUtcNow().ShouldBe(Local(3, 19, 1));
        await org.App.ShouldHaveEndedAsync(maria, "window_closed");
        var ended = await org.App.GetJsonAsync($"/v1/sessions/{maria.Str("id")}");
        ended.Time("endedAt").ShouldBe(Local(3, 19), "the session ended when the window closed, not when someone noticed");

        // "24/7 Connection - allows access 24/7": Tom carries on into the night.
        (await org.App.HeartbeatAsync(tom)).Str("status").ShouldBe("active");
        await Host.PassTimeAsync(org.App, Local(3, 23) - Host.Clock.GetUtcNow(), TimeSpan.FromMinutes(4), active: true, tom);
        (await org.App.HeartbeatAsync(tom)).Str("status").ShouldBe("active");

        // At 23:00 the basic connection refuses a sign-in until Wednesday 07:00; another 24/7 connection admits one.
        var late = await org.App.SignInAsync(org.LicenseId, "ana", "office-pc-3", "desktop", HttpStatusCode.Conflict, connection: basic);
        late.Str("code").ShouldBe("outside_access_window");
        late.Str("detail").ShouldContain("Wednesday 07:00 (Australia/Sydney)");
        var allDay2 = await Host.CreateConnectionAsync(org.TenantId, "parallels-24x7-2", "always");
        (await org.App.SignInAsync(org.LicenseId, "ana", "home-laptop", "desktop", connection: allDay2)).Str("status").ShouldBe("active");
        (await org.ActiveSessionsAsync()).Select(s => s.Str("user")).ShouldBe(["tom", "ana"]);
    }

    [Fact]
    public async Task More_connections_than_licences_admit_a_third_user_with_a_warning_on_the_home_screen()
    {
        // "In general, most people have one connection for each Chintaro licence. It can be possible to use more
        // connections than concurrent users."
        using var org = await HousingOrganisationAsync(licences: 2);
        var connections = new List<string>();
        for (var i = 1; i <= 3; i++)
            connections.Add(await Host.CreateConnectionAsync(org.TenantId, $"parallels-basic-{i}", "business-hours"));
        MoveClockTo(Local(3, 9));

        // "You can have unlimited login names for Chintaro, but the concurrent users dictates how many people can be
        // logged in at the same time."
        var first = await org.App.SignInAsync(org.LicenseId, "maria", "office-pc-1", "desktop", connection: connections[0]);
        var second = await org.App.SignInAsync(org.LicenseId, "tom", "office-pc-2", "desktop", connection: connections[1]);
        first.WarningCodes().ShouldBeEmpty();
        second.WarningCodes().ShouldBeEmpty();
        second.Int("seatsInUse").ShouldBe(2);

        // "You just have to ensure that you never exceed the maximum number of concurrent users that you are licensed
        // for. If this is the case, you will get a warning message displayed on the home screen when you login."
        var third = await org.App.SignInAsync(org.LicenseId, "ana", "office-pc-3", "desktop", connection: connections[2]);
        third.Str("status").ShouldBe("active");
        third.Int("seatsInUse").ShouldBe(3);
        third.Int("seatLimit").ShouldBe(2);
        var policy = Scenario.Policy("hosted-service");
        third.Warning("over_limit").Str("message").ShouldBe(policy.GetProperty("limit").Str("warningMessage"));
        (await org.LicenseAsync()).Int("seatsInUse").ShouldBe(3);

        // Back within the licences, the next login shows no warning.
        await org.App.SignOffAsync(first);
        await org.App.SignOffAsync(second);
        (await org.App.SignInAsync(org.LicenseId, "maria", "office-pc-1", "desktop", connection: connections[0]))
            .WarningCodes().ShouldBeEmpty();

        // "If you would like to review your licence history, you can do that if you have administrator access by going
        // into System Maintenance > View Licence Usage. It will show a table with historical information which can be filtered on."
        var overLimit = await org.Admin.GetJsonAsync($"/v1/usage/events?licenseId={org.LicenseId}&code=admitted_over_limit");
        overLimit.GetProperty("items").EnumerateArray().Select(e => (e.Str("user"), e.Int("seatsInUse"), e.Int("seatLimit"))).ShouldBe([("ana", 3, 2)]);
        var maria = await org.Admin.GetJsonAsync($"/v1/usage/events?licenseId={org.LicenseId}&user=maria");
        maria.GetProperty("items").EnumerateArray().Select(e => e.Str("code")).ShouldBe(["admitted", "released", "admitted"]);
        var warnings = await org.Admin.GetJsonAsync($"/v1/usage/licenses/{org.LicenseId}/limit-warnings");
        (warnings.Str("limitMode"), warnings.GetProperty("exceeded").GetBoolean()).ShouldBe(("soft", true));
        warnings.GetProperty("overLimit").Int("count").ShouldBe(1);
    }

    [Fact]
    public async Task Users_sharing_a_connection_share_its_email_and_the_second_takes_over_the_session_with_its_screens()
    {
        using var org = await HousingOrganisationAsync(licences: 2);
        // "all users sharing the connection must also share an email address. This can be done for people job
        // sharing, for example, by using a generic email, such as housing@org.com.au"
        var shared = await Host.CreateConnectionAsync(org.TenantId, "parallels-housing", "business-hours", SharedEmail);
        MoveClockTo(Local(3, 9));

        var anna = await org.App.SignInAsync(org.LicenseId, "anna", "office-pc-1", "desktop", connection: shared, email: SharedEmail);
        anna.TryGetProperty("tookOver", out _).ShouldBeFalse("nobody was on the connection");
        var screens = new { openScreens = new[] { "Tenancy 14 Smith St", "Rent arrears", "Maintenance request 2291" } };
        await org.App.SendAsync(HttpMethod.Put, $"/v1/sessions/{anna.Str("id")}/state", screens, HttpStatusCode.NoContent);
        await Host.PassTimeAsync(org.App, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(4), active: true, anna);

        // "if one person is logged in to Chintaro, and someone sharing a connection with that person tries to login,
        // it will disconnect the first person, and take over that session. The new user will be logged in to
        // Chintaro and whatever screens were open as the original person"
        var ben = await org.App.SignInAsync(org.LicenseId, "ben", "office-pc-2", "desktop", connection: shared, email: SharedEmail);
        ben.Str("status").ShouldBe("active");
        ben.GetProperty("tookOver").Str("sessionId").ShouldBe(anna.Str("id"));
        ben.GetProperty("tookOver").Str("user").ShouldBe("anna");
        ben.GetProperty("state").GetProperty("openScreens").EnumerateArray().Select(s => s.GetString())
            .ShouldBe(screens.openScreens);
        ben.Int("seatsInUse").ShouldBe(1, "one connection, one user at a time: the takeover draws no second licence");
        (await org.App.GetJsonAsync($"/v1/sessions/{ben.Str("id")}/state")).GetProperty("openScreens").GetArrayLength().ShouldBe(3,
            "the screens handed on are now Ben's session's state");

        // The first person is disconnected, and her client is told why.
        await org.App.ShouldHaveEndedAsync(anna, "taken_over");

        // The administrator sees who is on: Ben, on the shared connection.
        var on = await org.ActiveSessionsAsync();
        on.Select(s => s.Str("user")).ShouldBe(["ben"]);
        on[0].Str("connection").ShouldBe(shared);
        on[0].Str("device").ShouldBe("office-pc-2");

        // One user at a time, either way round: Anna takes it back, and gets Ben's screens.
        await org.App.SendAsync(HttpMethod.Put, $"/v1/sessions/{ben.Str("id")}/state",
            new { openScreens = new[] { "Rent arrears" } }, HttpStatusCode.NoContent);
        var annaAgain = await org.App.SignInAsync(org.LicenseId, "anna", "office-pc-1", "desktop", connection: shared, email: SharedEmail);
        annaAgain.GetProperty("tookOver").Str("user").ShouldBe("ben");
        annaAgain.GetProperty("state").GetProperty("openScreens").EnumerateArray().Select(s => s.GetString()).ShouldBe(["Rent arrears"]);
        await org.App.ShouldHaveEndedAsync(ben, "taken_over");
    }

    [Fact]
    public async Task SSO_users_never_share_a_connection_and_nor_does_anyone_without_the_shared_email()
    {
        using var org = await HousingOrganisationAsync(licences: 3);
        var shared = await Host.CreateConnectionAsync(org.TenantId, "parallels-housing", "business-hours", SharedEmail);
        var frontDesk = await Host.CreateConnectionAsync(org.TenantId, "parallels-front-desk", "business-hours", "frontdesk@org.com.au");
        MoveClockTo(Local(3, 9));
        var ben = await org.App.SignInAsync(org.LicenseId, "ben", "office-pc-2", "desktop", connection: shared, email: SharedEmail);

        // "if you are using SSO you can never share a connection": not even with the shared e-mail ...
        var sso = await org.App.SignInAsync(org.LicenseId, "carla", "office-pc-3", "desktop", HttpStatusCode.Conflict,
            connection: shared, email: SharedEmail, sso: true);
        sso.Str("code").ShouldBe("sso_cannot_share");
        sso.Str("detail").ShouldContain("single sign-on");

        // "all users sharing the connection must also share an email address": a user with her own address may not take it over.
        var stranger = await org.App.SignInAsync(org.LicenseId, "dana", "office-pc-4", "desktop", HttpStatusCode.Conflict,
            connection: shared, email: "dana@org.com.au");
        stranger.Str("code").ShouldBe("connection_in_use");

        // Nobody was disconnected by the refusals.
        (await org.App.HeartbeatAsync(ben)).Str("status").ShouldBe("active");
        (await org.ActiveSessionsAsync()).Select(s => s.Str("user")).ShouldBe(["ben"]);

        // ... and a user who signed in through SSO cannot be taken over either, even by one with the shared e-mail.
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var erin = await org.App.SignInAsync(org.LicenseId, "erin", "front-desk-pc", "desktop",
            connection: frontDesk, email: "frontdesk@org.com.au", sso: true);
        var fay = await org.App.SignInAsync(org.LicenseId, "fay", "front-desk-pc-2", "desktop", HttpStatusCode.Conflict,
            connection: frontDesk, email: "frontdesk@org.com.au");
        fay.Str("code").ShouldBe("sso_cannot_share");
        (await org.App.HeartbeatAsync(erin)).Str("status").ShouldBe("active");
        (await org.ActiveSessionsAsync()).Select(s => s.Str("user")).ShouldBe(["ben", "erin"]);
    }
}
