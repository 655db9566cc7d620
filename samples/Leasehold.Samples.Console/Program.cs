using Leasehold.Client;

namespace Leasehold.Samples.Console;

/// <summary>
/// A licensed application in miniature: it checks out a seat when the user starts work, shows the
/// home-screen warning, reports activity as the user types, saves which screens are open, and tells
/// the user at once when the session ends (stopped by an admin, taken over, idle, offline too long).
/// Run it beside a server: see samples/README.md.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var settings = SampleSettings.From(args);
        if (settings is null)
        {
            Out.Line(SampleSettings.Usage);
            return 2;
        }

        using var client = new LeaseholdClient(new LeaseholdClientOptions
        {
            ServerUrl = settings.ServerUrl,
            ApiKey = settings.ApiKey,
            LicenseId = settings.LicenseId,
            ClientType = settings.ClientType,
            AlwaysActive = settings.Unattended, // no keyboard to watch: count the running program as activity
        });

        Lease lease;
        try
        {
            lease = await client.CheckoutAsync(new CheckoutRequest
            {
                User = settings.User,
                Device = Environment.MachineName,
                Connection = settings.Connection,
                Email = settings.Email,
            });
        }
        catch (SeatDeniedException denied)
        {
            Out.Line($"Cannot start: {denied.UserMessage}");
            return 3;
        }
        catch (LeaseholdException e)
        {
            Out.Line($"Cannot reach the license server: {e.Message}");
            return 1;
        }

        await using (lease)
        {
            var app = new SampleApp(lease, settings);
            return await app.RunAsync();
        }
    }
}
