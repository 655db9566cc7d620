using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Hosting;

/// <summary>
/// <c>/readyz</c> answers 200 without a key while the database answers (the PostgreSQL project's
/// <c>DatabaseLossTests</c> stops the database and sees 503 <c>store_unavailable</c>, with <c>/healthz</c> still 200).
/// </summary>
public sealed class ReadinessTests : HostedTests
{
    [Fact]
    public async Task Ready_WithoutAKey_ByGetAndHead()
    {
        using var http = Host.Client();

        var ready = await http.GetJsonAsync("/readyz");
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/readyz"));

        ready.Str("status").ShouldBe("ready");
        head.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
