using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Leasehold.Server.Hosting;

/// <summary>
/// What is checked before the server starts, so that a start that cannot succeed writes nothing (no
/// data directory, no key, no database): the settings, then the addresses to listen on. The hosted
/// services (the store's migrations, the first operator key) run before Kestrel binds, so a busy port
/// would otherwise be found only after they wrote.
/// </summary>
internal static class StartChecks
{
    /// <summary>Throws <see cref="StartRefusedException"/>-like errors (<see cref="LeaseholdSettingException"/>, <see cref="ListenAddressException"/>) naming the setting.</summary>
    public static void Run(WebApplication app)
    {
        try
        {
            _ = app.Services.GetRequiredService<IOptions<LeaseholdOptions>>().Value; // validated here (LeaseholdOptionsValidator)
        }
        catch (OptionsValidationException invalid)
        {
            throw new LeaseholdSettingException(string.Join(" ", invalid.Failures));
        }
        foreach (var (url, setting) in ListenAddresses(app.Configuration))
            Probe(url, setting);
    }

    /// <summary>A failed bind of Kestrel's own (a port taken between the probe and the bind): its message with the setting's name.</summary>
    public static string Describe(IOException bindFailure) =>
        $"{bindFailure.Message.TrimEnd('.')} (the listen addresses: --urls, ASPNETCORE_URLS or Kestrel:Endpoints).";

    /// <summary>The addresses Kestrel will listen on, as it chooses them: its endpoints, else urls, else the ports, else its default.</summary>
    private static IEnumerable<(string Url, string Setting)> ListenAddresses(IConfiguration config)
    {
        var endpoints = config.GetSection("Kestrel:Endpoints").GetChildren()
            .Where(e => !string.IsNullOrWhiteSpace(e["Url"])).Select(e => (e["Url"]!, $"Kestrel:Endpoints:{e.Key}:Url")).ToList();
        if (endpoints.Count > 0)
            return endpoints;
        if (config["urls"] is { } urls && !string.IsNullOrWhiteSpace(urls))
            return Split(urls).Select(u => (u, "--urls (ASPNETCORE_URLS)"));
        var ports = Split(config["http_ports"]).Select(p => ($"http://*:{p}", "ASPNETCORE_HTTP_PORTS"))
            .Concat(Split(config["https_ports"]).Select(p => ($"https://*:{p}", "ASPNETCORE_HTTPS_PORTS"))).ToList();
        return ports.Count > 0 ? ports : [("http://localhost:5000", "the default address (set one with --urls or ASPNETCORE_URLS)")];
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void Probe(string url, string setting)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return; // Kestrel says what is wrong with it
        }
        if (address.IsNamedPipe || address.IsUnixPipe || address.Port == 0)
            return;
        IPAddress[] hosts = address.Host switch
        {
            "localhost" => Socket.OSSupportsIPv6 ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : [IPAddress.Loopback],
            var host when IPAddress.TryParse(host.Trim('[', ']'), out var ip) => [ip],
            _ => [Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any], // *, + or a name: Kestrel listens on every interface
        };
        foreach (var host in hosts)
        {
            try
            {
                using var socket = new Socket(host.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                if (host.Equals(IPAddress.IPv6Any))
                    socket.DualMode = true;
                socket.Bind(new IPEndPoint(host, address.Port));
                socket.Listen();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new ListenAddressException($"{setting}: {url} is already in use (another process listens on port {address.Port}).");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
            {
                throw new ListenAddressException($"{setting}: {url} may not be listened on by this user (ports below 1024 need a privilege).");
            }
            catch (SocketException)
            {
                // Not this machine's address, no IPv6 after all...: Kestrel decides, and says why.
            }
        }
    }
}

/// <summary>An address the server cannot listen on; the message names the setting it came from.</summary>
internal sealed class ListenAddressException(string message) : Exception(message);
