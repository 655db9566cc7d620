using System.Net;
using Leasehold.Server.Sessions;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Security;

/// <summary>An events stream opened with a key that is revoked afterwards delivers nothing more.</summary>
public sealed class RevokedKeyStreamTests : HostedTests
{
    [Fact]
    public async Task EventsStream_WhenItsKeyIsRevoked_ClosesAtTheNextKeepAlive()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var (keyId, key) = await NewClientKeyAsync(t);
        using var app = Host.Client(key);
        var id = (await app.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await using var stream = await SseReader.OpenAsync(app, $"/v1/sessions/{id}/events");
        (await stream.NextAsync()).Name.ShouldBe("session");

        await t.Admin.DeleteAsync($"/v1/api-keys/{keyId}", HttpStatusCode.OK);
        var next = stream.NextAsync();
        await MoveClockUntilAsync(next);

        (await next).Name.ShouldBe("(closed)");
    }

    [Fact]
    public async Task EventsStream_WhenItsKeyWasRevoked_DoesNotSendTheEnd()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var (keyId, key) = await NewClientKeyAsync(t);
        using var app = Host.Client(key);
        var id = (await app.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await using var stream = await SseReader.OpenAsync(app, $"/v1/sessions/{id}/events");
        (await stream.NextAsync()).Name.ShouldBe("session");

        await t.Admin.DeleteAsync($"/v1/api-keys/{keyId}", HttpStatusCode.OK);
        await t.Admin.PostAsync($"/v1/sessions/{id}/stop", null, HttpStatusCode.OK);

        (await stream.NextAsync()).Name.ShouldBe("(closed)");
    }

    [Fact]
    public async Task EventsStream_WhileItsKeyStands_KeepsGoingPastKeepAlives()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await using var stream = await SseReader.OpenAsync(t.App, $"/v1/sessions/{id}/events");
        (await stream.NextAsync()).Name.ShouldBe("session");
        for (var i = 0; i < 3; i++)
        {
            Host.Clock.Advance(SessionsApi.KeepAlive);
            await Task.Delay(50);
        }

        await t.Admin.PostAsync($"/v1/sessions/{id}/stop", null, HttpStatusCode.OK);
        (await stream.NextAsync()).Name.ShouldBe("ended");
    }

    private async Task<(string Id, string Key)> NewClientKeyAsync(Tenancy t)
    {
        var created = await t.Admin.PostAsync("/v1/api-keys", new { role = "client" }, HttpStatusCode.Created);
        return (created.Str("id"), created.Str("key"));
    }

    /// <summary>Moves the fake clock a keep-alive at a time until <paramref name="done"/> completes (the handler's timer may start late).</summary>
    private async Task MoveClockUntilAsync(Task done)
    {
        for (var i = 0; i < 200 && !done.IsCompleted; i++)
        {
            Host.Clock.Advance(SessionsApi.KeepAlive);
            await Task.WhenAny(done, Task.Delay(100));
        }
    }
}
