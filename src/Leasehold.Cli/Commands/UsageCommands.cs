using System.CommandLine;
using System.Globalization;
using Leasehold.Cli.Output;
using Leasehold.Client.Admin;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold usage history|export|peaks|right-size</c>: the usage API (admin or operator key).</summary>
internal static class UsageCommands
{
    public static Command Build(CommandRunner runner)
    {
        var usage = new Command("usage", "Usage history (same filters as the API), CSV export, peaks, right-sizing (admin or operator key).");
        usage.Subcommands.Add(History(runner));
        usage.Subcommands.Add(Export(runner));
        usage.Subcommands.Add(Peaks(runner));
        usage.Subcommands.Add(RightSize(runner));
        return usage;
    }

    private static Command History(CommandRunner runner)
    {
        var filters = new Filters();
        var limit = new Option<int?>("--limit") { Description = "Events per page, 1-1000 (server default 100)" };
        var cursor = new Option<string?>("--cursor") { Description = "Continue after the page that gave this cursor" };
        var all = new Option<bool>("--all") { Description = "Follow every page to the end" };
        var history = new Command("history", "The usage history, oldest first: who was admitted, refused, checked, and how sessions ended.");
        filters.AddTo(history);
        history.Options.Add(limit);
        history.Options.Add(cursor);
        history.Options.Add(all);
        runner.Action(history, async run =>
        {
            var query = filters.Read(run);
            var page = await run.CallAsync("Reading the history", (a, ct) => a.ListUsageEventsAsync(query, run.Value(cursor), run.Value(limit), ct));
            var events = page.Events.ToList();
            while (run.Value(all) && page.NextCursor is { } next)
            {
                page = await run.CallAsync("Reading the history", (a, ct) => a.ListUsageEventsAsync(query, next, run.Value(limit), ct));
                events.AddRange(page.Events);
            }
            return run.Show(new UsageEventPage(events, page.NextCursor), () =>
            {
                var table = Render.Table("At", "Kind", "Code", "User", "Client", "Device", "Seats", "In use", "Actor", "Times");
                foreach (var e in events)
                    table.AddCells(e.At, e.Kind, e.Code, e.User, e.Client, e.Device, e.Seats, e.SeatsInUse is { } n ? $"{n}/{e.SeatLimit}" : null, e.Actor,
                        e.Count > 1 ? $"{e.Count}, last {Render.Cell(e.LastAt)}" : "1");
                run.Out.Write(table);
                run.Out.Say($"{events.Count} event{(events.Count == 1 ? "" : "s")}."
                    + (page.NextCursor is { } more ? $" More: add --cursor {more} (or --all)." : ""));
            });
        });
        return history;
    }

    private static Command Export(CommandRunner runner)
    {
        var filters = new Filters();
        var output = new Option<string?>("--output", "-o") { Description = "Write the CSV to this file (else to standard output)" };
        var export = new Command("export", "The usage history as CSV (same filters), streamed from the server.");
        filters.AddTo(export);
        export.Options.Add(output);
        runner.Action(export, async run =>
        {
            var query = filters.Read(run);
            if (run.Value(output) is not { } path)
            {
                var writer = run.Out.Profile.Out.Writer;
                await using var console = new WriterStream(writer);
                await run.CallAsync("Exporting", async (a, ct) =>
                {
                    await a.ExportUsageCsvAsync(query, console, ct);
                    return 0;
                });
                await writer.FlushAsync();
                return ExitCodes.Ok;
            }
            await using (var file = File.Create(path))
            {
                await run.CallAsync($"Exporting to {path}", async (a, ct) =>
                {
                    await a.ExportUsageCsvAsync(query, file, ct);
                    return 0;
                });
            }
            var rows = File.ReadLines(path).Count() - 1;
            return run.Show(new { file = path, events = rows }, () => run.Out.Say($"Wrote {rows} event{(rows == 1 ? "" : "s")} to {path}."));
        });
        return export;
    }

