using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;

namespace Leasehold.Server.Hosting;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the server believes
/// (<c>LEASEHOLD_TRUSTED_PROXIES</c>: addresses or CIDR networks, comma-separated). From anyone
/// else the headers are ignored: a client could otherwise claim any address, or claim HTTPS.
/// </summary>
internal static class TrustedProxies
{
    public static IReadOnlyList<IPNetwork> Parse(string? text)
    {
        var networks = new List<IPNetwork>();
        foreach (var item in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(item, out var network))
                networks.Add(network);
            else if (IPAddress.TryParse(item, out var address))
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else
                throw new FormatException($"must list IP addresses or networks (10.0.0.0/8), not '{item}'"); // LeaseholdSettings names the setting
        }
        return networks;
    }

    public static void Configure(ForwardedHeadersOptions options, LeaseholdSettings settings)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in settings.TrustedProxies)
        {
            options.KnownIPNetworks.Add(network);
            if (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                options.KnownIPNetworks.Add(new IPNetwork(network.BaseAddress.MapToIPv6(), network.PrefixLength + 96)); // Kestrel may see IPv4 as IPv4-mapped IPv6
        }
        options.ForwardLimit = 1; // the nearest proxy's word only: it is the one that saw the client
    }
}
