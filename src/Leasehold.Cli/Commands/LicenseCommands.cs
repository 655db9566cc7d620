using System.CommandLine;
using Leasehold.Cli.Output;
using Leasehold.Client.Admin;
using Spectre.Console;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold licenses list|get|create|update</c>, with policies from files.</summary>
internal static class LicenseCommands
{
    public static Command Build(CommandRunner runner)
    {
        var licenses = new Command("licenses", "Licenses: tenant x product, a seat limit and its policy (creating and changing need an operator key).");

        var tenantFilter = new Option<string?>("--tenant") { Description = "Only this tenant's licenses" };
        var list = new Command("list", "List licenses with their seats in use.") { tenantFilter };
        runner.Action(list, async run =>
        {
            var all = await run.CallAsync("Reading licenses", (a, ct) => a.ListLicensesAsync(run.Value(tenantFilter), ct));
            return run.Show(all, () =>
            {
                var table = Render.Table("Id", "Tenant", "Product", "In use", "Seats", "Plan", "Ends", "Policy v.");
                foreach (var l in all)
                    table.AddCells(l.Id, l.TenantId, l.Product, l.SeatsInUse, l.Seats, l.Plan?.Name, l.EndsAt, l.PolicyVersion);
                run.Out.Write(table);
            });
        });

        var id = new Argument<string>("id") { Description = "The license's id (lic_...)" };
        var get = new Command("get", "Show one license and its full policy.") { id };
        runner.Action(get, async run =>
        {
            var license = await run.CallAsync("Reading the license", (a, ct) => a.GetLicenseAsync(run.Value(id), ct));
            return run.Show(license, () => ShowLicense(run, license, withPolicy: true));
        });

        var tenant = new Option<string>("--tenant") { Description = "The tenant (ten_...)", Required = true };
        var product = new Option<string>("--product") { Description = "The licensed product, e.g. cad", Required = true };
        var seats = new Option<int>("--seats") { Description = "The concurrent seat limit", Required = true };
        var policyFile = new Option<string?>("--policy") { Description = "A policy file (JSON; checked offline first)" };
        var startsAt = new Option<DateTimeOffset?>("--starts-at") { Description = "When it starts (ISO 8601)" };
        var endsAt = new Option<DateTimeOffset?>("--ends-at") { Description = "When it ends (ISO 8601)" };
        var create = new Command("create", "Create a license (operator).") { tenant, product, seats, policyFile, startsAt, endsAt };
        runner.Action(create, async run =>
        {
            var policy = run.Value(policyFile) is { } path ? PolicyFile.Load(path).ValidOrThrow() : (System.Text.Json.JsonElement?)null;
            var request = new NewLicense(run.Value(tenant), run.Value(product), run.Value(seats))
            {
                Policy = policy,
                StartsAt = run.Value(startsAt),
                EndsAt = run.Value(endsAt),
            };
            var license = await run.CallAsync("Creating the license", (a, ct) => a.CreateLicenseAsync(request, ct));
            return run.Show(license, () =>
            {
                run.Out.Say($"Created license {license.Id}.");
                ShowLicense(run, license, withPolicy: false);
            });
        });

        var updateId = new Argument<string>("id") { Description = "The license's id (lic_...)" };
        var newSeats = new Option<int?>("--seats") { Description = "A new seat limit" };
        var newPolicy = new Option<string?>("--policy") { Description = "A new policy file (raises the policy version; open sessions keep theirs)" };
        var newStart = new Option<DateTimeOffset?>("--starts-at") { Description = "A new start (ISO 8601)" };
        var newEnd = new Option<DateTimeOffset?>("--ends-at") { Description = "A new end (ISO 8601); a later one is a renewal" };
        var update = new Command("update", "Change a license (operator): what you leave out stays.") { updateId, newSeats, newPolicy, newStart, newEnd };
        runner.Action(update, async run =>
        {
            var changes = new LicenseChanges
            {
                Seats = run.Value(newSeats),
                Policy = run.Value(newPolicy) is { } path ? PolicyFile.Load(path).ValidOrThrow() : null,
                StartsAt = run.Value(newStart),
                EndsAt = run.Value(newEnd),
            };
            if (changes == new LicenseChanges())
                throw new CliException(ExitCodes.Usage, "Nothing to change.", "Give at least one of --seats, --policy, --starts-at, --ends-at.");
            var license = await run.CallAsync("Changing the license", (a, ct) => a.UpdateLicenseAsync(run.Value(updateId), changes, ct));
            return run.Show(license, () =>
            {
                run.Out.Say($"Changed license {license.Id}.");
                ShowLicense(run, license, withPolicy: false);
            });
        });

        licenses.Subcommands.Add(list);
        licenses.Subcommands.Add(get);
        licenses.Subcommands.Add(create);
        licenses.Subcommands.Add(update);
        return licenses;
    }

    private static void ShowLicense(Invocation run, LicenseInfo l, bool withPolicy)
    {
        run.Out.Write(Render.Details(("Id", l.Id), ("Tenant", l.TenantId), ("Product", l.Product), ("Seats", l.Seats),
            ("In use", l.SeatsInUse), ("Plan", l.Plan is { } p ? $"{p.Name}: {p.BaseSeats} base + {p.AddOnSeats} add-on, up to {p.MaxSeats}" : null),
            ("Starts", l.StartsAt), ("Ends", l.EndsAt), ("Policy version", l.PolicyVersion), ("Created", l.CreatedAt)));
        if (withPolicy)
        {
            run.Out.Write(new Rule("policy").LeftJustified());
            run.Out.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(l.Policy, Render.Json));
        }
    }
}
