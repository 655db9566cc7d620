using Leasehold.Core.Installations;
using Leasehold.Server.Signing;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Signing;

/// <summary>The keys a server publishes for license files, read as anyone would: without a key.</summary>
internal static class PublishedKeys
{
    public static async Task<IReadOnlyList<SigningJwk>> PublishedKeysAsync(this TestHost host)
    {
        using var anonymous = host.Client();
        return SigningJwk.ReadSet((await anonymous.GetJsonAsync(SigningKeysApi.JwksPath)).GetRawText());
    }
}
