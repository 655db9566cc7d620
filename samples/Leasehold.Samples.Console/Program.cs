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

        var request = new CheckoutRequest
        {
            User = settings.User,
            Device = Environment.MachineName,
            Connection = settings.Connection,
            Email = settings.Email,
        };
        Lease lease;
        try
        {
            lease = settings.WaitMinutes is { } minutes
                ? await WaitForSeatAsync(client, request, TimeSpan.FromMinutes(minutes))
                : await client.CheckoutAsync(request);
        }
        catch (SeatDeniedException denied)
        {
            // Refused at once (no_seat_available, waiting_not_allowed, waiting_line_full, ...), or the wait ended without a seat
            // (denied.WaitEnd: timed_out, offer_lapsed, ...).
            Out.Line($"Cannot start: {denied.UserMessage}");
            return 3;
        }
        catch (OperationCanceledException)
        {
            Out.Line("You left the waiting line.");
            return 5;
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

    /// <summary>
    /// A checkout that waits in line when every seat is taken, saying where the user stands: "You are number 3 in line (about
    /// 9 minutes)". Ctrl+C while waiting leaves the line (the SDK tells the server) and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    private static async Task<Lease> WaitForSeatAsync(LeaseholdClient client, CheckoutRequest request, TimeSpan waitUpTo)
    {
        using var giveUp = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            giveUp.Cancel();
        }
        System.Console.CancelKeyPress += OnCancel;
        try
        {
            // Progress<T> reports on the synchronization context it was made on (a desktop application's UI thread); here, the thread pool.
            var progress = new Progress<QueuePosition>(p => Out.Line(Describe(p)));
            return await client.CheckoutAsync(request, waitUpTo, progress, giveUp.Token);
        }
        finally
        {
            System.Console.CancelKeyPress -= OnCancel;
        }
    }

    /// <summary>"You are number 3 in line (about 9 minutes)", or that a seat is being taken.</summary>
    internal static string Describe(QueuePosition place)
    {
        if (place.IsOffered)
            return "A seat is free for you; signing in.";
        var about = place.EstimatedWait is { } wait && Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes)) is var minutes
            ? $" (about {minutes} {(minutes == 1 ? "minute" : "minutes")})"
            : "";
        return $"You are number {place.Position} in line{about}; waiting until {place.WaitUntil.ToLocalTime():HH:mm:ss}. Ctrl+C leaves the line.";
    }
}
