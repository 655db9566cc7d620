using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Sessions;

public sealed class SessionStateTests : HostedTests
{
    [Fact]
    public async Task SavedState_IsReadBack_AndReplacedByTheNextSave()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");
        await t.App.GetJsonAsync($"/v1/sessions/{id}/state", HttpStatusCode.NoContent);

        await t.App.SendAsync(HttpMethod.Put, $"/v1/sessions/{id}/state", new { openScreens = new[] { "tenancy/42" } }, HttpStatusCode.NoContent);
        await t.App.SendAsync(HttpMethod.Put, $"/v1/sessions/{id}/state", new { openScreens = new[] { "tenancy/43", "rent" } }, HttpStatusCode.NoContent);

        var state = await t.App.GetJsonAsync($"/v1/sessions/{id}/state");
        state.GetProperty("openScreens").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task State_IsBounded_AndMustBeJson_AndCannotBeSavedOnAnEndedSession()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);
        var id = (await t.App.CheckoutAsync(t.LicenseId, "alice")).Str("id");

        var tooBig = await t.App.SendAsync(HttpMethod.Put, $"/v1/sessions/{id}/state", new { blob = new string('x', 70_000) }, HttpStatusCode.BadRequest);
        tooBig.Str("field").ShouldBe("body");
        (await t.App.SendAsync(HttpMethod.Put, $"/v1/sessions/{id}/state", "{not json", HttpStatusCode.BadRequest)).Str("field").ShouldBe("body");
        await t.App.DeleteAsync($"/v1/sessions/{id}", HttpStatusCode.NoContent);

        var gone = await t.App.SendAsync(HttpMethod.Put, $"/v1/sessions/{id}/state", new { late = true }, HttpStatusCode.Gone);
        gone.Str("reason").ShouldBe("released");
        await t.App.GetJsonAsync($"/v1/sessions/{id}/state", HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task State_OfAnotherTenantsSession_IsNotFound()
    {
        using var a = await Host.CreateTenancyAsync(seats: 1);
        using var b = await Host.CreateTenancyAsync(seats: 1);
        var id = (await a.App.CheckoutAsync(a.LicenseId, "alice")).Str("id");

        await b.App.SendAsync(HttpMethod.Put, $"/v1/sessions/{id}/state", new { x = 1 }, HttpStatusCode.NotFound);
        await b.App.GetJsonAsync($"/v1/sessions/{id}/state", HttpStatusCode.NotFound);
    }
}
