using System.Net;
using System.Text.Json;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Scenarios.Tests;

/// <summary>
/// seeds/001: "License management" (Cargo Office). A company license of concurrent users: every
/// application start claims one license, the start beyond the limit is denied, inactive users are
/// logged off after an hour, the administrator sees who is on and can stop a session, and the
/// license has an end date that is warned about two weeks ahead. The policy is examples/company-license.json, as is.
/// </summary>
[Trait("Document", "001 company license")]
public sealed class CompanyLicenseScenario : HostedTests
{
    private Task<Tenancy> CargoCompanyAsync(int licenses) =>
        Host.TenantWithLicenseAsync("Rotterdam Cargo Handling", "Europe/Amsterdam", "cargo-office", licenses, "company-license");

    private static string DenialMessage =>
        Scenario.Policy("company-license").GetProperty("clientTypes").GetProperty("desktop").Str("denialMessage");

    [Fact]
    public async Task Each_user_starting_the_application_claims_one_license_and_beyond_the_purchased_licenses_is_denied()
    {
        // "A company license for 10 users ..."
        using var company = await CargoCompanyAsync(licenses: 10);

        // "Cargo Office validates the number of assigned users by the number of connections to the common database.
        // Each user starting the application claims one license."
        var started = new List<JsonElement>();
        for (var i = 1; i <= 10; i++)
        {
            var start = await company.App.SignInAsync(company.LicenseId, $"clerk{i}", $"workstation-{i}", "desktop",
                idempotencyKey: $"start-clerk{i}-1");
            start.Int("seats").ShouldBe(1);
            start.Int("seatsInUse").ShouldBe(i);
            started.Add(start);
        }

        // A start the application retried (the network dropped the first answer) is the same start: it claims nothing more.
        var retried = await company.App.SignInAsync(company.LicenseId, "clerk10", "workstation-10", "desktop", idempotencyKey: "start-clerk10-1");
        retried.Str("id").ShouldBe(started[^1].Str("id"));
        (await company.LicenseAsync()).Int("seatsInUse").ShouldBe(10);

        // "If the maximum number of connections exceeds the maximum number of purchased licenses the user is denied
        // access to Cargo Office."
        var denied = await company.App.SignInAsync(company.LicenseId, "clerk11", "workstation-11", "desktop", HttpStatusCode.Conflict);
        denied.Str("code").ShouldBe("no_seat_available");
        denied.Str("detail").ShouldBe(DenialMessage);
        denied.Int("seatsInUse").ShouldBe(10);
        denied.Int("seatLimit").ShouldBe(10);
        (await company.ActiveSessionsAsync()).Length.ShouldBe(10);

        // When one of them closes Cargo Office, the next user may start it.
        await company.App.SignOffAsync(started[0]);
        (await company.App.SignInAsync(company.LicenseId, "clerk11", "workstation-11", "desktop")).Int("seatsInUse").ShouldBe(10);
    }

    [Fact]
    public async Task A_single_license_permits_the_application_to_be_launched_one_time()
    {
        // "Both users install Cargo Office and assign a single license (this permits the application to be launched one time)."
        using var laptop = await CargoCompanyAsync(licenses: 1);
        var first = await laptop.App.SignInAsync(laptop.LicenseId, "driver1", "laptop-1", "desktop");

        // A second launch is refused, even by the same user on the same laptop: each start claims a license.
        (await laptop.App.SignInAsync(laptop.LicenseId, "driver1", "laptop-1", "desktop", HttpStatusCode.Conflict))
            .Str("detail").ShouldBe(DenialMessage);
        (await laptop.App.SignInAsync(laptop.LicenseId, "driver2", "laptop-1", "desktop", HttpStatusCode.Conflict))
            .Str("code").ShouldBe("no_seat_available");

        await laptop.App.SignOffAsync(first);
        await laptop.App.SignInAsync(laptop.LicenseId, "driver2", "laptop-1", "desktop");
    }

