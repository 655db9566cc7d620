using System.Text;

namespace Leasehold.Bench;

/// <summary>
/// Turns the parts' figures into one dated row of the results table of docs/benchmarks.md and
/// appends the run's full report at the end of that file.
/// </summary>
internal static class Report
{
    public const string RowMarker = "<!-- bench/run.sh adds each run's row above this line -->";
    private const double Gib = 1024.0 * 1024 * 1024;

    private sealed record Target(string Name, string Result, bool? Met, string Margin);

    public static void Run(Options options)
    {
        var directory = options.Get("out");
        var doc = options.Get("doc");
        var figures = Results.LoadFigures(directory);
        double F(string name) => figures.GetValueOrDefault(name, double.NaN);
        var date = options.Get("date");
        var commit = options.Get("commit");
        var machine = options.Get("machine");
        var durability = options.Get("durability");
        var mode = options.Get("mode");
        var quick = mode != "full";

        var baseline = F("noop.rps");
        var targets = new List<Target>
        {
            AtLeast("checkout+release throughput >= 40% of baseline", F("cycle.ratio"), 0.40,
                $"{Format.N0(F("cycle.rps"))} req/s = {Format.Ratio(F("cycle.ratio"))}"),
            AtLeast("heartbeat throughput >= 60% of baseline", F("heartbeat.ratio"), 0.60,
                $"{Format.N0(F("heartbeat.rps"))} req/s = {Format.Ratio(F("heartbeat.ratio"))}"),
            Below("checkout p99 < 10 ms at half of max checkout+release throughput", F("open.checkout.p99"), 10,
                $"p99 {Format.Ms(F("open.checkout.p99"))} ms at {Format.N0(F("open.rate"))} req/s", "ms"),
        };

        // Memory: the last stage is the big one (1,000,000 in a full run).
        var stages = (int)F("mem.stages");
        var memCells = new List<string>();
        for (var i = 0; i < stages; i++)
            memCells.Add($"{Format.Count((long)F($"mem.s{i}.sessions"))}: {Format.MiB(F($"mem.s{i}.rss"))}");
        var last = $"mem.s{stages - 1}";
        var lastSessions = (long)F(last + ".sessions");
        var rssTarget = Below("1,000,000 live sessions < 1 GiB RSS", F(last + ".rss") / Gib, 1,
            $"{Format.MiB(F(last + ".rss"))} with {lastSessions:N0} live", "GiB");
        targets.Add(lastSessions == 1_000_000 ? rssTarget : rssTarget with { Met = null, Margin = "fewer sessions than the target names (quick run)" });

        var reaperSessions = (long)F("reaper.created");
        var reaperTarget = Below("ending 100,000 expired sessions < 1 s server CPU", F("reaper.cpu"), 1,
            $"{Format.F(F("reaper.cpu"), 2)} s CPU for {reaperSessions:N0}", "s");
        targets.Add(reaperSessions >= 100_000 ? reaperTarget : reaperTarget with { Met = null, Margin = "fewer sessions than the target names (quick run)" });

        // Issue 18's second round (docs/benchmarks.md, "Targets"), judged in the report beside the first round's.
        var second = new List<Target>
        {
            AtLeast("checkout+release throughput >= 0.55x baseline", F("cycle.ratio"), 0.55, targets[0].Result),
            AtLeast("heartbeat throughput >= 0.75x baseline", F("heartbeat.ratio"), 0.75, targets[1].Result),
            AtLeast("check throughput >= 0.8x baseline", F("check.ratio"), 0.80,
                $"{Format.N0(F("check.rps"))} req/s = {Format.Ratio(F("check.ratio"))}"),
            lastSessions == 1_000_000
                ? Below("1,000,000 live sessions < 512 MiB RSS", F(last + ".rss") / (1024.0 * 1024), 512, rssTarget.Result, "MiB")
                : new Target("1,000,000 live sessions < 512 MiB RSS", rssTarget.Result, null, "fewer sessions than the target names (quick run)"),
            reaperSessions >= 100_000
                ? Below("ending 100,000 expired sessions < 0.5 s server CPU", F("reaper.cpu"), 0.5, reaperTarget.Result, "s")
                : new Target("ending 100,000 expired sessions < 0.5 s server CPU", reaperTarget.Result, null, "fewer sessions than the target names (quick run)"),
        };

        var errors = F("throughput.errors") + Enumerable.Range(0, stages).Sum(i => F($"mem.s{i}.errors")) + F("reaper.create_errors")
            + (double.IsNaN(F("installation.errors")) ? 0 : F("installation.errors"))
            + (double.IsNaN(F("console.errors")) ? 0 : F("console.errors"));

        static string Judged(bool? met) => met switch { true => "met", false => "**missed**", null => "not judged" };
        string Verdict(int i) => Judged(targets[i].Met);
        var row = string.Join(" | ",
            date,
            commit,
            machine,
            durability,
            quick ? "quick (smoke)" : "full",
            $"{Format.N0(baseline)} req/s",
            $"{targets[0].Result}, {Verdict(0)}",
            $"{targets[1].Result}, {Verdict(1)}",
            $"{Format.N0(F("check.rps"))} req/s = {Format.Ratio(F("check.ratio"))}",
            $"{Format.N0(F("mixed.rps"))} req/s = {Format.Ratio(F("mixed.ratio"))}",
            $"{Format.Ms(F("open.checkout.p99"))} ms at {Format.N0(F("open.rate"))} req/s, {Verdict(2)}",
            $"{string.Join("; ", memCells)}, {Verdict(3)}",
            $"{Format.Seconds(F(last + ".seconds"))} for {Format.Count(lastSessions)} ({Format.N0(lastSessions / F(last + ".seconds"))}/s)",
            $"{Format.F(F("reaper.cpu"), 2)} s for {Format.Count(reaperSessions)}, {Verdict(4)}",
            Format.N0(errors),
            ConsoleCell(F),
            AllocationCell(F));
        row = $"| {row} |";

        var report = new StringBuilder();
        report.AppendLine($"### {date}, {commit}, {(quick ? "quick (smoke) run" : "full run")}, durability {durability}");
        report.AppendLine();
        report.AppendLine($"Machine: {machine}. {options.Find("notes") ?? ""}".TrimEnd());
        report.AppendLine();
        report.AppendLine("| target | result | verdict |");
        report.AppendLine("|---|---|---|");
        for (var i = 0; i < targets.Count; i++)
            report.AppendLine($"| {targets[i].Name} | {targets[i].Result}{(i < 2 ? " baseline" : "")} | {Verdict(i)}{(targets[i].Margin.Length > 0 ? ": " + targets[i].Margin : "")} |");
        report.AppendLine();
        report.AppendLine("The second round's targets (issue 18), on the same figures:");
        report.AppendLine();
        report.AppendLine("| target | result | verdict |");
        report.AppendLine("|---|---|---|");
        foreach (var target in second)
            report.AppendLine($"| {target.Name} | {target.Result} | {Judged(target.Met)}{(target.Margin.Length > 0 ? ": " + target.Margin : "")} |");
        report.AppendLine();
        var other = F("throughput.other_cores");
        if (other > 0.2)
        {
            report.AppendLine($"Other processes on the machine used up to {Format.F(other, 2)} cores during a mix (see the CPU table): " +
                "the throughput and latency figures of this run are disturbed by them.");
            report.AppendLine();
        }
        foreach (var (part, title) in new[] { ("1-throughput", "Throughput and latency"), ("2-memory", "Memory"), ("3-reaper", "Reaper"), ("4-usage-events", "Usage events"), ("5-installation", "Installation mode"), ("6-console", "Console pages") })
        {
            var path = Path.Combine(directory, part + ".md");
            if (!File.Exists(path))
                continue;
            report.AppendLine($"#### {title}");
            report.AppendLine();
            report.AppendLine(File.ReadAllText(path).TrimEnd());
            report.AppendLine();
        }

        var text = File.ReadAllText(doc);
        var marker = text.IndexOf(RowMarker, StringComparison.Ordinal);
        if (marker < 0)
            throw new InvalidOperationException($"{doc} has no line '{RowMarker}': cannot add the row.");
        text = text[..marker] + row + "\n" + text[marker..];
        text = text.TrimEnd() + "\n\n" + report.ToString().TrimEnd() + "\n";
        File.WriteAllText(doc, text);
        Console.WriteLine();
        Console.WriteLine($"Added to {doc}:");
        Console.WriteLine(row);
        Console.WriteLine();
        foreach (var (target, i) in targets.Select((t, i) => (t, i)))
            Console.WriteLine($"  {target.Name}: {target.Result}{(i < 2 ? " baseline" : "")}: {Verdict(i)}{(target.Margin.Length > 0 ? " (" + target.Margin + ")" : "")}");
    }

