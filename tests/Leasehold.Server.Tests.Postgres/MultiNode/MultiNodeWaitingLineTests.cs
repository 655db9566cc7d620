using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Leasehold.Server.Storage.Postgres;
using Leasehold.Server.Tests.Support;
using Npgsql;

namespace Leasehold.Server.Tests.MultiNode;

/// <summary>
/// The waiting line across nodes on one PostgreSQL (issue 17, "Proof"; docs/waiting-line.md, "One order across nodes"): the
/// license's row lock orders the line whichever node decides, and an offer made on one node reaches a waiter whose events
/// stream is held by another through <c>leasehold_waits</c> (LISTEN/NOTIFY). The nodes share one fake clock that never moves
/// here, so no offer lapses, no entry expires, and a stream's only wake-up is a change of the line (its keep-alive timer
/// runs on that clock): every <c>offered</c> a waiter reads was pushed.
/// </summary>
public sealed class MultiNodeWaitingLineTests
{
    private const int Seats = 3;
    private const int Waiters = 50;

    private static readonly object LinePolicy = new
    {
        waitingLine = new { enabled = true, maxLength = 100, offerSeconds = 30, maxWaitSeconds = 3600 },
        clientTypes = new { desktop = new { ttlSeconds = 300, idleTimeoutSeconds = 0 } },
    };

    /// <summary>One waiter's seat: who (its join order), the session it took, and the node it followed its entry on.</summary>
    private sealed record Grant(int Waiter, string SessionId, int Node);

