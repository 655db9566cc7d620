using System.Diagnostics;
using System.Text.RegularExpressions;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Docs;

/// <summary>
/// The curl examples of the docs run as written: every ```bash block of a page, in order, in one
/// bash process, against a real server. (Blocks marked ```sh are commands shown but not run here,
/// such as starting the server itself.) Needs bash, curl and jq, which ./test.sh installs.
/// </summary>
public sealed partial class DocsExamplesTests
{
    [GeneratedRegex("```bash\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [Fact]
    public async Task ApiGuideExamples_RunAsWritten()
    {
        var output = await RunPageAsync("docs/api.md");

        output.ShouldContain("Idempotent-Replayed: true");
        output.ShouldContain("same sessionToken");
        output.ShouldContain("{\"status\":403,\"code\":\"session_token_invalid\"}\n{\"status\":\"active\"}");
        output.ShouldContain("\"code\":\"no_seat_available\"");
        output.ShouldContain("\"pass\":false");
        output.ShouldContain("\"reason\": \"stopped\"");
        output.ShouldContain("event: ended\ndata: {\"sessionId\":");
        output.ShouldContain("\"reason\":\"stopped\"");
        output.ShouldContain("\"lease\":\"a JWS of 3 parts\"}");
        output.ShouldContain("{\"status\":409,\"code\":\"session_borrowed\"}");
        output.ShouldContain("admitted\tadmitted\talice\t20");
        output.ShouldNotContain("null\n}\nlicense: null");
        output.ShouldContain("id,at,kind,code,tenant_id,license_id");
        output.ShouldContain("\"recommendedSeats\":");
        output.ShouldContain("{\"status\":400,\"code\":\"invalid_request\",\"field\":\"limit\"}");
        output.ShouldContain("{\"status\":409,\"code\":\"allocation_exceeds_license\",\"maxSeats\":0}");
        output.ShouldContain("{\"name\":\"central\",\"seats\":7,\"seatsInForce\":8}");
        output.ShouldContain("\"serial\":1,\"seats\":8");
        output.ShouldContain("\"crv\":\"P-256\",\"alg\":\"ES256\"");
        output.ShouldContain("\"signing\":false,\"retiredAt\":");
        output.ShouldContain("{\"status\":\"waiting\",\"position\":1,\"estimatedWaitSeconds\":null,\"id\":\"wait_\",\"waitToken\":\"lhw_\"}");
        output.ShouldContain("1\tben\tpc-ben\twaiting");
        output.ShouldContain("{\"user\":\"ben\",\"status\":\"active\",\"sessionToken\":\"lhs_\"}");
        output.ShouldContain("event: waiting\nevent: offered\nevent: ended\n{\"reason\":\"granted\"}");
    }

    [Fact]
    public async Task ReadmeQuickStart_RunsAsWritten()
    {
        var output = await RunPageAsync("README.md");

        output.ShouldContain("\"status\":\"active\"");
        output.ShouldContain("\"code\":\"no_seat_available\"");
    }

    private static async Task<string> RunPageAsync(string page)
    {
        await using var host = await TestHost.StartAsync();
        var blocks = BashBlock().Matches(await File.ReadAllTextAsync(RepoPaths.Of(page))).Select(m => m.Groups[1].Value).ToList();
        blocks.ShouldNotBeEmpty();
        var work = Directory.CreateTempSubdirectory("leasehold-docs-");
        try
        {
            var script = Path.Combine(work.FullName, "examples.sh");
            await File.WriteAllTextAsync(script, "set -euo pipefail\n" + string.Join("\n", blocks));
            var info = new ProcessStartInfo("bash", [script])
            {
                WorkingDirectory = work.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["LEASEHOLD"] = host.BaseAddress.ToString().TrimEnd('/'), ["KEY"] = TestHost.OperatorKey },
            };
            using var bash = Process.Start(info)!;
            var stdout = bash.StandardOutput.ReadToEndAsync();
            var stderr = bash.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await bash.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!bash.HasExited)
                    bash.Kill(entireProcessTree: true);
            }
            var output = await stdout + await stderr;
            bash.ExitCode.ShouldBe(0, $"The examples of {page} failed:\n{output}");
            return output;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
