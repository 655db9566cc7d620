using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Sessions;

public sealed class ConcurrencyTests : HostedTests
{
    [Fact]
    public async Task TwoHundredParallelCheckouts_AgainstALimitOfTen_AdmitExactlyTen()
    {
        using var t = await Host.CreateTenancyAsync(seats: 10);
        using var start = new SemaphoreSlim(0);

        var attempts = Enumerable.Range(0, 200).Select(async i =>
        {
            await start.WaitAsync();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { licenseId = t.LicenseId, user = $"user-{i}", device = $"pc-{i}", client = "desktop" }),
            };
            using var response = await t.App.SendAsync(request);
            return response.StatusCode;
        }).ToList();
        start.Release(200);
        var statuses = await Task.WhenAll(attempts);

        statuses.Count(s => s == HttpStatusCode.Created).ShouldBe(10);
        statuses.Count(s => s == HttpStatusCode.Conflict).ShouldBe(190);
        (await t.Admin.GetJsonAsync($"/v1/sessions?licenseId={t.LicenseId}")).GetProperty("items").GetArrayLength().ShouldBe(10);
        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seatsInUse").ShouldBe(10);
    }

    [Fact]
    public async Task ParallelRetriesWithOneIdempotencyKey_OpenOneSession()
    {
        using var t = await Host.CreateTenancyAsync(seats: 5);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            t.App.CheckoutAsync(t.LicenseId, "alice", idempotencyKey: "start-1")));

        answers.Select(a => a.Str("id")).Distinct().Count().ShouldBe(1);
        (await t.Admin.GetJsonAsync($"/v1/licenses/{t.LicenseId}")).Int("seatsInUse").ShouldBe(1);
    }
}
