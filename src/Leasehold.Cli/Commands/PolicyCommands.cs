using System.CommandLine;
using Leasehold.Cli.Output;
using Leasehold.Core.Policies;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold policy validate FILE</c>: offline, with the server's own rules; needs no server or key.</summary>
internal static class PolicyCommands
{
    public static Command Build(CommandRunner runner)
    {
        var policy = new Command("policy", "License policy files (see docs/policies.md).");
        var file = new Argument<string>("file") { Description = "A policy document (JSON), e.g. examples/hosted-service.json" };
        var validate = new Command("validate", "Check a policy file offline, field by field, with the server's own rules.") { file };
        runner.Action(validate, run =>
        {
            var checkedFile = PolicyFile.Load(run.Value(file));
            var errors = checkedFile.Errors.Select(e => new { field = e.Field, message = e.Message }).ToArray();
            if (run.Json)
                run.Out.WriteJson(new { file = checkedFile.Path, valid = checkedFile.IsValid, errors });
            else if (checkedFile.Policy is { } valid)
                ShowValid(run, checkedFile.Path, valid);
            else
            {
                run.Out.Say($"{checkedFile.Path} is not a valid policy:");
                var table = Render.Table("Field", "Problem");
                foreach (var e in checkedFile.Errors)
                    table.AddCells(e.Field, e.Message);
                run.Out.Write(table);
            }
            return Task.FromResult(checkedFile.IsValid ? ExitCodes.Ok : ExitCodes.Refused);
        });
        policy.Subcommands.Add(validate);
        return policy;
    }

    private static void ShowValid(Invocation run, string path, LicensePolicy policy)
    {
        run.Out.Say($"{path} is a valid policy: seat key {SeatKeyNames.Of(policy.SeatKey)}, {policy.Limit.Mode.ToString().ToLowerInvariant()} limit"
            + (policy.Plan is { } plan ? $", plan {plan.Name}" : "") + ".");
        var table = Render.Table("Client type", "Consumption", "Weight", "TTL (s)", "Idle timeout (s)", "Denial code", "Borrow (days)");
        foreach (var type in policy.ClientTypes.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            table.AddCells(type.Name, type.Consumption.ToString().ToLowerInvariant(), type.Weight, (int)type.Ttl.TotalSeconds,
                type.IdleTimeout is { } idle ? (int)idle.TotalSeconds : "never", type.DenialCode, type.BorrowDays is { } days ? days : "no");
        }
        run.Out.Write(table);
    }
}
