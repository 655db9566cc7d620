using Leasehold.Client;

namespace Leasehold.Samples.Console;

/// <summary>The "application": a home screen, a command prompt, and what it does when the session ends.</summary>
internal sealed class SampleApp(Lease lease, SampleSettings settings)
{
    private readonly List<string> _openScreens = [];

    public async Task<int> RunAsync()
    {
        lease.WarningsChanged += (_, e) => ShowWarnings(e.Warnings);
        lease.ConnectivityChanged += (_, e) => Out.Line(e.Online
            ? "[license server reachable again]"
            : $"[license server unreachable; working offline until {e.GraceEndsAt:HH:mm:ss}]");
        // Raised before lease.Ended completes and before lease.EndedToken is cancelled (docs/sdk.md, "The order of an end"):
        // this line comes first, then what RunAsync says once Ended completed.
        lease.SessionEnded += (_, e) => Out.Line($"*** Your session has ended ({e.End.Code}): {e.End.Message}");

        ShowHomeScreen();
        using var quit = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // sign off properly instead of dying
            quit.Cancel();
        };

        var work = settings.Unattended ? WaitAsync(quit.Token) : PromptAsync(quit.Token);
        await Task.WhenAny(work, lease.Ended);
        if (lease.End is { } end)
        {
            Out.Line(end.Reason == LeaseEndReason.TakenOver
                ? "Another user took over this connection; your open screens went with the session."
                : "Please save your work elsewhere and start again.");
            return 4;
        }
        Out.Line("Signing off.");
        return 0;
    }

    private void ShowHomeScreen()
    {
        var s = lease.Session;
        Out.Line($"Signed in as {s.User} ({s.Client}), session {s.Id}; {s.SeatsInUse} of {s.SeatLimit} seats in use.");
        Out.Line($"Heartbeat every {s.HeartbeatIntervalSeconds} s; the session lives until you quit.");
        if (lease.TookOver is { } took)
            Out.Line($"You took over the session of {took.User}; its open screens: {lease.HandedOnState?.GetRawText() ?? "(none saved)"}");
        ShowWarnings(lease.Warnings);
    }

    private static void ShowWarnings(IReadOnlyList<LeaseWarning> warnings)
    {
        foreach (var warning in warnings)
            Out.Line($"!!! {warning.Message} [{warning.Code}]");
    }

    private static async Task WaitAsync(CancellationToken quit)
    {
        Out.Line("Running unattended; press Ctrl+C to sign off.");
        try
        {
            await Task.Delay(Timeout.Infinite, quit);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Commands: <c>open SCREEN</c> opens a screen (saved as the session's state), <c>quit</c> signs off; any input counts as activity.</summary>
    private async Task PromptAsync(CancellationToken quit)
    {
        Out.Line("Type 'open SCREEN' to open a screen, 'quit' to sign off.");
        while (!quit.IsCancellationRequested && lease.IsActive)
        {
            var line = await Task.Run(System.Console.ReadLine, quit).WaitAsync(lease.EndedToken).ConfigureAwait(false);
            if (line is null or "quit")
                return;
            lease.ReportActivity();
            if (line.StartsWith("open ", StringComparison.Ordinal))
            {
                _openScreens.Add(line[5..].Trim());
                try
                {
                    await lease.SaveStateAsync(new { openScreens = _openScreens }, quit);
                    Out.Line($"Open: {string.Join(", ", _openScreens)}");
                }
                catch (LeaseholdException e) when (e is not SessionEndedException)
                {
                    Out.Line($"Could not save the open screens ({e.Code}); they stay open here.");
                }
            }
        }
    }
}
