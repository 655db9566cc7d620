using System.CommandLine;
using Leasehold.Cli.Output;
using Leasehold.Client;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold sessions list|get|stop</c>: who holds seats now, and stopping one.</summary>
internal static class SessionCommands
{
    public static Command Build(CommandRunner runner)
    {
        var sessions = new Command("sessions", "Who holds seats now; stop a session (admin or operator key).");

        var license = new Option<string?>("--license") { Description = "Only this license's sessions" };
        var list = new Command("list", "A table of who holds seats now, oldest first.") { license };
        runner.Action(list, async run =>
        {
            var all = await run.CallAsync("Reading sessions", (a, ct) => a.ListSessionsAsync(run.Value(license), ct));
            return run.Show(all, () =>
            {
                var table = Render.Table("User", "Client", "Device", "Seats", "Since", "Last activity", "Expires", "Borrowed until", "Session");
                foreach (var s in all)
                    table.AddCells(s.User, s.Client, s.Device, s.Seats, s.StartedAt, s.LastActivityAt, s.ExpiresAt, s.BorrowedUntil, s.Id);
                run.Out.Write(table);
                var borrowed = all.Count(s => s.BorrowedUntil is not null);
                run.Out.Say($"{all.Count} session{(all.Count == 1 ? "" : "s")} holding {all.Sum(s => s.Seats)} seat{(all.Sum(s => s.Seats) == 1 ? "" : "s")}"
                    + (borrowed > 0 ? $", {borrowed} borrowed." : "."));
            });
        });

        var id = new Argument<string>("id") { Description = "The session's id (ses_...)" };
        var get = new Command("get", "Show one session.") { id };
        runner.Action(get, async run =>
        {
            var session = await run.CallAsync("Reading the session", (a, ct) => a.GetSessionAsync(run.Value(id), ct));
            return run.Show(session, () => run.Out.Write(Details(session)));
        });

        var stopId = new Argument<string>("id") { Description = "The session's id (ses_...)" };
        var stop = new Command("stop", "Stop a session: its seat is free at once and its application is told.") { stopId };
        runner.Action(stop, async run =>
        {
            var session = await run.CallAsync("Stopping the session", (a, ct) => a.StopSessionAsync(run.Value(stopId), ct));
            return run.Show(session, () => run.Out.Say($"Stopped session {session.Id} of {session.User} ({session.Client} on {session.Device}); its seat is free."));
        });

        sessions.Subcommands.Add(list);
        sessions.Subcommands.Add(get);
        sessions.Subcommands.Add(stop);
        return sessions;
    }

    private static Spectre.Console.Grid Details(SessionInfo s) => Render.Details(
        ("Id", s.Id), ("Status", s.Status), ("User", s.User), ("Device", s.Device), ("Client", s.Client), ("Seats", s.Seats),
        ("License", s.LicenseId), ("Started", s.StartedAt), ("Last heartbeat", s.LastHeartbeatAt), ("Last activity", s.LastActivityAt),
        ("Expires", s.ExpiresAt), ("Idle at", s.IdleAt), ("Ended", s.EndedAt), ("End reason", s.EndReason), ("Connection", s.Connection),
        ("Borrowed until", s.BorrowedUntil));
}
