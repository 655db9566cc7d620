using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Scenarios.Tests;

/// <summary>
/// seeds/002: "Concurrent Sessions-Based Licensing" (ERP.net Small Business plans). Every client
/// instance on every device is one session; a plan starts at a base number of sessions, more can
/// be bought up to 35, beyond that the answer is to change plan; users and devices are unlimited;
/// an external application doing the work of several users uses several sessions. The policy is
/// examples/session-plans.json, as is (Small Business Basic: base 3, cap 35; the integration client weighs 3).
/// </summary>
[Trait("Document", "002 session-based plans")]
public sealed class SessionPlansScenario : HostedTests
{
    private const string PlanFull = "All concurrent sessions of your plan are in use.";

    private Task<Tenancy> SmallBusinessAsync(int sessions) =>
        Host.TenantWithLicenseAsync("Plovdiv Wholesale", "Europe/Sofia", "erp.net", sessions, "session-plans");

    [Fact]
    public async Task Each_desktop_application_web_or_mobile_client_on_each_device_is_one_concurrent_session()
    {
        // "Small Business Basic - starts at a maximum of three concurrent sessions"
        using var erp = await SmallBusinessAsync(sessions: 3);

        // "An example of the former will be if you start a single instance of your desktop application OR a single
        // instance of your web client ... this will be deemed a single active and concurrent session"
        var single = await erp.App.SignInAsync(erp.LicenseId, "ivan", "office-pc", "desktop");
        single.Int("seatsInUse").ShouldBe(1);
        await erp.App.SignOffAsync(single);

        // "An example of multiple concurrent sessions will be if three users start their own single instances of their
        // applications OR web clients ... This will lead to at least* three concurrent sessions"
        var three = new[]
        {
            await erp.App.SignInAsync(erp.LicenseId, "ivan", "office-pc", "desktop"),
            await erp.App.SignInAsync(erp.LicenseId, "maria", "maria-laptop", "web"),
            await erp.App.SignInAsync(erp.LicenseId, "georgi", "georgi-pc", "web"),
        };
        three[^1].Int("seatsInUse").ShouldBe(3);
        foreach (var session in three)
            await erp.App.SignOffAsync(session);

        // "A single device running multiple applications and/or web clients actively connected to ERP.net, as well as
        // a single user connecting to ERP.net from multiple devices ... all at the same time, will result in multiple
        // concurrent sessions."
        var desktop = await erp.App.SignInAsync(erp.LicenseId, "ivan", "office-pc", "desktop");
        var webOnSamePc = await erp.App.SignInAsync(erp.LicenseId, "ivan", "office-pc", "web");
        var phone = await erp.App.SignInAsync(erp.LicenseId, "ivan", "ivan-phone", "mobile");
        desktop.Int("seatsInUse").ShouldBe(1);
        webOnSamePc.Int("seatsInUse").ShouldBe(2, "a second client on the same device is a second session");
        phone.Int("seatsInUse").ShouldBe(3, "the same user on a second device is a third session");
        (await erp.ActiveSessionsAsync()).ShouldAllBe(s => s.Str("user") == "ivan");

        // One user now holds all three sessions of the plan: his tablet, a fourth session, is refused.
        var tablet = await erp.App.SignInAsync(erp.LicenseId, "ivan", "ivan-tablet", "web", HttpStatusCode.Conflict);
        tablet.Str("code").ShouldBe("no_seat_available");
        tablet.Str("detail").ShouldBe(PlanFull);
        tablet.Int("seatsInUse").ShouldBe(3);
        tablet.Int("seatLimit").ShouldBe(3);
        (await erp.App.SignInAsync(erp.LicenseId, "ivan", "office-pc", "web", HttpStatusCode.Conflict))
            .Str("detail").ShouldBe(PlanFull, "a second web tab on the same PC is a fourth session too");
    }

