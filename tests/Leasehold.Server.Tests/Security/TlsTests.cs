using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Security;

/// <summary>
/// TLS as docs/operations.md sets it up: the real server process with a certificate given by Kestrel's
/// own settings (<c>Kestrel__Certificates__Default__Path</c>/<c>Password</c>) and an https:// address.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    private const string Password = "test-certificate-password";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "leasehold-tls-" + Guid.NewGuid().ToString("N"));
    private X509Certificate2 _certificate = null!;
    private string _pfx = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _pfx = Path.Combine(_dataDirectory, "server.pfx");
        File.WriteAllBytes(_pfx, _certificate.Export(X509ContentType.Pfx, Password));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _certificate.Dispose();
        await TestStore.ReleaseAsync(_dataDirectory);
        TestHost.TryDelete(_dataDirectory);
    }

    [Fact]
    public async Task Server_WithKestrelsCertificateSettings_AnswersHealthAndTheApiOverHttps_AndTheConsoleCookieIsSecure()
    {
        await using var server = await ServerProcess.StartAsync(_dataDirectory, TestHost.OperatorKey, new Dictionary<string, string>
        {
            ["Kestrel__Certificates__Default__Path"] = _pfx,
            ["Kestrel__Certificates__Default__Password"] = Password,
        }, https: true);
        server.BaseAddress.Scheme.ShouldBe("https");

        // Trust exactly this certificate: the connection is TLS with the certificate the test made.
        var presented = new List<string>();
        using var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                presented.Add(certificate?.Thumbprint ?? "");
                return certificate?.Thumbprint == _certificate.Thumbprint;
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using (var health = await http.GetAsync("/healthz"))
            health.StatusCode.ShouldBe(HttpStatusCode.OK, server.Output);
        presented.ShouldContain(_certificate.Thumbprint);

        using (var create = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants") { Content = JsonContent.Create(new { name = "Acme", timeZone = "UTC" }) })
        {
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.OperatorKey);
            using var created = await http.SendAsync(create);
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        // The console's sign-in over https: its cookie is marked Secure (never sent over plain http).
        var cookie = await ConsoleCookie.SignInAsync(http, TestHost.OperatorKey);
        cookie.ShouldContain("secure", Case.Insensitive);
        cookie.ShouldContain("httponly", Case.Insensitive);
    }
}
