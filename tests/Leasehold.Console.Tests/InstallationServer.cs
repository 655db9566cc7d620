using System.Net;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Console.Tests;

/// <summary>
/// A second real server in installation mode (docs/installations.md) on a share of a customer's
/// license at the test's server, its issuer: registered, its first file issued, the issuer's keys
/// pinned, and able to Update from the issuer. Its operator key is the test's.
/// </summary>
internal static class InstallationServer
{
    public static async Task<ServerProcess> StartAsync(ServerProcess issuer, HttpClient vendor, Customer customer, int seats, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        var installation = await vendor.PostAsync("/v1/installations",
            new { licenseId = customer.LicenseId, name = "central", fingerprint = "office-server", seats }, HttpStatusCode.Created);
        var file = (await vendor.PostAsync($"/v1/installations/{installation.Str("id")}/license-file", null, HttpStatusCode.OK)).Str("licenseFile");
        var licenseFile = Path.Combine(workDirectory, "central.lic");
        var keys = Path.Combine(workDirectory, "issuer-keys.json");
        await File.WriteAllTextAsync(licenseFile, file);
        await File.WriteAllTextAsync(keys, (await vendor.GetJsonAsync("/.well-known/jwks.json")).GetRawText());
        return await ServerProcess.StartAsync(Path.Combine(workDirectory, "data"), TestHost.OperatorKey, new Dictionary<string, string>
        {
            ["LEASEHOLD_LICENSE_FILE"] = licenseFile,
            ["LEASEHOLD_ISSUER_KEYS"] = keys,
            ["LEASEHOLD_ISSUER"] = issuer.BaseAddress.ToString(),
            ["LEASEHOLD_INSTALLATION_KEY"] = installation.Str("installationKey"),
        });
    }
}