    /// <summary>
    /// Server bytes allocated per request, baseline / checkout+release / heartbeats / checks / mixed, in KiB (the
    /// run's report has them with the CPU per request): a rise shows here before it shows in speed.
    /// </summary>
    private static string AllocationCell(Func<string, double> f)
    {
        var mixes = new[] { "noop", "cycle", "heartbeat", "check", "mixed" }.Select(m => f(m + ".alloc")).ToArray();
        if (mixes.All(double.IsNaN))
            return "not measured";
        return string.Join(" / ", mixes.Select(b => double.IsNaN(b) ? "n/a" : Format.F(b / 1024, 1))) + " KiB";
    }

    /// <summary>The console part in one cell: its slowest page's p95 (the full table is in the run's report).</summary>
    private static string ConsoleCell(Func<string, double> f)
    {
        if (double.IsNaN(f("console.pages")))
            return "not run";
        var missing = f("console.missing") > 0 ? $", {Format.N0(f("console.missing"))} pages n/a" : "";
        return $"p95 max {Format.Ms(f("console.p95.max"))} ms = {Format.N0(f("console.p95.max") / f("console.baseline.p50"))}x healthz p50 " +
            $"({Format.N0(f("console.pages"))} pages; {Format.Count((long)f("console.live"))} live, {Format.N0(f("console.days"))} days{missing})";
    }

    private static Target AtLeast(string name, double value, double goal, string result) => double.IsNaN(value)
        ? new(name, result, null, "not measured")
        : new(name, result, value >= goal, value >= goal
            ? $"{Format.Ratio(value - goal)} to spare"
            : $"short by {Format.Ratio(goal - value)} ({Format.N0((goal / value - 1) * 100)}% more throughput needed)");

    private static Target Below(string name, double value, double limit, string result, string unit) => double.IsNaN(value)
        ? new(name, result, null, "not measured")
        : new(name, result, value < limit, value < limit
            ? $"{Format.N0((1 - (value / limit)) * 100)}% under the limit"
            : $"over by {Format.F(value - limit, 2)} {unit} ({Format.F(value / limit, 1)}x the limit)");
}