    [Fact]
    public async Task Users_and_devices_are_unlimited_only_sessions_running_at_the_same_time_count()
    {
        using var erp = await SmallBusinessAsync(sessions: 3);

        // "you and your team can have as many active and unactive users and devices configured to use your ERP.net
        // instance as you like, even if the full number of users and devices exceeds the maximum allowed number of
        // concurrent sessions"
        var users = new HashSet<string>();
        var devices = new HashSet<string>();
        for (var day = 1; day <= 15; day++)
        {
            var shift = new List<JsonElement>();
            for (var i = 0; i < 3; i++)
            {
                var user = $"user{(day * 3) + i}";
                var device = $"device-{day}-{i}";
                var session = await erp.App.SignInAsync(erp.LicenseId, user, device, i == 2 ? "mobile" : "web");
                session.Int("seatsInUse").ShouldBeLessThanOrEqualTo(3);
                shift.Add(session);
                users.Add(user);
                devices.Add(device);
            }

            // "Only sessions which are active and run simultaneously are treated as concurrent."
            if (day == 1)
            {
                (await erp.App.SignInAsync(erp.LicenseId, "user-extra", "device-extra", "web", HttpStatusCode.Conflict))
                    .Str("detail").ShouldBe(PlanFull);
            }

            await Host.PassTimeAsync(erp.App, TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(4), active: true, [.. shift]);
            foreach (var session in shift)
                await erp.App.SignOffAsync(session);
            Host.LetQuietTimePass(TimeSpan.FromHours(23));
        }

        // "The full number of devices that are configured to access or have previously accessed the system, as well as
        // the full number of users ... are not limited by any manner regarding your license."
        users.Count.ShouldBe(45);
        devices.Count.ShouldBe(45);
        (await erp.LicenseAsync()).Int("seatsInUse").ShouldBe(0);
        (await erp.App.SignInAsync(erp.LicenseId, "user-46", "device-46", "desktop")).Int("seatsInUse").ShouldBe(1);
    }

