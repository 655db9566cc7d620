using System.CommandLine;
using Leasehold.Cli.Output;
using Leasehold.Client;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold sessions list|get|stop|cool-downs|lift-cool-down</c>: who holds seats now, stopping one, and who a stop keeps out.</summary>
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
        var coolDown = new Option<int?>("--cool-down")
        {
            Description = "Minutes the user's sign-ins on the license are refused after the stop (0: none); default: the license policy's stops.coolDownMinutes",
        };
        var stop = new Command("stop", "Stop a session: its seat is free at once and its application is told.") { stopId, coolDown };
        runner.Action(stop, async run =>
        {
            var minutes = run.Value(coolDown);
            var session = await run.CallAsync("Stopping the session", (a, ct) =>
                minutes is { } m ? a.StopSessionAsync(run.Value(stopId), m, ct) : a.StopSessionAsync(run.Value(stopId), ct));
            return run.Show(session, () => run.Out.Say($"Stopped session {session.Id} of {session.User} ({session.Client} on {session.Device}); its seat is free."
                + (session.CoolDownUntil is { } until ? $" {session.User} cannot sign in again on this license until {until:yyyy-MM-dd HH:mm} UTC (leasehold sessions lift-cool-down to let them in)." : "")));
        });

        sessions.Subcommands.Add(list);
        sessions.Subcommands.Add(get);
        sessions.Subcommands.Add(stop);
        AddCoolDowns(runner, sessions);
        return sessions;
    }

    /// <summary><c>sessions cool-downs</c> and <c>sessions lift-cool-down</c>: who is kept out after a stop, and letting them in.</summary>
    private static void AddCoolDowns(CommandRunner runner, Command sessions)
    {
        var license = new Option<string>("--license") { Description = "The license (lic_...)", Required = true };
        var list = new Command("cool-downs", "Users stopped with a cool-down: their sign-ins on the license are refused until it ends.") { license };
        runner.Action(list, async run =>
        {
            var all = await run.CallAsync("Reading cool-downs", (a, ct) => a.ListCoolDownsAsync(run.Value(license), ct));
            return run.Show(all, () =>
            {
                var table = Render.Table("User", "Since", "Until", "Stopped session", "Stopped by");
                foreach (var c in all)
                    table.AddCells(c.User, c.Since, c.Until, c.SessionId, c.StoppedBy);
                run.Out.Write(table);
                run.Out.Say($"{all.Count} user{(all.Count == 1 ? "" : "s")} cooling down.");
            });
        });

        var liftLicense = new Option<string>("--license") { Description = "The license (lic_...)", Required = true };
        var user = new Argument<string>("user") { Description = "The user, as their sessions name them" };
        var lift = new Command("lift-cool-down", "Lift a user's cool-down: they may sign in again at once.") { user, liftLicense };
        runner.Action(lift, async run =>
        {
            await run.CallAsync("Lifting the cool-down", async (a, ct) =>
            {
                await a.LiftCoolDownAsync(run.Value(liftLicense), run.Value(user), ct);
                return true;
            });
            run.Out.Say($"Lifted the cool-down of {run.Value(user)}: they can sign in again now.");
            return ExitCodes.Ok;
        });

        sessions.Subcommands.Add(list);
        sessions.Subcommands.Add(lift);
    }

    private static Spectre.Console.Grid Details(SessionInfo s) => Render.Details(
        ("Id", s.Id), ("Status", s.Status), ("User", s.User), ("Device", s.Device), ("Client", s.Client), ("Seats", s.Seats),
        ("License", s.LicenseId), ("Started", s.StartedAt), ("Last heartbeat", s.LastHeartbeatAt), ("Last activity", s.LastActivityAt),
        ("Expires", s.ExpiresAt), ("Idle at", s.IdleAt), ("Ended", s.EndedAt), ("End reason", s.EndReason), ("Connection", s.Connection),
        ("Borrowed until", s.BorrowedUntil));
}
