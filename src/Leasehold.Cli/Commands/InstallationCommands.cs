using System.CommandLine;
using Leasehold.Cli.Output;
using Leasehold.Client.Admin;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold installations register|list|allocate|file</c>: a company license split across servers.</summary>
internal static class InstallationCommands
{
    public static Command Build(CommandRunner runner)
    {
        var installations = new Command("installations", "Installations of a company license: their shares and license files (admin or operator key).");

        var license = new Option<string>("--license") { Description = "The company license (lic_...)", Required = true };
        var name = new Option<string>("--name") { Description = "What the installation is, e.g. 'central server'", Required = true };
        var fingerprint = new Option<string>("--fingerprint") { Description = "The machine it runs on (its host name, say)", Required = true };
        var seats = new Option<int>("--seats") { Description = "Its share: seats it may hand out at once", Required = true };
        var register = new Command("register", "Register an installation with its share (refused when the license cannot give it).") { license, name, fingerprint, seats };
        runner.Action(register, async run =>
        {
            var installation = await run.CallAsync("Registering the installation", (a, ct) =>
                a.RegisterInstallationAsync(run.Value(license), run.Value(name), run.Value(fingerprint), run.Value(seats), ct));
            return run.Show(installation, () =>
            {
                run.Out.Say($"Registered installation {installation.Id} ({installation.Name}) with {installation.Seats} seat(s).");
                run.Out.Say($"Its installation key, shown once (LEASEHOLD_INSTALLATION_KEY on that machine): {installation.InstallationKey}");
            });
        });

        var licenseFilter = new Option<string?>("--license") { Description = "Only this license's installations" };
        var list = new Command("list", "Installations with their share, the seats they may be using now, and their latest file.") { licenseFilter };
        runner.Action(list, async run =>
        {
            var all = await run.CallAsync("Reading installations", (a, ct) => a.ListInstallationsAsync(run.Value(licenseFilter), ct));
            return run.Show(all, () =>
            {
                var table = Render.Table("Id", "Name", "Seats", "In force", "Latest file", "Usable until", "Last contact");
                foreach (var i in all)
                    table.AddCells(i.Id, i.Name, i.Seats, i.SeatsInForce, i.LatestSerial, i.FileUsableUntil, i.LastContactAt);
                run.Out.Write(table);
            });
        });

        var id = new Argument<string>("id") { Description = "The installation's id (ins_...)" };
        var newSeats = new Option<int>("--seats") { Description = "Its new share", Required = true };
        var allocate = new Command("allocate", "Change an installation's share: lower always; higher within what the license has free.") { id, newSeats };
        runner.Action(allocate, async run =>
        {
            var installation = await run.CallAsync("Changing the share", (a, ct) => a.AllocateInstallationAsync(run.Value(id), run.Value(newSeats), ct));
            return run.Show(installation, () => run.Out.Say(
                $"Installation {installation.Id} has {installation.Seats} seat(s) from its next file; it may be using {installation.SeatsInForce} until then."));
        });

        var fileId = new Argument<string>("id") { Description = "The installation's id (ins_...)" };
        var output = new Option<string>("--out") { Description = "Write the license file here", Required = true };
        var file = new Command("file", "Sign the installation's next license file and write it (for --license-file on that machine).") { fileId, output };
        runner.Action(file, async run =>
        {
            var issued = await run.CallAsync("Signing the license file", (a, ct) => a.IssueLicenseFileAsync(run.Value(fileId), ct));
            await File.WriteAllTextAsync(run.Value(output), issued.LicenseFile, run.Ct);
            return run.Show(issued, () => run.Out.Say(
                $"Wrote license file {issued.Serial} ({issued.Seats} seat(s), refresh by {Render.Time(issued.RefreshBy)}) to {run.Value(output)}."));
        });

        var keyId = new Argument<string>("id") { Description = "The installation's id (ins_...)" };
        var key = new Command("key", "Make the installation a new installation key (shown once) and revoke its old ones.") { keyId };
        runner.Action(key, async run =>
        {
            var installation = await run.CallAsync("Making a new installation key", (a, ct) => a.ReplaceInstallationKeyAsync(run.Value(keyId), ct));
            return run.Show(installation, () => run.Out.Say($"New installation key for {installation.Id}, shown once: {installation.InstallationKey}"));
        });

        installations.Subcommands.Add(register);
        installations.Subcommands.Add(list);
        installations.Subcommands.Add(allocate);
        installations.Subcommands.Add(file);
        installations.Subcommands.Add(key);
        return installations;
    }

    /// <summary><c>leasehold installation show|update</c>: on an installation-mode server, its own license file and the Update button.</summary>
    public static Command BuildInstallationMode(CommandRunner runner)
    {
        var installation = new Command("installation", "On an installation-mode server: the license file it runs on, and Update (admin or operator key).");

        var show = new Command("show", "The file this installation runs on, its end and refresh-by dates, and when it renews by itself.");
        runner.Action(show, async run =>
        {
            var status = await run.CallAsync("Reading the installation", (a, ct) => a.GetInstallationStatusAsync(ct));
            return run.Show(status, () =>
            {
                var file = status.File;
                run.Out.Say($"Installation {status.InstallationId} of license {status.LicenseId} ({status.Product}): {file.Seats} seat(s), file serial {file.Serial}.");
                run.Out.Say($"Ends {Ends(file)}; refresh by {Render.Time(file.RefreshBy)}; usable until {Render.Time(file.UsableUntil)}.");
                run.Out.Say(status.NextAttemptAt is { } next
                    ? $"Renews by itself from {Render.Time(status.RenewFrom)}; next attempt {Render.Time(next)}."
                    : status.Issuer is null ? "No issuer is set: it renews only with a new file and a restart." : "It renews only with `leasehold installation update`.");
                if (status.LastAttempt is { } last)
                    run.Out.Say($"Last attempt {Render.Time(last.At)} ({(last.Automatic ? "by itself" : "by hand")}): {last.Code ?? "ok"}: {last.Message}");
                if (status.ClockMovedBack)
                    run.Out.Say($"The clock reads before {Render.Time(status.LatestSeen)}, the latest time this installation has seen: it serves nothing until the clock is set right.");
            });
        });

        var update = new Command("update", "Fetch a new license file from the issuer now and take it (the Update button).");
        runner.Action(update, async run =>
        {
            var updated = await run.CallAsync("Updating the license file", (a, ct) => a.UpdateInstallationAsync(ct));
            return run.Show(updated, () => run.Out.Say(updated.Changed.Count == 0
                ? $"Took file serial {updated.After.Serial}: nothing changed (seats {updated.After.Seats}, usable until {Render.Time(updated.After.UsableUntil)})."
                : $"Took file serial {updated.After.Serial}: changed {string.Join(", ", updated.Changed)}; seats {updated.Before.Seats} -> {updated.After.Seats}, "
                  + $"ends {Ends(updated.Before)} -> {Ends(updated.After)}."));
        });

        installation.Subcommands.Add(show);
        installation.Subcommands.Add(update);
        return installation;
    }

    private static string Ends(LicenseFileSummary file) => file.EndsAt is { } ends ? Render.Time(ends) : "never";
}