    private static Command Peaks(CommandRunner runner)
    {
        var license = LicenseOption();
        var (from, to) = Period();
        var bucket = new Option<string?>("--bucket") { Description = "day (default) or hour, in the tenant's calendar" };
        bucket.AcceptOnlyFromAmong("day", "hour");
        var peaks = new Command("peaks", "Peak seats and sessions, utilisation and refusals per day or hour.") { license, from, to, bucket };
        runner.Action(peaks, async run =>
        {
            var report = await run.CallAsync("Computing peaks",
                (a, ct) => a.GetConcurrencyAsync(run.Value(license), run.Value(from), run.Value(to), run.Value(bucket), ct));
            return run.Show(report, () =>
            {
                var table = Render.Table(report.Bucket == "hour" ? "Hour" : "Day", "Peak seats", "Peak sessions", "Average seats", "Utilisation",
                    "Denials", "Failed checks", "Over limit");
                foreach (var b in report.Buckets)
                {
                    table.AddCells(report.Bucket == "hour" ? b.Start.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) : b.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        b.PeakSeats, b.PeakSessions, b.AverageSeats.ToString("0.##", CultureInfo.InvariantCulture), Percent(b.Utilisation),
                        b.Denials, b.FailedChecks, b.OverLimit);
                }
                run.Out.Write(table);
                run.Out.Say($"Peak {report.PeakSeats} of {report.SeatLimit} seats ({report.PeakSessions} sessions), utilisation {Percent(report.Utilisation)}, "
                    + $"{report.Denials} refusal{(report.Denials == 1 ? "" : "s")}; {report.TimeZone} time.");
                if (report.Waits is { } w && (w.Started > 0 || w.Granted > 0 || w.GivenUp > 0))
                    run.Out.Say(WaitsLine(w));
            });
        });
        return peaks;
    }

    private static Command RightSize(CommandRunner runner)
    {
        var license = LicenseOption();
        var (from, to) = Period();
        var maxRefusals = new Option<int?>("--max-refusals") { Description = "Refusals you accept over the period (default 0)" };
        var maxWait = new Option<int?>("--max-wait-minutes") { Description = "The longest wait in the waiting line you accept (0-1440; default: any)" };
        var rightSize = new Command("right-size", "How many seats the license really needs, from its history, and who held seats idle.") { license, from, to, maxRefusals, maxWait };
        runner.Action(rightSize, async run =>
        {
            var r = await run.CallAsync("Replaying the history",
                (a, ct) => a.GetRightSizeAsync(run.Value(license), run.Value(maxRefusals), run.Value(maxWait), run.Value(from), run.Value(to), ct));
            return run.Show(r, () =>
            {
                var verdict = r.RecommendedSeats.CompareTo(r.CurrentSeats) switch
                {
                    < 0 => $"{r.CurrentSeats - r.RecommendedSeats} fewer than now",
                    > 0 => $"{r.RecommendedSeats - r.CurrentSeats} more than now",
                    _ => "as many as now",
                };
                run.Out.Say($"Recommended: {r.RecommendedSeats} seats ({verdict}) for at most {r.MaxRefusals} refusal{(r.MaxRefusals == 1 ? "" : "s")}"
                    + (r.MaxWaitMinutes is { } most ? $" and no wait over {most} minute{(most == 1 ? "" : "s")}." : "."));
                run.Out.Write(Render.Details(("Current seats", r.CurrentSeats), ("Refusals at current", r.RefusalsAtCurrent), ("Peak demand", r.PeakDemand),
                    ("Refusals at recommended", r.RefusalsAtRecommended), ("Assumed session length", $"{r.AssumedSessionMinutes:0.#} min"),
                    ("Period", $"{Render.Time(r.From)} to {Render.Time(r.To)}")));
                if (r.Waits > 0)
                    run.Out.Write(Render.Details(("Waits in the period", r.Waits), ("Longest wait at current", $"{r.LongestWaitMinutesAtCurrent:0.#} min"),
                        ("Longest wait with one more seat", $"{r.LongestWaitMinutesWithOneMore:0.#} min"),
                        ("Longest wait at recommended", $"{r.LongestWaitMinutesAtRecommended:0.#} min")));
                if (r.IdleHolders.Count > 0)
                {
                    var table = Render.Table("Idle holder", "Sessions", "Idle minutes", "Idle seat-minutes", "Longest idle (min)");
                    foreach (var h in r.IdleHolders)
                        table.AddCells(h.User, h.Sessions, h.IdleMinutes, h.IdleSeatMinutes, h.LongestIdleMinutes);
                    run.Out.Write(table);
                }
            });
        });
        return rightSize;
    }

    /// <summary>"3 waits started; 2 granted (median 15.5 min, 95th percentile 20.5 min, longest 20.5 min); 1 gave up (1 timed out)."</summary>
    private static string WaitsLine(WaitsSummary w)
    {
        static string Min(double seconds) => (seconds / 60).ToString("0.#", CultureInfo.InvariantCulture) + " min";
        var granted = w.WaitSeconds is { } d ? $" (median {Min(d.P50)}, 95th percentile {Min(d.P95)}, longest {Min(d.Max)})" : "";
        var how = new[] { (w.Left, "left"), (w.Expired, "expired"), (w.TimedOut, "timed out"), (w.OfferLapsed, "let the offer lapse") }
            .Where(x => x.Item1 > 0).Select(x => $"{x.Item1} {x.Item2}").ToList();
        return $"{w.Started} wait{(w.Started == 1 ? "" : "s")} started; {w.Granted} granted{granted}; {w.GivenUp} gave up"
            + (how.Count > 0 ? $" ({string.Join(", ", how)})." : ".");
    }

    private static string Percent(double ratio) => (ratio * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static Option<string> LicenseOption() => new("--license") { Description = "The license (lic_...)", Required = true };

    private static (Option<string?> From, Option<string?> To) Period() =>
        (new Option<string?>("--from") { Description = "From (inclusive): 2026-03-03T09:00:00Z, or a local 2026-03-03 / 2026-03-03T10:00 in the tenant's zone" },
         new Option<string?>("--to") { Description = "To (exclusive; default now)" });

    /// <summary>The history's filters, the same as the API's.</summary>
    private sealed class Filters
    {
        private readonly Option<string?> _license = new("--license") { Description = "Only this license's events" };
        private readonly Option<string?> _tenant = new("--tenant") { Description = "Only this tenant's events (operator)" };
        private readonly Option<string?> _user = new("--user") { Description = "Only this user's events" };
        private readonly Option<string?> _client = new("--client") { Description = "Only this client type's events" };
        private readonly Option<string?> _kind = new("--kind") { Description = "admitted, denied, checked or ended" };
        private readonly Option<string?> _code = new("--code") { Description = "The outcome or reason: admitted_over_limit, no_seat_available, idle, stopped, ..." };
        private readonly Option<string?> _from;
        private readonly Option<string?> _to;

        public Filters()
        {
            _kind.AcceptOnlyFromAmong("admitted", "denied", "checked", "ended");
            (_from, _to) = Period();
        }

        public void AddTo(Command command)
        {
            foreach (var option in new[] { _license, _tenant, _user, _client, _kind, _code, _from, _to })
                command.Options.Add(option);
        }

        public UsageQuery Read(Invocation run) => new()
        {
            LicenseId = run.Value(_license),
            TenantId = run.Value(_tenant),
            User = run.Value(_user),
            Client = run.Value(_client),
            Kind = run.Value(_kind),
            Code = run.Value(_code),
            From = run.Value(_from),
            To = run.Value(_to),
        };
    }
}
