using Leasehold.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Leasehold.Cli.Tests;

/// <summary>A wrong <c>--url</c>: another web server there, or nothing at all. The error says so, not "check the id".</summary>
public sealed class ServerUrlTests
{
    [Fact]
    public async Task AnotherWebServer_IsNamedNotALeaseholdServer_WithoutIdHintsOrItsPage()
    {
        await using var web = await ForeignServer.StartAsync();
        var cli = new CliRun(null!, "") { PassServer = false };

        var html404 = (await cli.RunAsync("sessions", "get", "ses_whatever", "--url", web.Url, "--key", "lh_any")).ShouldFailWith(2);
        var html200 = (await cli.RunAsync("tenants", "list", "--url", web.Url + "spa/", "--key", "lh_any")).ShouldFailWith(2);
        var json404 = (await cli.RunAsync("licenses", "get", "lic_whatever", "--url", web.Url + "api/", "--key", "lh_any", "--json")).ShouldFailWith(2);

        html404.Error.ShouldContain($"{web.Url} is not a Leasehold server (it answered 404 text/html to GET /v1/sessions/ses_whatever).");
        html404.Error.ShouldContain("Check the server URL (--url, LEASEHOLD_URL or the config file)");
        html404.Error.ShouldNotContain("Check the id");
        html404.Error.ShouldNotContain("<html");
        html404.Error.ShouldNotContain("Not Found here");
        html200.Error.ShouldContain($"{web.Url}spa/ is not a Leasehold server (it answered 200 text/html to GET /spa/v1/tenants");
        var error = json404.ErrorJson.GetProperty("error");
        error.GetProperty("exitCode").GetInt32().ShouldBe(2);
        error.GetProperty("message").GetString()!.ShouldBe($"{web.Url}api/ is not a Leasehold server (it answered 404 with JSON that is not a Leasehold problem).");
    }

    [Fact]
    public async Task NothingListening_SaysItCouldNotReachTheServerAtTheUrl()
    {
        var port = TestHost.FreePort();
        var cli = new CliRun(null!, "") { PassServer = false };

        var refused = (await cli.RunAsync("tenants", "list", "--url", $"http://127.0.0.1:{port}", "--key", "lh_any")).ShouldFailWith(6);

        refused.Error.ShouldContain($"Error: Could not reach the server at http://127.0.0.1:{port}/: Connection refused");
        refused.Error.ShouldContain($"Check that the server is running at http://127.0.0.1:{port}/");
    }

    /// <summary>A web server that is not Leasehold: an HTML 404 page, an HTML single-page app under /spa, a JSON API under /api.</summary>
    private sealed class ForeignServer(WebApplication app) : IAsyncDisposable
    {
        public string Url { get; } = app.Urls.First().TrimEnd('/') + "/";

        public static async Task<ForeignServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.Run(async context =>
            {
                var path = context.Request.Path.Value ?? "";
                if (path.StartsWith("/spa/", StringComparison.Ordinal))
                {
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync("<!doctype html><html><body><div id=app></div></body></html>");
                }
                else if (path.StartsWith("/api/", StringComparison.Ordinal))
                {
                    context.Response.StatusCode = 404;
                    await context.Response.WriteAsJsonAsync(new { error = "Not Found", path });
                }
                else
                {
                    context.Response.StatusCode = 404;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync("<html><head><title>404</title></head><body><h1>Not Found here</h1></body></html>");
                }
            });
            await app.StartAsync();
            return new ForeignServer(app);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