    [Fact]
    public async Task FiftyWaitersOverThreeNodes_GetSeatsInJoinOrder_AsSeatsFreeOnEveryNode_NoneTwice_NoneSkipped()
    {
        await using var nodes = await Nodes.StartListeningAsync(3);
        var tenantId = await nodes[0].CreateTenantAsync(timeZone: "UTC");
        var licenseId = await nodes[0].CreateLicenseAsync(tenantId, Seats, LinePolicy);
        var apps = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "client"));
        var admins = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "admin"));
        var holders = new Queue<string>();
        for (var h = 0; h < Seats; h++)
            holders.Enqueue((await apps[h].CheckoutAsync(licenseId, $"holder-{h}", device: $"pc-holder-{h}")).Str("id"));

        // 50 joins, one after the other, round-robin over the nodes; each follows its entry's stream on the node it joined through.
        var entries = new List<JsonElement>();
        var streams = new List<SseReader>();
        try
        {
            for (var i = 0; i < Waiters; i++)
            {
                var app = apps[i % nodes.Count];
                var entry = await app.PostAsync("/v1/waits",
                    new { licenseId, user = $"waiter-{i:00}", device = $"pc-{i:00}", client = "desktop", waitSeconds = 3600 }, HttpStatusCode.Accepted);
                (entry.Str("status"), entry.Int("position")).ShouldBe(("waiting", i + 1));
                entries.Add(entry);
                var stream = await SseReader.OpenAsync(app, $"/v1/waits/{entry.Str("id")}/events");
                streams.Add(stream);
                var first = await stream.NextAsync();
                (first.Name, first.Data.Int("position")).ShouldBe(("waiting", i + 1));
            }
            var waitIds = entries.Select(e => e.Str("id")).ToList();
            // Every node shows the same line: the join order, whichever node each joined through.
            foreach (var admin in admins)
            {
                (await admin.GetJsonAsync($"/v1/waits?licenseId={licenseId}")).GetProperty("items").EnumerateArray()
                    .OrderBy(e => e.Int("position")).Select(e => (e.Int("position"), e.Str("id"))).ShouldBe(waitIds.Select((id, i) => (i + 1, id)));
            }

            // Each waiter reads its stream until a seat is offered, takes it on its own node, and reports the session it got.
            var grants = Channel.CreateUnbounded<Grant>();
            var followers = Enumerable.Range(0, Waiters).Select(i => Task.Run(async () =>
            {
                var node = i % nodes.Count;
                var offered = await streams[i].NextOtherThanAsync("waiting");
                offered.Name.ShouldBe("offered", $"waiter {i}'s stream");
                offered.Data.Str("take").ShouldBe($"/v1/waits/{waitIds[i]}/session");
                var session = await apps[node].PostAsync($"/v1/waits/{waitIds[i]}/session", null, HttpStatusCode.Created);
                session.Str("id").ShouldBe(entries[i].Str("sessionId"));
                session.Str("user").ShouldBe($"waiter-{i:00}");
                session.Int("seatsInUse").ShouldBeLessThanOrEqualTo(Seats);
                var ended = await streams[i].NextOtherThanAsync("waiting");
                (ended.Name, ended.Data.Str("reason"), ended.Data.Str("sessionId")).ShouldBe(("ended", "granted", session.Str("id")));
                await grants.Writer.WriteAsync(new Grant(i, session.Str("id"), node));
            })).ToList();

            var granted = new List<Grant>();
            async Task<Grant> NextGrantAsync(string what)
            {
                var read = grants.Reader.ReadAsync().AsTask();
                var done = await Task.WhenAny(followers.Where(f => f.IsFaulted).Append(read).Append(Task.Delay(Wait.Patience)));
                if (done != read)
                {
                    var failed = followers.FirstOrDefault(f => f.IsFaulted);
                    if (failed is not null)
                        await failed; // the waiter's own failure, with its message
                    throw new TimeoutException($"Gave up after {Wait.Patience.TotalSeconds:0} s waiting for {what}.");
                }
                var grant = await read;
                granted.Add(grant);
                return grant;
            }

            async Task SeatsStayAtTheLimitAsync(int node)
            {
                (await admins[node].GetJsonAsync($"/v1/licenses/{licenseId}")).Int("seatsInUse").ShouldBe(Seats);
                (await admins[node].GetJsonAsync($"/v1/sessions?licenseId={licenseId}")).GetProperty("items").GetArrayLength().ShouldBe(Seats);
            }

            // One seat at a time, 20 times: the sign-off goes through the node after the next waiter's, so every offer crosses nodes.
            var crossNode = 0;
            for (var step = 0; step < 20; step++)
            {
                var freeingNode = (step + 1) % nodes.Count;
                await apps[freeingNode].DeleteAsync($"/v1/sessions/{holders.Dequeue()}", HttpStatusCode.NoContent);
                var grant = await NextGrantAsync($"the seat freed at step {step} to reach a waiter");
                grant.Waiter.ShouldBe(step, "the head of the line gets the seat");
                if (grant.Node != freeingNode)
                    crossNode++;
                holders.Enqueue(grant.SessionId);
                await SeatsStayAtTheLimitAsync(step % nodes.Count);
            }
            crossNode.ShouldBe(20, "every offer of this phase was made on a node other than the waiter's, and pushed to its stream");

            // Then three at once, one sign-off on each node, ten times: the next three in line get them, whichever offer was first.
            for (var batch = 0; batch < 10; batch++)
            {
                var leaving = new[] { holders.Dequeue(), holders.Dequeue(), holders.Dequeue() };
                await Task.WhenAll(leaving.Select((id, n) => apps[n].DeleteAsync($"/v1/sessions/{id}", HttpStatusCode.NoContent)));
                var three = new List<Grant>();
                for (var k = 0; k < 3; k++)
                    three.Add(await NextGrantAsync($"seat {k + 1} of batch {batch}"));
                var next = 20 + (batch * 3);
                three.Select(g => g.Waiter).Order().ShouldBe([next, next + 1, next + 2]);
                foreach (var grant in three)
                    holders.Enqueue(grant.SessionId);
                await SeatsStayAtTheLimitAsync(batch % nodes.Count);
            }
            await Task.WhenAll(followers).ContinueWith(_ => true, TaskScheduler.Default).OrFailAsync("every waiter to finish");
            await Task.WhenAll(followers);

            // None skipped, none twice: 50 grants, one per waiter, 50 sessions, and the line is empty.
            granted.Select(g => g.Waiter).Order().ShouldBe(Enumerable.Range(0, Waiters));
            granted.Select(g => g.SessionId).Distinct().Count().ShouldBe(Waiters);
            (await admins[1].GetJsonAsync($"/v1/waits?licenseId={licenseId}")).GetProperty("items").GetArrayLength().ShouldBe(0);
            for (var i = 0; i < Waiters; i++)
            {
                var read = await apps[(i + 2) % nodes.Count].GetJsonAsync($"/v1/waits/{waitIds[i]}");
                (read.Str("status"), read.Str("endReason"), read.Str("sessionId")).ShouldBe(("ended", "granted", granted.Single(g => g.Waiter == i).SessionId));
            }

            // The server's own record, in the order it decided (wait_events' identity, taken under the license's lock): each entry
            // offered once, in join order, and granted once; nothing lapsed or left.
            var steps = await WaitEventsAsync(nodes[0], licenseId);
            steps.Where(s => s.Kind == "wait_offered").Select(s => s.EntryId).ShouldBe(waitIds);
            steps.Where(s => s.Kind == "wait_granted").Select(s => s.EntryId).Order(StringComparer.Ordinal).ShouldBe(waitIds.Order(StringComparer.Ordinal));
            steps.Where(s => s.Kind == "wait_granted").Select(s => s.SessionId).Distinct().Count().ShouldBe(Waiters);
            steps.Select(s => s.Kind).Distinct().Order(StringComparer.Ordinal).ShouldBe(["wait_granted", "wait_joined", "wait_offered"]);
        }
        finally
        {
            foreach (var stream in streams)
                await stream.DisposeAsync();
            foreach (var client in apps.Concat(admins))
                client.Dispose();
        }
    }

    [Fact]
    public async Task AWaiterWhoseNodeMissedTheNotify_LearnsItsOfferFromItsHeartbeat_AndTakesTheSeat()
    {
        await using var nodes = await Nodes.StartListeningAsync(2);
        var tenantId = await nodes[0].CreateTenantAsync(timeZone: "UTC");
        var licenseId = await nodes[0].CreateLicenseAsync(tenantId, seats: 1, LinePolicy);
        var apps = nodes.Clients(await nodes[0].CreateKeyAsync(tenantId, "client"));
        var alice = (await apps[0].CheckoutAsync(licenseId, "alice")).Str("id");
        var bob = await apps[1].PostAsync("/v1/waits",
            new { licenseId, user = "bob", device = "pc-bob", client = "desktop", waitSeconds = 600 }, HttpStatusCode.Accepted);
        var waitId = bob.Str("id");
        // Node 1 hears nothing from the others any more: every NOTIFY is lost to it. Bob has no stream open.
        await nodes[1].Service<PostgresEndListener>().StopAsync(CancellationToken.None);

        await apps[0].DeleteAsync($"/v1/sessions/{alice}", HttpStatusCode.NoContent);

        // Bob's next heartbeat (his poll), on the deaf node, answers the offer made on the other.
        var beat = await apps[1].PostAsync($"/v1/waits/{waitId}/heartbeat", null, HttpStatusCode.OK);
        beat.Str("status").ShouldBe("offered");
        beat.GetProperty("offerExpiresAt").GetDateTimeOffset().ShouldBe(nodes.Clock.GetUtcNow().AddSeconds(30));
        // A stream opened now starts with the offer too.
        await using (var events = await SseReader.OpenAsync(apps[1], $"/v1/waits/{waitId}/events"))
            (await events.NextAsync()).Name.ShouldBe("offered");
        var session = await apps[1].PostAsync($"/v1/waits/{waitId}/session", null, HttpStatusCode.Created);
        session.Str("id").ShouldBe(bob.Str("sessionId"));
        session.Int("seatsInUse").ShouldBe(1);
        foreach (var app in apps)
            app.Dispose();
    }

    private sealed record WaitStep(string EntryId, string Kind, string? SessionId);

    /// <summary>The license's wait events as stored, in the order they were written (no API reads them yet).</summary>
    private static async Task<List<WaitStep>> WaitEventsAsync(TestHost host, string licenseId)
    {
        var connection = (await TestStore.SettingsAsync(host.DataDirectory))["LEASEHOLD_POSTGRES"];
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT entry_id, kind, session_id FROM wait_events WHERE license_id = @license ORDER BY id", db);
        command.Parameters.AddWithValue("license", licenseId);
        await using var reader = await command.ExecuteReaderAsync();
        var steps = new List<WaitStep>();
        while (await reader.ReadAsync())
            steps.Add(new WaitStep(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return steps;
    }
}