    [Fact]
    public async Task The_list_of_currently_active_users_shows_all_users_logged_on()
    {
        using var company = await CargoCompanyAsync(licenses: 3);
        var jan = await company.App.SignInAsync(company.LicenseId, "jan", "workstation-1", "desktop");
        Host.Clock.Advance(TimeSpan.FromMinutes(2));
        var piet = await company.App.SignInAsync(company.LicenseId, "piet", "workstation-2", "desktop");
        var since = new Dictionary<string, DateTimeOffset> { ["jan"] = jan.Time("startedAt"), ["piet"] = piet.Time("startedAt") };

        // Jan works; Piet's application stays open but he does nothing.
        Host.Clock.Advance(TimeSpan.FromMinutes(2));
        await company.App.HeartbeatAsync(jan, active: true);
        await company.App.HeartbeatAsync(piet, active: false);
        var now = Host.Clock.GetUtcNow();

        // "The list with currently active users shows all users logged on to the network database."
        var active = await company.ActiveSessionsAsync();
        active.Select(s => s.Str("user")).ShouldBe(["jan", "piet"]);
        active.Select(s => s.Str("device")).ShouldBe(["workstation-1", "workstation-2"]);
        active.ShouldAllBe(s => s.Str("status") == "active");
        foreach (var session in active)
            session.Time("startedAt").ShouldBe(since[session.Str("user")]);
        active[0].Time("lastActivityAt").ShouldBe(now, "Jan did something at his last heartbeat");
        active[1].Time("lastActivityAt").ShouldBe(since["piet"], "Piet has done nothing since he started");
    }

    [Fact]
    public async Task A_user_inactive_for_more_than_an_hour_is_logged_off_automatically_and_his_license_is_free()
    {
        using var company = await CargoCompanyAsync(licenses: 2);
        var jan = await company.App.SignInAsync(company.LicenseId, "jan", "workstation-1", "desktop");
        var piet = await company.App.SignInAsync(company.LicenseId, "piet", "workstation-2", "desktop");

        // Jan leaves Cargo Office open and walks away: his application keeps heart-beating, reporting no activity.
        // Piet keeps working.
        for (var minute = 4; minute <= 56; minute += 4)
        {
            Host.Clock.Advance(TimeSpan.FromMinutes(4));
            (await company.App.HeartbeatAsync(jan, active: false)).Str("status").ShouldBe("active");
            await company.App.HeartbeatAsync(piet, active: true);
        }
        Host.Clock.Advance(TimeSpan.FromMinutes(3));
        await company.App.HeartbeatAsync(piet, active: true);
        (await company.App.SignInAsync(company.LicenseId, "kees", "workstation-3", "desktop", HttpStatusCode.Conflict))
            .Str("detail").ShouldBe(DenialMessage, "after 59 minutes Jan still holds his license");

        // "The user will be logged off automatically if he or she has been inactive for more than an hour."
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        await company.App.ShouldHaveEndedAsync(jan, "idle");
        (await company.App.GetJsonAsync($"/v1/sessions/{jan.Str("id")}")).Time("endedAt").ShouldBe(jan.Time("startedAt").AddHours(1));
        (await company.App.HeartbeatAsync(piet, active: true)).Str("status").ShouldBe("active", "working users are never logged off");

        // Jan's license is free for someone else.
        (await company.App.SignInAsync(company.LicenseId, "kees", "workstation-3", "desktop")).Int("seatsInUse").ShouldBe(2);
        (await company.ActiveSessionsAsync()).Select(s => s.Str("user")).ShouldBe(["piet", "kees"]);
    }

    [Fact]
    public async Task Stop_session_terminates_the_session_and_a_new_user_is_allowed_to_log_on()
    {
        using var company = await CargoCompanyAsync(licenses: 2);
        var jan = await company.App.SignInAsync(company.LicenseId, "jan", "workstation-1", "desktop");
        var piet = await company.App.SignInAsync(company.LicenseId, "piet", "workstation-2", "desktop");
        (await company.App.SignInAsync(company.LicenseId, "kees", "workstation-3", "desktop", HttpStatusCode.Conflict))
            .Str("code").ShouldBe("no_seat_available");

        // "Click on the Stop session button to terminate the session. The session will end and a new user will be
        // allowed to log on."
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var stopped = await company.Admin.PostAsync($"/v1/sessions/{piet.Str("id")}/stop", null, HttpStatusCode.OK);
        stopped.Str("status").ShouldBe("ended");
        stopped.Str("endReason").ShouldBe("stopped");
        stopped.Time("endedAt").ShouldBe(Host.Clock.GetUtcNow());
        (await company.App.SignInAsync(company.LicenseId, "kees", "workstation-3", "desktop")).Int("seatsInUse").ShouldBe(2);

        // Piet's Cargo Office learns at its next heartbeat that its session was stopped.
        await company.App.ShouldHaveEndedAsync(piet, "stopped");
        (await company.ActiveSessionsAsync()).Select(s => s.Str("user")).ShouldBe(["jan", "kees"]);
        (await company.App.HeartbeatAsync(jan)).Str("status").ShouldBe("active");
    }

