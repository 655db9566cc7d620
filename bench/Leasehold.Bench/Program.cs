using System.Net;
using System.Net.Sockets;
using Leasehold.Bench;

// The load generator of bench/run.sh (see docs/benchmarks.md). One subcommand per part, each
// against a server that run.sh started: it writes PART.json (figures) and PART.md (report) to --out.
if (args.Length == 0)
{
    await Console.Error.WriteLineAsync("usage: Leasehold.Bench free-port | throughput | memory | reaper-create | reaper-measure | usage-events | installation-issue | installation | console-setup | console-seed | console | nodes | waits | heartbeats | metrics | wrk | wrk-report | report [--options]");
    return 2;
}

var options = Options.Parse(args[1..]);
switch (args[0])
{
    case "free-port":
        // A port the kernel says is free now (run.sh starts the server on it right after).
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Console.WriteLine(((IPEndPoint)listener.LocalEndpoint).Port);
        }
        return 0;
    case "throughput":
        await ThroughputBench.RunAsync(options);
        return 0;
    case "memory":
        await MemoryBench.RunAsync(options);
        return 0;
    case "reaper-create":
        await ReaperBench.CreateAsync(options);
        return 0;
    case "reaper-measure":
        await ReaperBench.MeasureAsync(options);
        return 0;
    case "usage-events":
        await UsageEventsBench.RunAsync(options);
        return 0;
    case "installation-issue":
        await InstallationBench.IssueAsync(options);
        return 0;
    case "installation":
        await InstallationBench.RunAsync(options);
        return 0;
    case "console-setup":
        await ConsoleSeed.SetupAsync(options);
        return 0;
    case "console-seed":
        await ConsoleSeed.SeedAsync(options);
        return 0;
    case "console":
        await ConsoleBench.RunAsync(options);
        return 0;
    case "metrics":
        await MetricsBench.RunAsync(options);
        return 0;
    case "nodes":
        await NodesBench.RunAsync(options);
        return 0;
    case "waits":
        await WaitsBench.RunAsync(options);
        return 0;
    case "heartbeats":
        await HeartbeatBatchBench.RunAsync(options);
        return 0;
    case "wrk":
        await WrkBench.RunAsync(options);
        return 0;
    case "wrk-report":
        WrkBench.Report(options);
        return 0;
    case "report":
        Report.Run(options);
        return 0;
    default:
        await Console.Error.WriteLineAsync($"Unknown subcommand '{args[0]}'.");
        return 2;
}
