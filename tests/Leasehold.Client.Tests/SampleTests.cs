using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Leasehold.Client.Tests.Support;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Client.Tests;

/// <summary>The sample console application (samples/), run as its own process beside a real server.</summary>
public sealed class SampleTests
{
    [Fact]
    public async Task Sample_ShowsTheHomeScreenWarning_AndTellsTheUserWhenAnAdminStopsIt()
    {
        await using var host = await TestHost.StartAsync();
        var policy = new { limit = new { mode = "soft", warningMessage = "More users than licenses: ask your administrator." } };
        var t = await ClientFixture.TenancyAsync(host, seats: 1, policy);
        using var app = host.Client(t.AppKey);
        await app.CheckoutAsync(t.LicenseId, "someone-else"); // the one seat is taken: the sample gets in over the soft limit

        await using var sample = SampleProcess.Start(host, t.AppKey, "--license", t.LicenseId, "--user", "alice", "--unattended");
        await sample.WaitForLineAsync("Running unattended");
        sample.Output.ShouldContain(l => l.StartsWith("Signed in as alice (desktop)", StringComparison.Ordinal));
        sample.Output.ShouldContain("!!! More users than licenses: ask your administrator. [over_limit]");

        using var admin = host.Client(t.AdminKey);
        var holders = (await admin.GetJsonAsync($"/v1/sessions?licenseId={t.LicenseId}")).GetProperty("items");
        var id = holders.EnumerateArray().Single(s => s.Str("user") == "alice").Str("id");
        await admin.PostAsync($"/v1/sessions/{id}/stop", null, HttpStatusCode.OK);

        await sample.WaitForLineAsync("*** Your session has ended (stopped): An administrator ended this session.");
        (await sample.ExitCodeAsync()).ShouldBe(4);
        // The SessionEnded handler's line first, then what the program says once Ended completed (docs/sdk.md, "The order of an end").
        var lines = sample.Output.ToList();
        var told = lines.FindIndex(l => l.StartsWith("*** Your session has ended", StringComparison.Ordinal));
        var after = lines.FindIndex(l => l.StartsWith("Please save your work elsewhere", StringComparison.Ordinal));
        after.ShouldBeGreaterThan(told, string.Join("\n", lines));
    }

    [Fact]
    public async Task Sample_WithWait_SaysItsNumberInLine_AndSignsInWhenTheSeatFrees()
    {
        await using var host = await TestHost.StartAsync();
        var policy = new { waitingLine = new { enabled = true } };
        var t = await ClientFixture.TenancyAsync(host, seats: 1, policy);
        using var app = host.Client(t.AppKey);
        var holder = (await app.CheckoutAsync(t.LicenseId, "someone-else")).Str("id");

        await using var sample = SampleProcess.Start(host, t.AppKey, "--license", t.LicenseId, "--user", "alice", "--wait", "10", "--unattended");
        await sample.WaitForLineAsync("You are number 1 in line");
        await app.DeleteAsync($"/v1/sessions/{holder}", HttpStatusCode.NoContent);

        await sample.WaitForLineAsync("Running unattended");
        sample.Output.ShouldContain(l => l.StartsWith("Signed in as alice (desktop)", StringComparison.Ordinal));
    }

    /// <summary>The sample as a process, its output collected line by line; killed by id on dispose.</summary>
    private sealed class SampleProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();

        private SampleProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                    _lines.Enqueue(e.Data);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public IReadOnlyList<string> Output => [.. _lines];

        public static SampleProcess Start(TestHost host, string key, params string[] args)
        {
            var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
            var dll = RepoPaths.Of("samples", "Leasehold.Samples.Console", "bin", output.Parent!.Name, output.Name, "seat-console.dll");
            File.Exists(dll).ShouldBeTrue(dll);
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(dll);
            foreach (var arg in args)
                info.ArgumentList.Add(arg);
            info.Environment["LEASEHOLD_URL"] = host.BaseAddress.ToString();
            info.Environment["LEASEHOLD_KEY"] = key;
            info.Environment["DOTNET_NOLOGO"] = "1";
            return new SampleProcess(Process.Start(info)!);
        }

        /// <summary>Waits for a line that starts with <paramref name="start"/>.</summary>
        public async Task WaitForLineAsync(string start)
        {
            bool Printed() => _lines.Any(l => l.StartsWith(start, StringComparison.Ordinal));
            await Wait.UntilAsync(() => Printed() || _process.HasExited, $"the sample to print '{start}'");
            Printed().ShouldBeTrue($"the sample exited without printing '{start}':\n{string.Join("\n", _lines)}");
        }

        public async Task<int> ExitCodeAsync()
        {
            using var timeout = new CancellationTokenSource(Wait.Patience);
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            _process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
