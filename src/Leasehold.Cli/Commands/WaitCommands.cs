using System.CommandLine;
using Leasehold.Cli.Output;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold waits list|remove</c>: who waits for a seat (docs/waiting-line.md), and taking someone out of the line.</summary>
internal static class WaitCommands
{
    public static Command Build(CommandRunner runner)
    {
        var waits = new Command("waits", "Who waits for a seat; remove someone from a waiting line (admin or operator key).");

        var license = new Option<string?>("--license") { Description = "Only this license's line" };
        var list = new Command("list", "A table of who waits for a seat, first come first: place in line, user, how long they have waited, a seat held for them.") { license };
        runner.Action(list, async run =>
        {
            var all = await run.CallAsync("Reading the waiting lines", (a, ct) => a.ListWaitsAsync(run.Value(license), ct));
            return run.Show(all, () =>
            {
                if (all.Count == 0)
                {
                    run.Out.Say("Nobody is waiting.");
                    return;
                }
                var now = run.Clock.GetUtcNow();
                var table = Render.Table("#", "User", "Device", "Client", "Waiting for", "Status", "Offer until", "License", "Wait");
                foreach (var w in all)
                    table.AddCells(w.Position, w.User, w.Device, w.Client, Render.Span(now - w.JoinedAt), w.Status, w.OfferExpiresAt, w.LicenseId, w.Id);
                run.Out.Write(table);
                var offered = all.Count(w => w.Status == "offered");
                run.Out.Say($"{all.Count} waiting for a seat" + (offered > 0 ? $", {offered} with a seat held for them." : "."));
            });
        });

        var id = new Argument<string>("id") { Description = "The entry's id (wait_...), as `waits list` shows it" };
        var remove = new Command("remove", "Take someone out of a waiting line: a seat held for them passes to the next in line; recorded in the audit trail.") { id };
        runner.Action(remove, async run =>
        {
            var entry = await run.CallAsync("Removing from the line", async (a, ct) =>
            {
                await a.RemoveWaitAsync(run.Value(id), ct); // one that had ended otherwise: 410 wait_ended, told by ErrorReport
                return await a.GetWaitAsync(run.Value(id), ct);
            });
            return run.Show(entry, () => run.Out.Say(
                $"Removed {entry.User} ({entry.Client} on {entry.Device}) from the waiting line of {entry.LicenseId}; "
                + "their application is told, and a seat held for them passes to the next in line."));
        });

        waits.Subcommands.Add(list);
        waits.Subcommands.Add(remove);
        return waits;
    }
}