    [Fact]
    public async Task Additional_sessions_can_be_purchased_up_to_35_and_beyond_that_a_plan_change_is_offered()
    {
        using var erp = await SmallBusinessAsync(sessions: 3);
        var plan = (await erp.LicenseAsync()).GetProperty("plan");
        plan.Str("name").ShouldBe("Small Business Basic");
        plan.Int("baseSeats").ShouldBe(3);
        plan.Int("addOnSeats").ShouldBe(0);
        plan.Int("maxSeats").ShouldBe(35);

        // "Additional concurrent sessions for your license may be purchased in accordance with our price lists."
        var bought = await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{erp.LicenseId}", new { seats = 10 }, HttpStatusCode.OK);
        bought.Int("seats").ShouldBe(10);
        var seen = await erp.LicenseAsync();
        seen.Int("seats").ShouldBe(10);
        seen.GetProperty("plan").ShouldSatisfyAllConditions(
            p => p.Int("baseSeats").ShouldBe(3),
            p => p.Int("addOnSeats").ShouldBe(7),
            p => p.Int("maxSeats").ShouldBe(35));

        // Ten sessions run at once now; the eleventh does not.
        for (var i = 1; i <= 10; i++)
            (await erp.App.SignInAsync(erp.LicenseId, $"user{i}", $"device-{i}", "web")).Int("seatsInUse").ShouldBe(i);
        (await erp.App.SignInAsync(erp.LicenseId, "user11", "device-11", "web", HttpStatusCode.Conflict)).Str("detail").ShouldBe(PlanFull);

        // "The maximum number of concurrent sessions available for purchase is 35 for all Small Business subscription plans."
        (await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{erp.LicenseId}", new { seats = 35 }, HttpStatusCode.OK))
            .GetProperty("plan").Int("addOnSeats").ShouldBe(32);

        // "If your ERP.net instance exceeds this number of concurrent sessions and still does not cover your needs, we
        // would be happy to offer a subscription plan that better matches your type of business and its needs."
        var beyond = await Host.Operator.SendAsync(HttpMethod.Patch, $"/v1/licenses/{erp.LicenseId}", new { seats = 36 }, HttpStatusCode.Conflict);
        beyond.Str("code").ShouldBe("plan_limit_reached");
        beyond.Str("detail").ShouldBe(Scenario.Policy("session-plans").GetProperty("plan").Str("changePlanMessage"));
        beyond.Str("field").ShouldBe("seats");
        (await erp.LicenseAsync()).Int("seats").ShouldBe(35, "the refused purchase changed nothing");
    }

    [Fact]
    public async Task Small_Business_Advanced_starts_at_five_concurrent_sessions_with_the_same_policy()
    {
        // "Small Business Advanced - starts at a maximum number of five concurrent sessions." The same policy file,
        // with only the plan's name and base changed: configuration, not code.
        var advanced = JsonNode.Parse(Scenario.Policy("session-plans").GetRawText())!.AsObject();
        advanced["plan"]!["name"] = "Small Business Advanced";
        advanced["plan"]!["baseSeats"] = 5;
        var tenantId = await Host.CreateTenantAsync("Varna Logistics", "Europe/Sofia");

        var tooFew = await Host.Operator.PostAsync("/v1/licenses",
            new { tenantId, product = "erp.net", seats = 3, policy = advanced }, HttpStatusCode.Conflict);
        tooFew.Str("code").ShouldBe("plan_limit_reached");

        var license = await Host.Operator.PostAsync("/v1/licenses",
            new { tenantId, product = "erp.net", seats = 5, policy = advanced }, HttpStatusCode.Created);
        license.GetProperty("plan").Str("name").ShouldBe("Small Business Advanced");
        license.GetProperty("plan").Int("baseSeats").ShouldBe(5);
        license.GetProperty("plan").Int("addOnSeats").ShouldBe(0);
        license.GetProperty("plan").Int("maxSeats").ShouldBe(35);
    }

    [Fact]
    public async Task An_external_application_combining_the_work_of_several_users_uses_that_many_sessions()
    {
        // Base 3 plus 7 bought.
        using var erp = await SmallBusinessAsync(sessions: 10);

        // "If a single application is trying to combine the work and processes of multiple other applications or
        // internal users, this application will use the according number of concurrent sessions"
        var sync = await erp.App.SignInAsync(erp.LicenseId, "warehouse-sync", "integration-server", "integration");
        sync.Int("seats").ShouldBe(3);
        sync.Int("seatsInUse").ShouldBe(3);

        var people = new List<JsonElement>();
        for (var i = 1; i <= 5; i++)
            people.Add(await erp.App.SignInAsync(erp.LicenseId, $"user{i}", $"device-{i}", "desktop"));
        people[^1].Int("seatsInUse").ShouldBe(8);

        // "External applications ... running parallel with other external applications ... can create multiple
        // concurrent sessions": a second one needs 3 and only 2 are free.
        var edi = await erp.App.SignInAsync(erp.LicenseId, "edi-gateway", "integration-server", "integration", HttpStatusCode.Conflict);
        edi.Str("code").ShouldBe("no_seat_available");
        edi.Str("detail").ShouldBe(Scenario.Policy("session-plans").GetProperty("clientTypes").GetProperty("integration").Str("denialMessage"));
        edi.Int("seatsInUse").ShouldBe(8);

        // A person signs off: 3 are free, and the gateway gets its three.
        await erp.App.SignOffAsync(people[0]);
        var admitted = await erp.App.SignInAsync(erp.LicenseId, "edi-gateway", "integration-server", "integration");
        admitted.Int("seatsInUse").ShouldBe(10);
        (await erp.ActiveSessionsAsync()).Where(s => s.Str("client") == "integration").Select(s => s.Int("seats")).ShouldBe([3, 3]);
        (await erp.LicenseAsync()).Int("seatsInUse").ShouldBe(10);
    }
}