    [Fact]
    public async Task The_license_end_date_is_warned_two_weeks_ahead_refused_after_and_extended_by_an_update()
    {
        using var company = await CargoCompanyAsync(licenses: 10);
        var endsAt = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{company.LicenseId}", new { endsAt }, HttpStatusCode.OK);

        // "You can view your license end date by opening the License date tab panel in the configuration window."
        (await company.LicenseAsync()).Time("endsAt").ShouldBe(endsAt);

        // A month ahead, nothing to warn about.
        var march = await company.App.SignInAsync(company.LicenseId, "jan", "workstation-1", "desktop");
        march.WarningCodes().ShouldBeEmpty();
        await company.App.SignOffAsync(march);

        // "Cargo Office will automatically try to update the license date 2 Weeks before the expiry date": from then on,
        // answers tell the application the end is near (the policy warns 14 days ahead).
        Host.LetQuietTimePassUntil(endsAt.AddDays(-14).AddMinutes(-1));
        var fifteenDays = await company.App.SignInAsync(company.LicenseId, "jan", "workstation-1", "desktop");
        fifteenDays.WarningCodes().ShouldBeEmpty();
        await company.App.SignOffAsync(fifteenDays);
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var twoWeeks = await company.App.SignInAsync(company.LicenseId, "jan", "workstation-1", "desktop");
        twoWeeks.Warning("license_expiring").Str("message").ShouldContain("2026-04-01");
        (await company.App.HeartbeatAsync(twoWeeks)).WarningCodes().ShouldContain("license_expiring");
        await company.App.SignOffAsync(twoWeeks);

        // Nobody updated it. The last evening, Piet is still at work when the end date passes: his session ends with it.
        Host.LetQuietTimePassUntil(endsAt.AddMinutes(-10));
        var piet = await company.App.SignInAsync(company.LicenseId, "piet", "workstation-2", "desktop");
        await Host.PassTimeAsync(company.App, TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(4), active: true, piet);
        Host.Clock.Advance(TimeSpan.FromMinutes(3));
        await company.App.ShouldHaveEndedAsync(piet, "license_expired");

        // After the end date, starts are refused.
        var expired = await company.App.SignInAsync(company.LicenseId, "jan", "workstation-1", "desktop", HttpStatusCode.Conflict);
        expired.Str("code").ShouldBe("license_expired");
        expired.Str("detail").ShouldContain("2026-04-01");

        // "Click the Update button to update the license date manually."
        var renewedUntil = new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero);
        (await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{company.LicenseId}", new { endsAt = renewedUntil }, HttpStatusCode.OK))
            .Time("endsAt").ShouldBe(renewedUntil);
        var renewed = await company.App.SignInAsync(company.LicenseId, "jan", "workstation-1", "desktop");
        renewed.Str("status").ShouldBe("active");
        renewed.WarningCodes().ShouldBeEmpty();
        await company.App.SignOffAsync(renewed);

        // A year on, the date is updated while Jan is at work on the last evening: his session lives on past the old date.
        Host.LetQuietTimePassUntil(renewedUntil.AddMinutes(-10));
        var lastEvening = await company.App.SignInAsync(company.LicenseId, "jan", "workstation-1", "desktop");
        lastEvening.WarningCodes().ShouldContain("license_expiring");
        Host.Clock.Advance(TimeSpan.FromMinutes(4));
        await company.App.HeartbeatAsync(lastEvening);
        await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{company.LicenseId}",
            new { endsAt = renewedUntil.AddYears(1) }, HttpStatusCode.OK);
        await Host.PassTimeAsync(company.App, TimeSpan.FromMinutes(12), TimeSpan.FromMinutes(4), active: true, lastEvening);
        var afterOldDate = await company.App.HeartbeatAsync(lastEvening);
        afterOldDate.Str("status").ShouldBe("active");
        afterOldDate.WarningCodes().ShouldBeEmpty();
    }
}
