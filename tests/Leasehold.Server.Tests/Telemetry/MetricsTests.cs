using System.Diagnostics;
using System.Net;
using Leasehold.Server.Background;
using Leasehold.Server.Hosting;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Telemetry;

/// <summary>
/// A meter is listened to by its name, whichever host made it: the counts of one host's /metrics would
/// take in the checkouts of every other test host running at the same time. These tests run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics, alone";
}

/// <summary>
/// What an operator's Prometheus reads from <c>GET /metrics</c> (docs/operations.md, "Metrics and traces"),
/// after the calls a licensed application makes, over real HTTP.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests : HostedTests
{
    private async Task<IReadOnlyList<Sample>> ScrapeAsync()
    {
        using var response = await Host.Operator.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        return PrometheusText.Parse(text);
    }

    [Fact]
    public async Task Metrics_CountCheckoutsByOutcomeAndCode_HeartbeatsEndsAndTheSeatsInUse()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var alice = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        (await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict)).Str("code").ShouldBe("no_seat_available");
        await t.App.PostAsync($"/v1/sessions/{alice}/heartbeat", new { active = true }, HttpStatusCode.OK);

        var held = await ScrapeAsync();

        held.Value("leasehold_checkouts_total", ("outcome", "admitted"), ("code", "admitted")).ShouldBe(1);
        held.Value("leasehold_checkouts_total", ("outcome", "refused"), ("code", "no_seat_available")).ShouldBe(1);
        held.Value("leasehold_heartbeats_total", ("outcome", "ok")).ShouldBe(1);
        held.Value("leasehold_seats_in_use").ShouldBe(1);
        held.Value("leasehold_license_seats_in_use", ("license_id", t.LicenseId)).ShouldBe(1);
        held.Value("leasehold_decision_duration_seconds_count", ("decision", "checkout")).ShouldBe(2);
        held.Value("leasehold_decision_duration_seconds_count", ("decision", "heartbeat")).ShouldBe(1);
        held.Value("leasehold_sessions_ended_total", ("reason", "released")).ShouldBeNull();

        await t.App.DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent);
        await t.App.CheckoutAsync(t.LicenseId, "carol");
        Host.Clock.Advance(TimeSpan.FromMinutes(5)); // carol's client stops sending heartbeats
        await Host.Service<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

        var after = await ScrapeAsync();

        after.Value("leasehold_checkouts_total", ("outcome", "admitted"), ("code", "admitted")).ShouldBe(2);
        after.Value("leasehold_sessions_ended_total", ("reason", "released")).ShouldBe(1);
        after.Value("leasehold_sessions_ended_total", ("reason", "expired")).ShouldBe(1);
        after.Value("leasehold_decision_duration_seconds_count", ("decision", "release")).ShouldBe(1);
        after.Value("leasehold_reaper_sessions_ended_total").ShouldBe(1);
        after.Value("leasehold_reaper_passes_total").ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(1); // the reaper's own timer may run too
        after.Value("leasehold_seats_in_use").ShouldBe(0);
        after.Value("leasehold_license_seats_in_use", ("license_id", t.LicenseId)).ShouldBeNull();
        if (Host.Service<LeaseholdSettings>().Postgres is null) // the single writer is SQLite's; PostgreSQL has no queue of its own
        {
            after.Value("leasehold_store_write_queue_depth").ShouldNotBeNull();
            after.Value("leasehold_store_write_batch_size_count").ShouldNotBeNull().ShouldBeGreaterThan(0);
        }
        // ASP.NET Core's own request metrics come along.
        after.ShouldContain(s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.GetValueOrDefault("http_route") == "/v1/sessions/");
        // And the runtime's (the System.Runtime meter): bench/run.sh reads the allocated bytes per request from this one.
        after.Value("dotnet_gc_heap_total_allocated_bytes_total").ShouldNotBeNull().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Metrics_AnswerTheOperatorKeyOnly()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        using var anonymous = Host.Client();

        (await anonymous.SendRawAsync(HttpMethod.Get, "/metrics")).ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
        (await t.Admin.SendRawAsync(HttpMethod.Get, "/metrics")).ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
        (await t.App.SendRawAsync(HttpMethod.Get, "/metrics")).ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
        (await Host.Operator.SendRawAsync(HttpMethod.Get, "/metrics")).StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task Metrics_Public_AnswerWithoutAKey_AndOff_AreNotThere()
    {
        await using var open = await StartWithAsync("public");
        using (var anonymous = open.Client())
        using (var answer = await anonymous.GetAsync("/metrics"))
        {
            answer.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await answer.Content.ReadAsStringAsync()).ShouldContain("target_info");
        }

        await using var off = await StartWithAsync("off");
        (await off.Operator.SendRawAsync(HttpMethod.Get, "/metrics")).ShouldBeProblem(HttpStatusCode.NotFound, "not_found");
        using var t = await off.CreateTenancyAsync(seats: 1);
        await t.App.CheckoutAsync(t.LicenseId, "alice"); // nothing listens, and the checkout is answered as ever
    }

    private static async Task<TestHost> StartWithAsync(string metrics)
    {
        var data = Path.Combine(Path.GetTempPath(), "leasehold-test-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>(await TestStore.SettingsAsync(data)) { ["LEASEHOLD_METRICS"] = metrics };
        return await TestHost.StartAsync(data, storeSettings: settings);
    }

    [Fact]
    public async Task Checkout_IsTraced_AsALeaseholdSpan_WithItsLicenseOutcomeAndCode()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Leasehold",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("leasehold.license_id") as string == t.LicenseId)
                {
                    lock (spans)
                        spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var session = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await t.App.CheckoutAsync(t.LicenseId, "bob", HttpStatusCode.Conflict);

        List<Activity> seen;
        lock (spans)
            seen = [.. spans];
        seen.Count.ShouldBe(2);
        var admitted = seen.Single(s => s.GetTagItem("leasehold.outcome") as string == "admitted");
        admitted.OperationName.ShouldBe("leasehold.checkout");
        admitted.GetTagItem("leasehold.code").ShouldBe("admitted");
        admitted.GetTagItem("leasehold.session_id").ShouldBe(session);
        var refused = seen.Single(s => s.GetTagItem("leasehold.outcome") as string == "refused");
        refused.GetTagItem("leasehold.code").ShouldBe("no_seat_available");
    }
}
