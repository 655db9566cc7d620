using System.Net;
using Leasehold.Core.Sessions;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Storage;

/// <summary>
/// Decisions that queue up are committed together; one that fails while writing must fail alone:
/// its partial writes are rolled back and every other decision of the batch still commits.
/// </summary>
public sealed class GroupCommitTests : HostedTests
{
    [Fact]
    public async Task ADecisionThatFailsMidWrite_IsRolledBackAlone_AndTheRestOfItsBatchCommits()
    {
        using var t = await Host.CreateTenancyAsync(seats: 100);
        var store = Host.Service<ISessionDecisions>();
        using var start = new SemaphoreSlim(0);

        var checkouts = Enumerable.Range(0, 40).Select(async i =>
        {
            await start.WaitAsync();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { licenseId = t.LicenseId, user = $"user-{i}", device = "pc", client = "desktop" }),
            };
            using var response = await t.App.SendAsync(request);
            return response.StatusCode;
        }).ToList();
        // Each failing decision writes a valid new session, then one of an unknown tenant (a foreign key violation).
        var failures = Enumerable.Range(0, 10).Select(async i =>
        {
            await start.WaitAsync();
            return await Should.ThrowAsync<Exception>(() => store.DecideOnLicenseAsync(new LedgerQuery(t.LicenseId, null), ledger =>
            {
                var admitted = SeatDecision.Checkout(ledger, new CheckoutRequest($"ses_partial{i}", $"partial-{i}", "pc", "desktop"), Host.Clock.GetUtcNow());
                var session = ((CheckoutResult.Admitted)admitted.Result).Session;
                var orphan = session with { Id = $"ses_orphan{i}", TenantId = "ten_missing" };
                return new Decided<string>("written", new Changes([session, orphan], admitted.Changes.Events));
            }, CancellationToken.None));
        }).ToList();
        start.Release(50);

        (await Task.WhenAll(checkouts)).ShouldAllBe(s => s == HttpStatusCode.Created);
        await Task.WhenAll(failures);

        var open = await Host.Service<ISessionReads>().ListOpenSessionsAsync(null, t.LicenseId, null, CancellationToken.None);
        open.Count.ShouldBe(40);
        open.ShouldAllBe(s => s.User.StartsWith("user-"));
        var events = await Host.UsageEventsAsync(t.LicenseId);
        events.Count.ShouldBe(40);
        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seatsInUse").ShouldBe(40);
    }
}
